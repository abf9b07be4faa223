/**
 * What the engine tells its listeners, at the moment each thing happens (`at`, epoch ms). Names
 * follow common/events.ts so the playground can pass most of them on as flow events; `consumer`
 * is the label the caller of ReceiveMessage was given (for example "lambda-trigger").
 */
export type SqsEvent = { at: number } & (
  | { type: "queue.created"; queue: string; url: string }
  | { type: "queue.deleted"; queue: string }
  /** `visibleAt` is null for a message that is visible at once, else the end of its delay. */
  | { type: "message.sent"; queue: string; messageId: string; body: string; visibleAt: number | null; groupId?: string }
  | { type: "message.delay-ended"; queue: string; messageId: string }
  | {
      type: "message.received";
      queue: string;
      messageId: string;
      receiptHandle: string;
      receiveCount: number;
      /** When the message becomes visible again unless it is deleted first. */
      visibleAt: number;
      consumer: string;
    }
  | { type: "message.visibility-changed"; queue: string; messageId: string; visibleAt: number }
  /** Its visibility timeout ran out (or was set to 0): it can be received again. */
  | { type: "message.visible-again"; queue: string; messageId: string; receiveCount: number }
  | { type: "message.deleted"; queue: string; messageId: string }
  | { type: "message.dead-lettered"; queue: string; deadLetterQueue: string; messageId: string; receiveCount: number }
  /** Its retention period ran out. `sentAt`: its first send (epoch ms); `retentionSeconds`: the queue's MessageRetentionPeriod now. */
  | { type: "message.expired"; queue: string; messageId: string; sentAt: number; retentionSeconds: number }
  /** A message move task (redrive) took it from a dead-letter queue to another queue. */
  /** A message move task redrove `messageId` out of `queue`; in the destination it is a new message, `newMessageId`. */
  | { type: "message.moved"; queue: string; destinationQueue: string; messageId: string; newMessageId: string }
  /** `consumer`: the label of who called PurgeQueue; absent when the engine emptied the queue itself (`purgeAll`). */
  | { type: "queue.purged"; queue: string; messageIds: string[]; consumer?: string }
);

export type SqsEventType = SqsEvent["type"];

/** Distributes on a union-member basis; plain Omit<Union, K> would collapse the union. */
type OmitAt<T> = T extends unknown ? Omit<T, "at"> : never;
export type SqsEventBody = OmitAt<SqsEvent>;

export type SqsListener = (event: SqsEvent) => void;
