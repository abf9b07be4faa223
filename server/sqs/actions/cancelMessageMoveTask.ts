import { SqsError, errors } from "../errors.js";
import type { Action } from "./context.js";
import { queueForArn } from "./moveTaskCommon.js";
import { requireString } from "./validate.js";

/** CancelMessageMoveTask: stops a running task; the messages already moved stay moved. */
export const cancelMessageMoveTask: Action = (input, context) => {
  const handle = requireString(input, "TaskHandle");
  let decoded: { sourceArn?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(handle, "base64").toString("utf8")) as { sourceArn?: unknown };
  } catch {
    throw errors.invalidParameterValue("Value for parameter TaskHandle is invalid.");
  }
  if (typeof decoded !== "object" || decoded === null || typeof decoded.sourceArn !== "string") {
    throw errors.invalidParameterValue("Value for parameter TaskHandle is invalid.");
  }
  queueForArn(context, decoded.sourceArn, "SourceArn");
  const task = context.engine.moveTasks.byHandle(handle);
  if (!task || task.status !== "RUNNING") throw new SqsError("ResourceNotFoundException", "Task does not exist.", 404);
  context.engine.moveTasks.cancel(task);
  return { ApproximateNumberOfMessagesMoved: task.moved };
};
