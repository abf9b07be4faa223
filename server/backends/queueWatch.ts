import type { QueueView, QueuedMessage } from "../../common/events.js";
import { taskIdOf } from "../../common/taskMessage.js";
import { previewOf } from "../../common/bodyPreview.js";
import type { Clock, Publish } from "../events/eventLog.js";

/** One message as LocalStack's developer endpoint lists it (the fields of ReceiveMessage). */
interface ListedMessage {
  MessageId?: string;
  Body?: string;
  Attributes?: Record<string, string>;
}

export interface WatchedQueue {
  name: string;
  url: string;
}

export interface QueueWatchOptions {
  /** LocalStack's base URL, e.g. http://localstack:4566. */
  endpoint: string;
  queue: WatchedQueue;
  deadLetterQueue: WatchedQueue;
  publish: Publish;
  clock?: Clock;
  /** The queue's visibility timeout now: the endpoint does not say when an in-flight message returns. */
  visibilityTimeoutSeconds: () => number;
  /**
   * Whether a Lambda trigger polls this queue now, and if so its batching window (ms): a receive
   * made while none does is another client's at once. Null: no trigger polls it.
   */
  triggerWindowMs: () => number | null;
  fetchImpl?: typeof fetch;
}

/**
 * How long after a receive the invocation it belongs to may still report its start, beyond the
 * batching window (ms): an execution environment has 10 s to initialise, on Lambda (its Init phase
 * limit, lambda-runtime-environment.html) as on LocalStack (LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT,
 * default 10 s), plus two watch polls and the report's own call. A fixed wait of a second or two
 * is not enough: a cold start under load takes longer, and the trigger's receive would be drawn as
 * another client's.
 */
const REPORT_WITHIN_MS = 10_000 + 2_000;

interface Seen {
  /** As pages see it: the body cut to its preview. */
  message: QueuedMessage;
  /** The whole body, for `messageBody` (one message at a time, on request). */
  body: string;
  receivedAt: number | null;
  /** When we first knew of it: a poll that began earlier cannot prove it gone. */
  since: number;
}

/**
 * The queues as LocalStack holds them, read through its developer endpoint
 * (`/_aws/sqs/messages?ShowInvisible=true&ShowDelayed=true`), which lists messages WITHOUT
 * receiving them. Each poll is compared with what we knew, and the differences become the same
 * message.* events the engine's own event stream gives in embedded mode. Sends by the API and receives
 * reported by the function are announced at once; polling catches everything else (a terminal's
 * receive, a visibility timeout running out, a delete, a move to the dead-letter queue).
 */
export class QueueWatch {
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;
  private main = new Map<string, Seen>();
  private dead = new Map<string, Seen>();
  /**
   * Receives no invocation has claimed yet, with when they stop waiting (epoch ms). One is
   * attributed when that is known: an invocation reports it (the trigger's); or it cannot any more —
   * the message left flight (deleted, back, dead-lettered: a function reports before it works), or
   * no report came in time (another client's).
   */
  private readonly unattributed = new Map<string, number>();

  constructor(private readonly options: QueueWatchOptions) {
    this.clock = options.clock ?? Date.now;
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  views(): QueueView[] {
    return [this.view(this.options.queue, this.main), this.view(this.options.deadLetterQueue, this.dead)];
  }

  /** The whole body of a message the queue or its DLQ held at the last poll. */
  messageBody(messageId: string): { queue: string; body: string } | undefined {
    const main = this.main.get(messageId);
    if (main) return { queue: this.options.queue.name, body: main.body };
    const dead = this.dead.get(messageId);
    return dead && { queue: this.options.deadLetterQueue.name, body: dead.body };
  }

  /** The API's SendMessage succeeded (`groupId`: its MessageGroupId, on a FIFO queue). */
  noteSent(messageId: string, body: string, groupId?: string): void {
    if (this.main.has(messageId)) return;
    const now = this.clock();
    const preview = previewOf(body);
    const group = groupId === undefined ? {} : { groupId };
    const message: QueuedMessage = { messageId, taskId: taskIdOf(body), ...preview, receiveCount: 0, sentAt: now, state: "visible", visibleAt: null, ...group };
    this.main.set(messageId, { message, body, receivedAt: null, since: now });
    this.options.publish({ type: "message.sent", queue: this.options.queue.name, messageId, taskId: message.taskId, ...group, ...preview });
  }

  /** An invocation reported these records: the trigger received each message for the `receiveCounts[i]`-th time. */
  noteInvoked(messageIds: string[], receiveCounts: number[]): void {
    const now = this.clock();
    messageIds.forEach((messageId, i) => {
      const count = receiveCounts[i] ?? 1;
      const seen = this.main.get(messageId);
      if (!seen) return;
      if (this.unattributed.delete(messageId)) return this.publishReceived(seen, "lambda-trigger");
      if (seen.message.receiveCount >= count) return;
      if (seen.message.state === "in-flight") this.returned(seen.message);
      this.receive(seen, count, now);
      this.publishReceived(seen, "lambda-trigger");
    });
  }

  /** Read both queues once and publish what changed. */
  async poll(): Promise<void> {
    const started = this.clock();
    const [main, dead] = await Promise.all([this.list(this.options.queue.url), this.list(this.options.deadLetterQueue.url)]);
    const now = this.clock();
    const { publish } = this.options;
    const queue = this.options.queue.name;
    const deadLetterQueue = this.options.deadLetterQueue.name;
    const listedMain = new Set<string>();
    for (const { message: listed, body } of main) {
      listedMain.add(listed.messageId);
      let seen = this.main.get(listed.messageId);
      if (!seen) {
        if (this.dead.has(listed.messageId)) continue;
        seen = { message: { ...listed, receiveCount: 0, state: "visible" }, body, receivedAt: null, since: now };
        this.main.set(listed.messageId, seen);
        publish({ type: "message.sent", queue, messageId: listed.messageId, taskId: listed.taskId, ...(listed.groupId === undefined ? {} : { groupId: listed.groupId }), ...previewOf(body) });
        if (listed.state === "delayed") publish({ type: "message.delayed", queue, messageId: listed.messageId, taskId: listed.taskId, visibleAt: now });
      }
      if (listed.receiveCount > seen.message.receiveCount) {
        if (seen.message.state === "in-flight") this.returned(seen.message);
        this.receive(seen, listed.receiveCount, now);
        const windowMs = this.options.triggerWindowMs();
        if (windowMs === null) this.publishReceived(seen, "other-client");
        else this.unattributed.set(listed.messageId, now + windowMs + REPORT_WITHIN_MS);
      } else if (seen.message.state === "in-flight" && listed.state === "visible") {
        this.returned(seen.message);
      }
      seen.message.state = listed.state;
      seen.message.sentAt = listed.sentAt || seen.message.sentAt;
      if (listed.state !== "in-flight") seen.message.visibleAt = null;
    }
    const listedDead = new Map(dead.map((m) => [m.message.messageId, m]));
    const movedNow = new Set<string>();
    for (const [messageId, seen] of this.main) {
      if (listedMain.has(messageId) || seen.since >= started) continue;
      this.main.delete(messageId);
      if (this.unattributed.delete(messageId)) this.publishReceived(seen, "other-client");
      if (listedDead.has(messageId)) {
        movedNow.add(messageId);
        publish({ type: "message.dead-lettered", queue, deadLetterQueue, messageId, taskId: seen.message.taskId, receiveCount: seen.message.receiveCount });
      } else {
        publish({ type: "message.deleted", queue, messageId, taskId: seen.message.taskId });
      }
    }
    const nextDead = new Map<string, Seen>();
    for (const { message: listed, body } of dead) {
      const known = this.dead.get(listed.messageId);
      // A message that just left the main queue for the DLQ was announced above as dead-lettered.
      if (!known && !movedNow.has(listed.messageId) && !listedMain.has(listed.messageId)) {
        publish({ type: "message.sent", queue: deadLetterQueue, messageId: listed.messageId, taskId: listed.taskId, ...previewOf(body) });
      }
      nextDead.set(listed.messageId, { message: { ...listed, state: "visible", visibleAt: null }, body, receivedAt: null, since: known?.since ?? now });
    }
    for (const [messageId, seen] of this.dead) {
      if (!listedDead.has(messageId) && seen.since < started) publish({ type: "message.deleted", queue: deadLetterQueue, messageId, taskId: seen.message.taskId });
      else if (!listedDead.has(messageId)) nextDead.set(messageId, seen);
    }
    this.dead = nextDead;
    for (const [messageId, until] of this.unattributed) {
      const seen = this.main.get(messageId);
      if (seen && now >= until) {
        this.unattributed.delete(messageId);
        this.publishReceived(seen, "other-client");
      }
    }
  }

  private receive(seen: Seen, count: number, now: number): void {
    seen.message.receiveCount = count;
    seen.message.state = "in-flight";
    seen.receivedAt = now;
    seen.message.visibleAt = now + this.options.visibilityTimeoutSeconds() * 1000;
  }

  private publishReceived(seen: Seen, consumer: "lambda-trigger" | "other-client"): void {
    const { message } = seen;
    this.options.publish({
      type: "message.received",
      queue: this.options.queue.name,
      messageId: message.messageId,
      taskId: message.taskId,
      receiptHandle: "(not observable in this mode)",
      receiveCount: message.receiveCount,
      visibleAt: message.visibleAt ?? this.clock(),
      consumer,
    });
  }

  private returned(message: QueuedMessage): void {
    const pending = this.unattributed.delete(message.messageId);
    if (pending) this.publishReceived({ message, body: "", receivedAt: null, since: 0 }, "other-client");
    message.state = "visible";
    message.visibleAt = null;
    this.options.publish({ type: "message.visible-again", queue: this.options.queue.name, messageId: message.messageId, taskId: message.taskId, receiveCount: message.receiveCount });
  }

  private view(queue: WatchedQueue, seen: Map<string, Seen>): QueueView {
    const messages = [...seen.values()].map((s) => ({ ...s.message }));
    const count = (state: QueuedMessage["state"]) => messages.filter((m) => m.state === state).length;
    return { name: queue.name, url: queue.url, visible: count("visible"), inFlight: count("in-flight"), delayed: count("delayed"), messages };
  }

  private async list(queueUrl: string): Promise<Listed[]> {
    // The JSON protocol makes LocalStack answer with ReceiveMessage's JSON shape: {"Messages": [...]}.
    const response = await this.fetchImpl(`${this.options.endpoint}/_aws/sqs/messages?ShowInvisible=true&ShowDelayed=true`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ReceiveMessage" },
      body: JSON.stringify({ QueueUrl: queueUrl }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`LocalStack's /_aws/sqs/messages answered ${response.status} for ${queueUrl}`);
    const listed = ((await response.json()) as { Messages?: ListedMessage[] }).Messages ?? [];
    return listed.flatMap((m) => (m.MessageId ? [toQueued(m)] : []));
  }
}

/** A listed message as pages see it (body cut to its preview), and its whole body. */
interface Listed {
  message: QueuedMessage;
  body: string;
}

function toQueued(m: ListedMessage): Listed {
  const attributes = m.Attributes ?? {};
  const body = m.Body ?? "";
  const state: QueuedMessage["state"] = attributes.IsDelayed === "true" ? "delayed" : attributes.IsVisible === "false" ? "in-flight" : "visible";
  const message: QueuedMessage = {
    messageId: m.MessageId ?? "",
    taskId: taskIdOf(body),
    ...previewOf(body),
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 0),
    sentAt: Number(attributes.SentTimestamp ?? 0),
    state,
    visibleAt: null,
    ...(attributes.MessageGroupId === undefined ? {} : { groupId: attributes.MessageGroupId }),
  };
  return { message, body };
}
