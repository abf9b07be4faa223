import { queueOf, queueUrl, type Action } from "./context.js";
import { optionalInteger } from "./validate.js";

/** ListDeadLetterSourceQueues: the queues whose redrive policy names this queue as their dead-letter queue. */
export const listDeadLetterSourceQueues: Action = (input, context) => {
  const dlq = queueOf(input, context);
  const max = optionalInteger(input, "MaxResults", 1, 1000, "Must be between 1 and 1000, if provided.");
  const sources = context.engine.list().filter((queue) => {
    const policy = queue.attributes.RedrivePolicy;
    return policy !== undefined && (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === dlq.arn;
  });
  return { queueUrls: sources.slice(0, max ?? 1000).map((queue) => queueUrl(context, queue)) };
};
