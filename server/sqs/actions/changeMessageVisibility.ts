import type { Queue } from "../model/queue.js";
import { queueOf, type Action } from "./context.js";
import { optionalInteger, requireString, type Input } from "./validate.js";

/** The check and change one entry makes; shared with ChangeMessageVisibilityBatch. */
export function changeOne(queue: Queue, input: Input): void {
  const handle = requireString(input, "ReceiptHandle");
  const seconds = optionalInteger(input, "VisibilityTimeout", 0, 43_200, "Must be >= 0 and <= 43200, if provided.");
  if (seconds === undefined) requireString(input, "VisibilityTimeout");
  queue.changeVisibility(handle, seconds!);
}

/** ChangeMessageVisibility: the in-flight message becomes visible VisibilityTimeout seconds from now. */
export const changeMessageVisibility: Action = (input, context) => {
  changeOne(queueOf(input, context), input);
  return {};
};
