import { SqsError } from "../errors.js";
import type { MoveTask } from "../model/moveTasks.js";
import type { ActionContext } from "./context.js";

/** The queue an ARN names for a move task, or ResourceNotFoundException naming the parameter. */
export function queueForArn(context: ActionContext, arn: string, parameter: "SourceArn" | "DestinationArn") {
  const queue = context.engine.queueByArn(arn);
  if (!queue) throw new SqsError("ResourceNotFoundException", `The resource that you specified for the ${parameter} parameter doesn't exist.`, 404);
  return queue;
}

/** A task as ListMessageMoveTasks reports it; the handle only while it runs, as on AWS. */
export function taskReply(task: MoveTask): Record<string, unknown> {
  return {
    ...(task.status === "RUNNING" ? { TaskHandle: task.taskHandle } : {}),
    Status: task.status,
    SourceArn: task.sourceArn,
    ...(task.destinationArn ? { DestinationArn: task.destinationArn } : {}),
    ...(task.maxNumberOfMessagesPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond } : {}),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.failureReason ? { FailureReason: task.failureReason } : {}),
    StartedTimestamp: task.startedAt,
  };
}
