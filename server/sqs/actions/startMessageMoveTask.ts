import { errors } from "../errors.js";
import type { ActionContext, Action } from "./context.js";
import { queueForArn } from "./moveTaskCommon.js";
import { optionalInteger, optionalString, requireString } from "./validate.js";

/**
 * StartMessageMoveTask: moves a dead-letter queue's messages to DestinationArn, or each back to
 * the queue it came from, at most MaxNumberOfMessagesPerSecond (1–500). Source: API reference.
 */
export const startMessageMoveTask: Action = (input, context) => {
  const source = queueForArn(context, requireString(input, "SourceArn"), "SourceArn");
  const destinationArn = optionalString(input, "DestinationArn");
  const destination = destinationArn === undefined ? undefined : queueForArn(context, destinationArn, "DestinationArn");
  const rate = optionalInteger(input, "MaxNumberOfMessagesPerSecond", 1, 500, "Must be between 1 and 500, if provided.");
  if (!isDeadLetterQueue(context, source.arn)) throw errors.invalidParameterValue("Source queue must be configured as a Dead Letter Queue.");
  if (context.engine.moveTasks.running(source.arn)) {
    throw errors.invalidParameterValue("There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
  }
  const handle = Buffer.from(JSON.stringify({ taskId: context.engine.random.uuid(), sourceArn: source.arn })).toString("base64");
  context.engine.moveTasks.start(source, destination, rate, handle);
  return { TaskHandle: handle };
};

function isDeadLetterQueue(context: ActionContext, arn: string): boolean {
  return context.engine.list().some((queue) => queue.attributes.RedrivePolicy?.includes(`"${arn}"`));
}
