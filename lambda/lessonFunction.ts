// The entry of the lesson's function in embedded mode: lambda/handler.ts run the way every
// version of the function runs, in an execution environment of its own behind the Lambda Runtime
// API (server/runtime/), reaching the task database over HTTP like a deployed function. What the
// in-process handler used to read from the playground directly comes with each invocation in the
// client context (LessonSettings). The environment is read here only, as at every entry point.
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { FUNCTION_ENV, type LessonSettings } from "../common/internalApi.js";
import { createHandler } from "./handler.js";
import { loopbackFetch } from "./loopbackFetch.js";
import { PlaygroundLink } from "./playgroundLink.js";

// Completions deferred to the next call: a record costs one request and one wake-up of this process
// instead of two, which is most of what a record costs here (bench/README.md).
const link = new PlaygroundLink(process.env[FUNCTION_ENV.url] ?? "", process.env[FUNCTION_ENV.token] ?? "", loopbackFetch, { deferCompletions: true });

const NO_SETTINGS: LessonSettings = {
  workMs: 0,
  faults: { failRate: 0, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: false, responseKey: "batchItemFailures", retryBackoffSeconds: null },
  reportsBatchItemFailures: true,
  stepMode: false,
};

/** The playground's settings from the client context (`custom`), or none when invoked without them. */
function settingsOf(context: Context): LessonSettings {
  const custom = (context.clientContext as { custom?: Partial<LessonSettings> } | undefined)?.custom;
  return { ...NO_SETTINGS, ...custom };
}

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const settings = settingsOf(context);
  // Time the learner spent on a step-mode pause does not count: the function's clock stood still.
  let heldMs = 0;
  const held: Context = { ...context, getRemainingTimeInMillis: () => context.getRemainingTimeInMillis() + heldMs };
  const process = createHandler({
    store: link,
    workMs: settings.workMs,
    faults: () => settings.faults,
    reportsBatchItemFailures: () => settings.reportsBatchItemFailures,
    changeVisibility: (record, seconds) => link.changeVisibility({ queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle, seconds }),
    ...(settings.stepMode
      ? { beforeUpdate: async (taskId: number, record: { messageId: string }) => void (heldMs += await link.stepPause({ taskId, messageId: record.messageId, invocationId: context.awsRequestId })) }
      : {}),
  });
  const outcome = await process(event, held).then(
    (response) => ({ response }),
    (error: unknown) => ({ error }),
  );
  // Also when the handler threw (a crash after a record's work): what it completed stays completed.
  const refused = await link.settle();
  if ("error" in outcome) throw outcome.error;
  // A completion the playground refused (the claim ran out) must not be acknowledged: the whole
  // batch comes back, and the claims make the redelivery skip what is already done.
  if (refused.length > 0) throw new Error(`the playground refused the completion of task ${refused.join(", ")}: the claim had run out`);
  return outcome.response;
}
