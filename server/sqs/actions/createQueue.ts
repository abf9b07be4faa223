import { SqsError, errors } from "../errors.js";
import { queueUrl, type Action } from "./context.js";
import { checkAttributes, defaultAttributes } from "./queueAttributes.js";
import { checkTags } from "./tagQueue.js";
import { optionalMap, requireString } from "./validate.js";

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

/**
 * CreateQueue. Idempotent when the queue exists with the same attributes (or none given);
 * QueueAlreadyExists when a given attribute differs. Source: CreateQueue API reference.
 */
export const createQueue: Action = (input, context) => {
  const name = requireString(input, "QueueName");
  const given = optionalMap(input, "Attributes");
  const fifo = String(given.FifoQueue ?? "false").toLowerCase() === "true";
  if (fifo ? !FIFO_NAME.test(name) : !NAME.test(name)) {
    throw errors.invalidParameterValue(
      fifo
        ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
        : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    );
  }
  const attributes = checkAttributes(context.engine, given, fifo, true);
  const tags = checkTags(optionalMap(input, "tags"));
  const existing = context.engine.queue(name, context.region);
  if (existing) {
    const current: Record<string, string> = { ...defaultAttributes(fifo), ...existing.attributes };
    for (const [key, value] of Object.entries(attributes)) {
      if (current[key] !== value) {
        throw new SqsError("QueueAlreadyExists", `A queue already exists with the same name and a different value for attribute ${key}`);
      }
    }
    return { QueueUrl: queueUrl(context, existing) };
  }
  const queue = context.engine.createQueue(name, { ...defaultAttributes(fifo), ...attributes }, tags, context.region);
  return { QueueUrl: queueUrl(context, queue) };
};
