import { queueOf, type Action } from "./context.js";
import { changeOne } from "./changeMessageVisibility.js";
import { checkBatchEntries, eachEntry } from "./validate.js";

/** ChangeMessageVisibilityBatch: each entry changed or failed on its own. */
export const changeMessageVisibilityBatch: Action = (input, context) => {
  const queue = queueOf(input, context);
  const entries = checkBatchEntries(input, "ChangeMessageVisibilityBatchRequestEntry");
  return eachEntry(entries, (entry) => {
    changeOne(queue, entry);
    return { Id: String(entry.Id) };
  });
};
