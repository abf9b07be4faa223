import { queueOf, type Action } from "./context.js";
import { requireString } from "./validate.js";

/** DeleteMessage: a malformed receipt handle is ReceiptHandleIsInvalid; one of a message already gone succeeds. */
export const deleteMessage: Action = (input, context) => {
  const queue = queueOf(input, context);
  queue.delete(requireString(input, "ReceiptHandle"));
  return {};
};
