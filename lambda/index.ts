// The entry of the deployed function (LocalStack or AWS): the same handler as the embedded mode,
// given an HTTP TaskStore. The environment is read here only, as at every entry point.
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { FUNCTION_ENV } from "../common/internalApi.js";
import { taskIdOf } from "../common/taskMessage.js";
import { createHandler } from "./handler.js";
import { PlaygroundLink } from "./playgroundLink.js";

const url = process.env[FUNCTION_ENV.url];
const token = process.env[FUNCTION_ENV.token];
if (!url || !token) throw new Error(`the function needs ${FUNCTION_ENV.url} and ${FUNCTION_ENV.token} in its environment (the playground sets them when it deploys)`);
const link = new PlaygroundLink(url, token);

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const started = Date.now();
  const config = await link.invocationConfig();
  const messageIds = event.Records.map((r) => r.messageId);
  // One function behind two mappings: the batch's queue says which mapping's settings apply.
  const eventSourceArn = event.Records[0]?.eventSourceARN ?? "";
  await link.started({
    invocationId: context.awsRequestId,
    functionName: context.functionName,
    messageIds,
    taskIds: event.Records.map((r) => taskIdOf(r.body)),
    receiveCounts: event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount)),
    remainingMs: context.getRemainingTimeInMillis(),
    eventSourceArn,
  });
  const process = createHandler({
    store: link,
    workMs: config.workMs,
    faults: () => config.faults,
    // A queue no mapping is known for gets AWS's default: FunctionResponseTypes [].
    reportsBatchItemFailures: () => config.reportsBatchItemFailures[eventSourceArn] ?? false,
  });
  try {
    const result = await process(event, context);
    // A list under another key (the responseKey fault) is no list to Lambda: nothing failed.
    const failedMessageIds = (result.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    await link.ended({ invocationId: context.awsRequestId, durationMs: Date.now() - started, outcome: "completed", failedMessageIds });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await link.ended({ invocationId: context.awsRequestId, durationMs: Date.now() - started, outcome: "failed", error: message, messageIds }).catch(() => {});
    throw error;
  }
}
