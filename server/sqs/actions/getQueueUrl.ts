import { errors } from "../errors.js";
import { queueUrl, type Action } from "./context.js";
import { optionalString, requireString } from "./validate.js";

/** GetQueueUrl: the URL of a queue by name (QueueOwnerAWSAccountId must be ours if given). */
export const getQueueUrl: Action = (input, context) => {
  const name = requireString(input, "QueueName");
  const owner = optionalString(input, "QueueOwnerAWSAccountId");
  const queue = context.engine.queue(name, context.region);
  if (!queue || (owner !== undefined && owner !== context.engine.options.accountId)) throw errors.queueDoesNotExist();
  return { QueueUrl: queueUrl(context, queue) };
};
