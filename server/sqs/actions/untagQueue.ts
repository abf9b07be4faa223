import { errors } from "../errors.js";
import { queueOf, type Action } from "./context.js";
import { optionalList } from "./validate.js";

/** UntagQueue: removes the given keys; a key the queue does not have is ignored. */
export const untagQueue: Action = (input, context) => {
  const queue = queueOf(input, context);
  const keys = optionalList(input, "TagKeys").map(String);
  if (keys.length === 0) throw errors.missingParameter("TagKeys");
  queue.untag(keys);
  return {};
};
