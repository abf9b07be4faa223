import { queueOf, type Action } from "./context.js";
import { checkAttributeNames, reportAttributes } from "./queueAttributes.js";
import { optionalList } from "./validate.js";

/** GetQueueAttributes: the named attributes (`All` for every one); no names, no attributes. */
export const getQueueAttributes: Action = (input, context) => {
  const queue = queueOf(input, context);
  const names = optionalList(input, "AttributeNames").map(String);
  checkAttributeNames(names, queue.fifo);
  const attributes = reportAttributes(queue, names);
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
};
