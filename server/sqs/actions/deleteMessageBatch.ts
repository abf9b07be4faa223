import { queueOf, type Action } from "./context.js";
import { checkBatchEntries, eachEntry, requireString } from "./validate.js";

/** DeleteMessageBatch: each entry deleted or failed on its own. */
export const deleteMessageBatch: Action = (input, context) => {
  const queue = queueOf(input, context);
  const entries = checkBatchEntries(input, "DeleteMessageBatchRequestEntry");
  return eachEntry(entries, (entry) => {
    queue.delete(requireString(entry, "ReceiptHandle"));
    return { Id: String(entry.Id) };
  });
};
