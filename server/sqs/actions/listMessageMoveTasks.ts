import type { Action } from "./context.js";
import { queueForArn, taskReply } from "./moveTaskCommon.js";
import { optionalInteger, requireString } from "./validate.js";

/** ListMessageMoveTasks: a source queue's most recent tasks, newest first, at most MaxResults (1–10, default 1). */
export const listMessageMoveTasks: Action = (input, context) => {
  const source = queueForArn(context, requireString(input, "SourceArn"), "SourceArn");
  const max = optionalInteger(input, "MaxResults", 1, 10, "Must be between 1 and 10, if provided.") ?? 1;
  return { Results: context.engine.moveTasks.list(source.arn).slice(0, max).map(taskReply) };
};
