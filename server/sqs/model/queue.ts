import { errors, SqsError } from "../errors.js";
import type { EngineChange, QueueContents, QueueMeta } from "./changes.js";
import type { SqsEventBody } from "./events.js";
import { deduplicationKey, FifoState } from "./fifo.js";
import { createMessage, type Message, type NewMessage } from "./message.js";
import { MessageStates } from "./messageStates.js";
import { QueueSettings } from "./queueSettings.js";
import { isDeadLetter, movedMessage } from "./redrive.js";
import { parseReceiptHandle, receiptHandleFor } from "./receiptHandle.js";
import type { Randomness, Scheduler } from "./scheduler.js";
import { LongPolls, type ReceiveOptions } from "./longPolls.js";

/** What a queue needs from the engine around it. */
export interface QueueDeps {
  scheduler: Scheduler;
  random: Randomness;
  emit(event: SqsEventBody): void;
  /** Tells the engine's Durability of a change, if it has one. */
  record(change: EngineChange): void;
  /** The queue an ARN names (the dead-letter target of a redrive policy). */
  queueByArn(arn: string): Queue | undefined;
}

/** How soon a second PurgeQueue is refused. Source: PurgeQueue API reference. */
export const PURGE_INTERVAL_MS = 60_000;

/**
 * One SQS queue: its messages by state, with a timer for the earliest deadline, so that a delay,
 * a visibility timeout or a retention period ends at its moment and the counts are right at any
 * instant. Attributes are kept as AWS's strings; the actions validate them before they get here.
 */
export class Queue extends QueueSettings {
  private readonly states: MessageStates;
  private readonly fifoState: FifoState | undefined;
  private readonly polls: LongPolls;
  private lastPurgeAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly arn: string,
    attributes: Record<string, string>,
    private readonly deps: QueueDeps,
    restored?: QueueMeta,
  ) {
    super(name, arn, attributes, deps.scheduler.now(), restored);
    this.fifoState = this.fifo ? new FifoState() : undefined;
    this.polls = new LongPolls(deps.scheduler, (options) => this.receive(options));
    this.states = new MessageStates(deps.scheduler, () => this.catchUp());
  }

  protected changed(): void {
    this.deps.record({ type: "queue", queue: this });
  }

  protected now(): number {
    return this.deps.scheduler.now();
  }

  /** Everything a restart must bring back besides the attributes, tags and meta (see `restore`). */
  contents(): QueueContents {
    this.catchUp();
    return {
      messages: [...this.states.all.values()],
      lastPurgeAt: Number.isFinite(this.lastPurgeAt) ? this.lastPurgeAt : null,
      lastSequenceNumber: this.fifoState?.lastSequenceNumber() ?? null,
      deduplication: this.fifoState?.remembered(this.deps.scheduler.now()) ?? [],
    };
  }

  /**
   * Puts back what `contents` gave before a restart, with no events and nothing recorded. A message
   * whose delay or visibility timeout ended while the engine was down is visible at once (its old
   * receipt handle is then stale, as on AWS); one whose retention ended is gone.
   */
  restore(contents: QueueContents): void {
    const now = this.deps.scheduler.now();
    if (contents.lastPurgeAt !== null) this.lastPurgeAt = contents.lastPurgeAt;
    if (contents.lastSequenceNumber !== null) this.fifoState?.restoreSequence(contents.lastSequenceNumber);
    for (const entry of contents.deduplication) this.fifoState?.restoreDeduplication(entry, now);
    for (const message of contents.messages) {
      if (message.expiresAt <= now) continue;
      const hiddenUntil = message.state !== "visible" && message.visibleAt !== null && message.visibleAt > now ? message.visibleAt : null;
      this.admit(message, hiddenUntil, message.state === "in-flight" ? "in-flight" : "delayed");
    }
  }

  /** Messages visible, in flight and delayed now. */
  counts(): { visible: number; inFlight: number; delayed: number } {
    this.catchUp();
    return this.states.counts();
  }

  /** Every message with its state, in send order, without receiving any. */
  messages(): Message[] {
    this.catchUp();
    return [...this.states.all.values()];
  }

  /**
   * SendMessage: stores the message (or, on a FIFO queue, returns the one already sent with the
   * same deduplication id in the last five minutes, storing nothing).
   */
  send(input: NewMessage): Message {
    const now = this.deps.scheduler.now();
    const dedupKey = this.fifo ? deduplicationKey(input, this.perGroupDeduplication) : undefined;
    const duplicate = dedupKey === undefined ? undefined : this.fifoState!.duplicateOf(dedupKey, now);
    if (duplicate) return duplicate;
    const delay = input.delaySeconds ?? this.settings.delaySeconds;
    const message = createMessage(input, {
      id: this.deps.random.uuid(),
      now,
      expiresAt: now + this.settings.retentionMs,
      sequenceNumber: this.fifoState?.nextSequenceNumber(),
    });
    if (dedupKey !== undefined) this.fifoState!.remember(dedupKey, message, now);
    this.admit(message, delay > 0 ? now + delay * 1000 : null);
    this.deps.record({ type: "message", queue: this, message, ...(dedupKey !== undefined ? { deduplicationKey: dedupKey } : {}) });
    this.deps.emit({ type: "message.sent", queue: this.name, messageId: message.id, body: message.body, visibleAt: message.visibleAt, ...(message.groupId ? { groupId: message.groupId } : {}) });
    return message;
  }

  /**
   * Puts a new, moved or restored message into the queue: hidden (delayed, or in flight after a
   * restart) until `visibleAt`, or visible at once.
   */
  private admit(message: Message, visibleAt: number | null, hiddenAs: "delayed" | "in-flight" = "delayed"): void {
    this.states.add(message, visibleAt, hiddenAs);
    this.fifoState?.add(message);
    if (visibleAt === null) this.polls.wake();
  }

  /**
   * ReceiveMessage without waiting: up to `max` visible messages go in flight for the visibility
   * timeout. A message already received maxReceiveCount times moves to the dead-letter queue instead.
   */
  receive(options: ReceiveOptions): Message[] {
    this.catchUp();
    // One instant for the whole receive: its messages become visible again together, as one batch.
    const now = this.deps.scheduler.now();
    const received: Message[] = [];
    const { redrive } = this.settings;
    const take = (message: Message): boolean => {
      if (received.length >= options.max) return false;
      const dlq = isDeadLetter(message, redrive) ? this.deps.queueByArn(redrive.targetArn) : undefined;
      if (dlq) this.deadLetter(message, dlq);
      else received.push(this.deliver(message, options, now));
      return true;
    };
    if (this.fifoState) this.fifoState.offer(options.max, () => received.length, take);
    else if (this.states.visible.size > 0) {
      // Oldest first: a message whose visibility ran out comes before those sent after it.
      for (const message of this.states.all.values()) if (message.state === "visible" && !take(message)) break;
    }
    return received;
  }

  /** ReceiveMessage with WaitTimeSeconds: resolves as soon as messages arrive, or with none at the end. */
  receiveWaiting(options: ReceiveOptions, waitSeconds: number, callerGone?: () => AbortSignal): Promise<Message[]> {
    return this.polls.receive(options, waitSeconds, callerGone);
  }

  /** Ends every long poll waiting on this queue with no messages (their consumers poll again). */
  endLongPolls(): void {
    this.polls.endAll();
  }

  private deliver(message: Message, options: ReceiveOptions, now: number): Message {
    const timeout = options.visibilityTimeout ?? this.settings.visibilityTimeout;
    this.states.hide(message, now + timeout * 1000);
    message.receiveCount += 1;
    message.firstReceivedAt ??= now;
    message.receiptHandle = receiptHandleFor(this.arn, message.id, this.deps.random.uuid());
    this.deps.record({ type: "message-state", queue: this, message });
    this.deps.emit({ type: "message.received", queue: this.name, messageId: message.id, receiptHandle: message.receiptHandle, receiveCount: message.receiveCount, visibleAt: message.visibleAt!, consumer: options.consumer });
    return message;
  }

  private deadLetter(message: Message, dlq: Queue): void {
    this.remove(message);
    this.deps.emit({ type: "message.dead-lettered", queue: this.name, deadLetterQueue: dlq.name, messageId: message.id, receiveCount: message.receiveCount });
    dlq.acceptMoved(message, this.arn);
    // Written after its arrival in the dead-letter queue: a crash between the two lines keeps it twice, never loses it.
    this.deps.record({ type: "message-gone", queue: this, messageId: message.id });
  }

  /**
   * Takes a message moved from another queue: into this dead-letter queue by a redrive policy
   * (`deadLetterSourceArn` set), or out of a dead-letter queue by a message move task (undefined);
   * see `movedMessage` for what it keeps.
   */
  acceptMoved(original: Message, deadLetterSourceArn: string | undefined): Message {
    const message = movedMessage(original, deadLetterSourceArn, {
      fifo: this.fifo,
      retentionMs: this.settings.retentionMs,
      now: this.deps.scheduler.now(),
      newId: () => this.deps.random.uuid(),
      sequenceNumber: () => this.fifoState?.nextSequenceNumber(),
    });
    this.admit(message, null);
    this.deps.record({ type: "message", queue: this, message });
    return message;
  }

  /** The in-flight message a receipt handle names; throws ReceiptHandleIsInvalid for a malformed one. */
  private messageOf(receiptHandle: string): Message | undefined {
    const parsed = parseReceiptHandle(receiptHandle);
    if (!parsed || parsed.queueArn !== this.arn) throw errors.receiptHandleIsInvalid(receiptHandle);
    return this.states.get(parsed.messageId);
  }

  /**
   * DeleteMessage. A well-formed handle of a message already gone succeeds, as on AWS; on a FIFO
   * queue a handle whose visibility timeout ran out (or that a later receive replaced) has expired.
   */
  delete(receiptHandle: string): void {
    this.catchUp();
    const message = this.messageOf(receiptHandle);
    if (!message) return;
    if (this.fifo && (message.state !== "in-flight" || message.receiptHandle !== receiptHandle)) throw expiredHandle(receiptHandle);
    this.remove(message);
    this.deps.record({ type: "message-gone", queue: this, messageId: message.id });
    this.deps.emit({ type: "message.deleted", queue: this.name, messageId: message.id });
    // Deleting a FIFO group's first message frees the group: a waiting receiver may take the next.
    if (this.fifo) this.polls.wake();
  }

  /**
   * ChangeMessageVisibility: the message becomes visible `seconds` from now (0: at once). Any
   * handle of a received message still works after its timeout ran out, as on AWS (the message is
   * hidden again); a deleted message's handle is refused.
   */
  changeVisibility(receiptHandle: string, seconds: number): void {
    this.catchUp();
    const message = this.messageOf(receiptHandle);
    if (!message || message.receiptHandle === null) {
      throw errors.invalidValue(receiptHandle, "ReceiptHandle", "Message does not exist or is not available for visibility timeout change.");
    }
    if (message.state === "delayed") {
      throw new SqsError("AWS.SimpleQueueService.MessageNotInflight", "Message does not exist or is not available for visibility timeout change.");
    }
    this.states.hide(message, this.deps.scheduler.now() + seconds * 1000);
    this.deps.record({ type: "message-state", queue: this, message });
    this.deps.emit({ type: "message.visibility-changed", queue: this.name, messageId: message.id, visibleAt: message.visibleAt! });
    if (seconds === 0) this.catchUp();
  }

  /**
   * PurgeQueue: deletes every message; a second purge within 60 s is refused, as on AWS. `force`:
   * no such rule (the engine emptying its queues); `consumer`: who called, told in `queue.purged`.
   */
  purge(options: { force?: boolean; consumer?: string } = {}): void {
    const now = this.deps.scheduler.now();
    if (!options.force && now - this.lastPurgeAt < PURGE_INTERVAL_MS) {
      throw new SqsError("AWS.SimpleQueueService.PurgeQueueInProgress", `Only one PurgeQueue operation on ${this.name} is allowed every 60 seconds.`, 403);
    }
    if (!options.force) this.lastPurgeAt = now;
    const messageIds = [...this.states.all.keys()];
    this.states.clear();
    this.fifoState?.clearMessages();
    this.deps.record({ type: "purged", queue: this, at: options.force ? null : now });
    this.deps.emit({ type: "queue.purged", queue: this.name, messageIds, ...(options.consumer !== undefined ? { consumer: options.consumer } : {}) });
  }

  /** Takes a message out of a message move task's source queue, once the target has it (no event: the task reports the move). */
  takeForMove(message: Message): void {
    this.remove(message);
    this.deps.record({ type: "message-gone", queue: this, messageId: message.id });
  }

  /** Stops the timer and ends long polls (DeleteQueue). */
  close(): void {
    this.states.stop();
    this.polls.endAll();
  }

  private remove(message: Message): void {
    this.states.remove(message);
    this.fifoState?.remove(message);
  }

  /** Applies every deadline that has come (the timer's work; also run before any read, to be exact to the ms). */
  private catchUp(): void {
    this.states.applyDue(this.deps.scheduler.now(), this.expired, this.visibleAgain);
  }

  private readonly expired = (message: Message): void => {
    this.remove(message);
    this.deps.record({ type: "message-gone", queue: this, messageId: message.id });
    this.deps.emit({ type: "message.expired", queue: this.name, messageId: message.id, sentAt: message.sentAt, retentionSeconds: this.settings.retentionMs / 1000 });
  };

  private readonly visibleAgain = (message: Message, wasInFlight: boolean): void => {
    if (wasInFlight) this.deps.emit({ type: "message.visible-again", queue: this.name, messageId: message.id, receiveCount: message.receiveCount });
    else this.deps.emit({ type: "message.delay-ended", queue: this.name, messageId: message.id });
    this.polls.wake();
  };
}

const expiredHandle = (receiptHandle: string) =>
  errors.invalidValue(receiptHandle, "ReceiptHandle", "The receipt handle has expired.");
