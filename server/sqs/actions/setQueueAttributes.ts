import { queueOf, type Action } from "./context.js";
import { checkAttributes } from "./queueAttributes.js";
import { optionalMap } from "./validate.js";

/** SetQueueAttributes: an empty string removes an attribute (a redrive policy, a KMS key). */
export const setQueueAttributes: Action = (input, context) => {
  const queue = queueOf(input, context);
  const changes = checkAttributes(context.engine, optionalMap(input, "Attributes"), queue.fifo, false);
  if (changes.KmsMasterKeyId === "") changes.KmsDataKeyReusePeriodSeconds = "";
  queue.setAttributes(changes);
  return {};
};
