import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { charge, tasks } from "./playground.js";

/** Charge each order once, however often its message is delivered: claim it, then charge. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const { task_id } = JSON.parse(record.body) as { task_id: number };
    const owner = `${context.awsRequestId}/${record.messageId}`;
    // A conditional write: pending -> processing, owned by this invocation, only if nobody holds it.
    const claim = await tasks.claim(task_id, owner, context.getRemainingTimeInMillis());
    if (claim.outcome === "done") {
      console.log(`order ${task_id} was charged already: skipped`);
      continue;
    }
    if (claim.outcome !== "claimed") {
      // Another invocation is charging it: let this message come back, to find the order done.
      console.log(`order ${task_id} is ${claim.outcome}: not charged here`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    await charge(task_id);
    await tasks.complete(task_id, owner);
  }
  return { batchItemFailures };
};
