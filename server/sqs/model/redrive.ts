import type { Message } from "./message.js";

/** A queue's RedrivePolicy, read: where a message goes after `maxReceiveCount` receives. */
export interface RedrivePolicy {
  targetArn: string;
  maxReceiveCount: number;
}

/** The RedrivePolicy attribute (JSON, already validated by SetQueueAttributes/CreateQueue) read, or undefined for none. */
export function parseRedrive(policy: string | undefined): RedrivePolicy | undefined {
  if (!policy) return undefined;
  const parsed = JSON.parse(policy) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
  return { targetArn: parsed.deadLetterTargetArn, maxReceiveCount: Number(parsed.maxReceiveCount) };
}

/** Whether a message about to be received goes to the dead-letter queue instead: it was received maxReceiveCount times. */
export function isDeadLetter(message: Message, redrive: RedrivePolicy | undefined): redrive is RedrivePolicy {
  return redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount;
}

/**
 * The message a queue stores when one is moved into it (epoch ms `now`), visible at once:
 * into a dead-letter queue by a redrive policy (`deadLetterSourceArn` set), or out of a dead-letter
 * queue by a message move task (undefined). Dead-lettered, it keeps its id, body, attributes,
 * SentTimestamp and receive count; a standard queue keeps its original retention clock, a FIFO
 * queue starts a new one ("Using dead-letter queues"). Redriven, it is a new message: `newId`, a
 * new enqueue time and retention period, and a receive count from zero ("Configure a dead-letter
 * queue redrive": "All redriven messages are considered new messages and are assigned a new
 * messageID and enqueueTime").
 */
export function movedMessage(
  original: Message,
  deadLetterSourceArn: string | undefined,
  into: { fifo: boolean; retentionMs: number; now: number; newId: () => string; sequenceNumber: () => string | undefined },
): Message {
  const { deadLetterSourceArn: _previous, ...kept } = original;
  const redriven = deadLetterSourceArn === undefined;
  const { now } = into;
  const sequenceNumber = into.fifo ? into.sequenceNumber() : undefined;
  return {
    ...kept,
    ...(redriven ? { id: into.newId(), sentAt: now, receiveCount: 0, firstReceivedAt: null } : { deadLetterSourceArn }),
    state: "visible",
    visibleAt: null,
    receiptHandle: null,
    version: 0,
    expiresAt: (into.fifo || redriven ? now : original.sentAt) + into.retentionMs,
    ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
  };
}
