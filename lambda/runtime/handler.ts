import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { tasks } from "./playground.js";

/** Process each SQS record: mark its task completed in the database (step 5). */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const owner = `${context.awsRequestId}/${record.messageId}`;
    try {
      const { task_id, title } = JSON.parse(record.body) as { task_id: number; title: string };
      console.log(`processing task ${task_id}: ${title}`);
      const claim = await tasks.claim(task_id, owner, context.getRemainingTimeInMillis());
      if (claim.outcome === "done") continue; // already completed: SQS delivered this message again
      if (claim.outcome !== "claimed") throw new Error(`task ${task_id} is ${claim.outcome}`);
      await tasks.complete(task_id, owner);
    } catch (error) {
      console.log(`record ${record.messageId} failed: ${error instanceof Error ? error.message : String(error)}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  // Only the failed records come back (the trigger has ReportBatchItemFailures on).
  return { batchItemFailures };
};
