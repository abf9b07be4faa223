import { previewOf } from "../../common/bodyPreview.js";
import type { Consumer } from "../../common/events.js";
import { taskIdOf } from "../../common/taskMessage.js";
import type { Publish } from "../events/eventLog.js";
import type { SqsEvent } from "../sqs/model/events.js";

/**
 * Turns the engine's events into the flow events of common/events.ts, as they happen. The engine
 * names a message by id only after it is sent, so the task id read from the whole body at send
 * time is kept per message until the message leaves SQS. Events the flow has no word for
 * (a delay ending, a visibility change, queues created or deleted) are not passed on: the views
 * read a delay's end and a new deadline from `visibleAt`.
 * `quiet()` says whether to stay silent (a "reset the world" purge announces itself as world.reset).
 */
export function flowEventsOf(publish: Publish, body: (queue: string, messageId: string) => string | undefined, quiet: () => boolean = () => false) {
  const taskIds = new Map<string, number | null>();
  const taskIdOfMessage = (messageId: string) => taskIds.get(messageId) ?? null;
  const gone = (queue: string, messageId: string, purgedBy?: Consumer) => {
    publish({ type: "message.deleted", queue, messageId, taskId: taskIdOfMessage(messageId), ...(purgedBy ? { purgedBy } : {}) });
    taskIds.delete(messageId);
  };

  return (event: SqsEvent): void => {
    switch (event.type) {
      case "message.sent": {
        // The task id is read from the whole body; the event carries only a preview of it.
        const taskId = taskIdOf(event.body);
        taskIds.set(event.messageId, taskId);
        publish({ type: "message.sent", queue: event.queue, messageId: event.messageId, taskId, ...previewOf(event.body), ...(event.groupId !== undefined ? { groupId: event.groupId } : {}) });
        if (event.visibleAt !== null) publish({ type: "message.delayed", queue: event.queue, messageId: event.messageId, taskId, visibleAt: event.visibleAt });
        return;
      }
      case "message.received":
        publish({
          type: "message.received",
          queue: event.queue,
          messageId: event.messageId,
          taskId: taskIdOfMessage(event.messageId),
          receiptHandle: event.receiptHandle,
          receiveCount: event.receiveCount,
          visibleAt: event.visibleAt,
          consumer: event.consumer as Consumer,
        });
        return;
      case "message.visible-again":
        publish({ type: "message.visible-again", queue: event.queue, messageId: event.messageId, taskId: taskIdOfMessage(event.messageId), receiveCount: event.receiveCount });
        return;
      case "message.deleted":
        return gone(event.queue, event.messageId);
      // Retention ran out: SQS deleted the message, read or not (not a consumer's delete).
      case "message.expired":
        publish({ type: "message.expired", queue: event.queue, messageId: event.messageId, taskId: taskIdOfMessage(event.messageId), sentAt: event.sentAt, retentionSeconds: event.retentionSeconds });
        taskIds.delete(event.messageId);
        return;
      case "message.dead-lettered":
        publish({ type: "message.dead-lettered", queue: event.queue, deadLetterQueue: event.deadLetterQueue, messageId: event.messageId, taskId: taskIdOfMessage(event.messageId), receiveCount: event.receiveCount });
        return;
      // A redrive (message move task) takes the message out of the dead-letter queue and puts a new
      // message, with a new id, on the destination queue: as LocalStack's and AWS's queues show it too.
      case "message.moved": {
        const taskId = taskIdOfMessage(event.messageId);
        gone(event.queue, event.messageId);
        taskIds.set(event.newMessageId, taskId);
        const whole = body(event.destinationQueue, event.newMessageId) ?? "";
        publish({ type: "message.sent", queue: event.destinationQueue, messageId: event.newMessageId, taskId, movedFrom: event.queue, ...previewOf(whole) });
        return;
      }
      // A PurgeQueue from a terminal empties the queue: each message leaves as a deletion does, said
      // as purged (by whom), so no page tells it as the trigger's delete (step 6).
      case "queue.purged":
        if (quiet()) {
          for (const id of event.messageIds) taskIds.delete(id);
          return;
        }
        for (const id of event.messageIds) gone(event.queue, id, (event.consumer ?? "other-client") as Consumer);
        return;
      default:
        return;
    }
  };
}
