import type { QueueView, QueuedMessage } from "../../common/events.js";
import { previewOf, type BodyPreview } from "../../common/bodyPreview.js";
import { taskIdOf } from "../../common/taskMessage.js";
import type { Queue } from "./model/queue.js";

/**
 * A queue as the playground's views show it: counts and messages by state, read without receiving
 * (a ReceiveMessage would hide the messages and bump their receive counts). `show` decides how
 * much of each body goes out: a preview for pages (the default), the whole body for SQS's
 * developer endpoint. The task id is read from the whole body before it is cut.
 */
export function viewOf(queue: Queue, messageLimit = 200, show: (body: string) => BodyPreview = previewOf): QueueView {
  const messages: QueuedMessage[] = queue
    .messages()
    .slice(0, messageLimit)
    .map((m) => ({ messageId: m.id, taskId: taskIdOf(m.body), ...show(m.body), receiveCount: m.receiveCount, sentAt: m.sentAt, state: m.state, visibleAt: m.visibleAt, ...(m.groupId !== undefined ? { groupId: m.groupId } : {}) }));
  return { name: queue.name, url: queue.url, ...queue.counts(), messages };
}
