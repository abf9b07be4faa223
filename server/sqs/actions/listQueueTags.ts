import { queueOf, type Action } from "./context.js";

/** ListQueueTags: the queue's tags; no `Tags` field when it has none, as AWS replies. */
export const listQueueTags: Action = (input, context) => {
  const queue = queueOf(input, context);
  return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
};
