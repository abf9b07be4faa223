import { md5OfAttributes, md5OfBody, type Attributes } from "./md5.js";

/** Where a message is: waiting out its delay, ready to be received, or received and hidden. */
export type MessageState = "delayed" | "visible" | "in-flight";

/** One SQS message as the queue model holds it. Times are epoch milliseconds. */
export interface Message {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Attributes;
  readonly md5OfAttributes: string | undefined;
  /** Message system attributes sent with it (only AWSTraceHeader exists). */
  readonly systemAttributes: Attributes;
  readonly md5OfSystemAttributes: string | undefined;
  readonly senderId: string;
  /** When it was first sent (kept when it moves to a dead-letter queue). */
  readonly sentAt: number;
  state: MessageState;
  /** Delayed or in flight: when it becomes visible. Null when visible. */
  visibleAt: number | null;
  /** When retention deletes it. */
  expiresAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  /** The handle of the latest receive; null until received. */
  receiptHandle: string | null;
  /** Bumped on every state change, so a deadline recorded for an earlier state is ignored. */
  version: number;
  /** Set when the message came from another queue's redrive policy: that queue's ARN. */
  deadLetterSourceArn?: string;
  /** FIFO queues only. */
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
}

/** What a sender supplies; the queue fills in the rest. */
export interface NewMessage {
  body: string;
  attributes?: Attributes;
  systemAttributes?: Attributes;
  /** Seconds; undefined means the queue's DelaySeconds. */
  delaySeconds?: number;
  senderId: string;
  groupId?: string;
  deduplicationId?: string;
}

/**
 * A new message as SendMessage stores it, visible until the queue says otherwise. A standard queue
 * keeps a MessageGroupId too (fair queues) but gives it no order; `sequenceNumber` is FIFO's.
 */
export function createMessage(input: NewMessage, fields: { id: string; now: number; expiresAt: number; sequenceNumber: string | undefined }): Message {
  const attributes = input.attributes ?? {};
  const systemAttributes = input.systemAttributes ?? {};
  return {
    id: fields.id,
    body: input.body,
    md5OfBody: md5OfBody(input.body),
    attributes,
    md5OfAttributes: md5OfAttributes(attributes),
    systemAttributes,
    md5OfSystemAttributes: md5OfAttributes(systemAttributes),
    senderId: input.senderId,
    sentAt: fields.now,
    state: "visible",
    visibleAt: null,
    expiresAt: fields.expiresAt,
    receiveCount: 0,
    firstReceivedAt: null,
    receiptHandle: null,
    version: 0,
    ...(input.groupId !== undefined ? { groupId: input.groupId } : {}),
    ...(fields.sequenceNumber !== undefined ? { deduplicationId: input.deduplicationId, sequenceNumber: fields.sequenceNumber } : {}),
  };
}
