import { taskIdOf } from "../../common/taskMessage.js";
import type { Consumer } from "../../common/events.js";
import type { Clock, Publish } from "../events/eventLog.js";
import type { FauxqsMessage, FauxqsSqsStore, SpyMessage, SpySink } from "./fauxqsInternals.js";

interface Receipt {
  queue: string;
  /** fauxqs' own message object: it keeps counting receives, so it is read, never copied. */
  message: FauxqsMessage;
  timer: NodeJS.Timeout;
}

/**
 * Turns what the embedded SQS does into flow events, without ever receiving a message itself.
 * fauxqs' spy tells us what only SQS knows (sent, deleted, moved to the DLQ); the wire tells us
 * who received what (any client: our trigger, a terminal, a script). fauxqs applies visibility
 * expiry lazily, so "visible again" is announced from the deadline, and at the latest just before
 * the same message is received again, so events stay in causal order.
 */
export class SqsObserver implements SpySink {
  private readonly receipts = new Map<string, Receipt>();
  private readonly receiptsByMessage = new Map<string, Set<string>>();
  private readonly movingToDeadLetter = new Set<string>();

  constructor(
    private readonly store: FauxqsSqsStore,
    private readonly publish: Publish,
    private readonly clock: Clock = Date.now,
  ) {}

  addMessage(spied: SpyMessage): void {
    if (spied.service !== "sqs" || !spied.queueName || !spied.messageId) return;
    const { queueName: queue, messageId } = spied;
    const taskId = taskIdOf(spied.body ?? "");
    switch (spied.status) {
      case "published":
        // fauxqs re-publishes a dead-lettered message into the DLQ; that is a move, not a send.
        if (this.movingToDeadLetter.delete(messageId)) return;
        this.publish({ type: "message.sent", queue, messageId, taskId, body: spied.body ?? "" });
        return;
      case "consumed":
        this.forgetMessage(messageId);
        this.publish({ type: "message.deleted", queue, messageId, taskId });
        return;
      case "dlq": {
        // It did become visible again before this receive moved it: say so first, in order.
        const receiveCount = this.maxReceiveCountOf(queue) ?? 0;
        this.announceReturned(messageId, receiveCount);
        this.movingToDeadLetter.add(messageId);
        this.publish({
          type: "message.dead-lettered",
          queue,
          deadLetterQueue: this.deadLetterQueueOf(queue) ?? "unknown",
          messageId,
          taskId,
          receiveCount,
        });
        return;
      }
    }
  }

  /** A send succeeded: a message with a delay (its own DelaySeconds or the queue's) waits before it can be received. */
  sent(queueName: string, entries: unknown[], readResult: () => Record<string, unknown>): void {
    const queue = this.store.getQueueByName(queueName);
    if (!queue) return;
    const queueDelay = Number(queue.attributes.DelaySeconds ?? 0);
    let ids: { Id?: string; MessageId?: string }[] | undefined;
    for (const [i, entry] of entries.entries()) {
      const request = (entry ?? {}) as { Id?: string; DelaySeconds?: number; MessageBody?: string };
      const delay = Number(request.DelaySeconds ?? queueDelay);
      if (!(delay > 0)) continue;
      if (!ids) {
        const result = readResult();
        ids = Array.isArray(result.Successful) ? (result.Successful as { Id?: string; MessageId?: string }[]) : [{ MessageId: result.MessageId as string | undefined }];
      }
      const sent = request.Id === undefined ? ids[i] : ids.find((s) => s.Id === request.Id);
      if (!sent?.MessageId) continue;
      this.publish({ type: "message.delayed", queue: queue.name, messageId: sent.MessageId, taskId: taskIdOf(request.MessageBody ?? ""), visibleAt: this.clock() + delay * 1000 });
    }
  }

  /** A ReceiveMessage call returned these messages to `consumer`. */
  received(queueName: string, messages: { ReceiptHandle?: string; MessageId?: string }[], consumer: Consumer): void {
    const queue = this.store.getQueueByName(queueName);
    if (!queue) return;
    for (const { ReceiptHandle: receiptHandle } of messages) {
      const entry = receiptHandle ? queue.inflightMessages.get(receiptHandle) : undefined;
      if (!receiptHandle || !entry) continue;
      const { messageId, body, approximateReceiveCount } = entry.message;
      this.announceReturned(messageId, approximateReceiveCount - 1);
      this.publish({
        type: "message.received",
        queue: queue.name,
        messageId,
        taskId: taskIdOf(body),
        receiptHandle,
        receiveCount: approximateReceiveCount,
        visibleAt: entry.visibilityDeadline,
        consumer,
      });
      this.track(queue.name, entry.message, receiptHandle, entry.visibilityDeadline);
    }
  }

  /** ChangeMessageVisibility moved a deadline: follow it. */
  visibilityChanged(queueName: string, receiptHandles: string[]): void {
    const queue = this.store.getQueueByName(queueName);
    for (const receiptHandle of receiptHandles) {
      const entry = queue?.inflightMessages.get(receiptHandle);
      const known = this.receipts.get(receiptHandle);
      if (!entry || !known) continue;
      clearTimeout(known.timer);
      this.track(known.queue, known.message, receiptHandle, entry.visibilityDeadline);
    }
  }

  stop(): void {
    for (const receipt of this.receipts.values()) clearTimeout(receipt.timer);
    this.receipts.clear();
    this.receiptsByMessage.clear();
  }

  private track(queue: string, message: FauxqsMessage, receiptHandle: string, deadline: number): void {
    const timer = setTimeout(() => this.expire(receiptHandle), Math.max(0, deadline - this.clock()));
    timer.unref();
    this.receipts.set(receiptHandle, { queue, message, timer });
    let handles = this.receiptsByMessage.get(message.messageId);
    if (!handles) this.receiptsByMessage.set(message.messageId, (handles = new Set()));
    handles.add(receiptHandle);
  }

  private expire(receiptHandle: string): void {
    const receipt = this.receipts.get(receiptHandle);
    if (!receipt) return;
    const entry = this.store.getQueueByName(receipt.queue)?.inflightMessages.get(receiptHandle);
    if (entry && entry.visibilityDeadline > this.clock()) {
      this.track(receipt.queue, receipt.message, receiptHandle, entry.visibilityDeadline);
      return;
    }
    this.announceReturned(receipt.message.messageId);
  }

  /** `receiveCount`: receives so far, when the message object has already counted a newer one. */
  private announceReturned(messageId: string, receiveCount?: number): void {
    const handles = this.receiptsByMessage.get(messageId);
    if (!handles?.size) return;
    for (const handle of handles) {
      const receipt = this.receipts.get(handle);
      if (!receipt) continue;
      clearTimeout(receipt.timer);
      this.receipts.delete(handle);
      this.publish({
        type: "message.visible-again",
        queue: receipt.queue,
        messageId,
        taskId: taskIdOf(receipt.message.body),
        receiveCount: receiveCount ?? receipt.message.approximateReceiveCount,
      });
    }
    this.receiptsByMessage.delete(messageId);
  }

  private forgetMessage(messageId: string): void {
    for (const handle of this.receiptsByMessage.get(messageId) ?? []) {
      clearTimeout(this.receipts.get(handle)?.timer);
      this.receipts.delete(handle);
    }
    this.receiptsByMessage.delete(messageId);
  }

  private redrivePolicyOf(queueName: string): { deadLetterTargetArn?: string; maxReceiveCount?: number } | undefined {
    const policy = this.store.getQueueByName(queueName)?.attributes.RedrivePolicy;
    if (!policy) return undefined;
    try {
      return JSON.parse(policy) as { deadLetterTargetArn?: string; maxReceiveCount?: number };
    } catch {
      return undefined;
    }
  }

  private deadLetterQueueOf(queueName: string): string | undefined {
    const arn = this.redrivePolicyOf(queueName)?.deadLetterTargetArn;
    return arn ? this.store.getQueueByArn(arn)?.name : undefined;
  }

  private maxReceiveCountOf(queueName: string): number | undefined {
    const count = Number(this.redrivePolicyOf(queueName)?.maxReceiveCount);
    return Number.isFinite(count) ? count : undefined;
  }
}
