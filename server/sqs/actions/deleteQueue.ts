import { queueOf, type Action } from "./context.js";

/** DeleteQueue: the queue and its messages go at once; its long polls end empty. */
export const deleteQueue: Action = (input, context) => {
  const queue = queueOf(input, context);
  context.engine.deleteQueue(queue.name, queue.region);
  return {};
};
