import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { charge, tasks } from "./playground.js";

/** Charge each order, then mark its task completed. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  for (const record of event.Records) {
    const { task_id } = JSON.parse(record.body) as { task_id: number };
    const charges = await charge(task_id); // the payment service: slow today
    console.log(`charged order ${task_id} (charge ${charges} of this order)`);
    const owner = `${context.awsRequestId}/${record.messageId}`;
    const claim = await tasks.claim(task_id, owner, context.getRemainingTimeInMillis());
    if (claim.outcome === "claimed") await tasks.complete(task_id, owner);
  }
  return { batchItemFailures: [] };
};
