import type { Message } from "./message.js";
import type { Scheduler } from "./scheduler.js";

/** One ReceiveMessage's choices. */
export interface ReceiveOptions {
  /** MaxNumberOfMessages, 1–10. */
  max: number;
  /** Seconds; undefined means the queue's VisibilityTimeout. */
  visibilityTimeout?: number;
  /** Who is receiving, as the caller labels it (reported in `message.received`). */
  consumer: string;
}

interface Waiter {
  options: ReceiveOptions;
  resolve(messages: Message[]): void;
  cancel(): void;
}

/**
 * The receivers waiting on one queue (WaitTimeSeconds > 0), first come first served. `wake` is
 * called whenever a message becomes visible; each waiter tries to receive until one gets nothing.
 */
export class LongPolls {
  private readonly waiters: Waiter[] = [];
  private waking = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly receiveNow: (options: ReceiveOptions) => Message[],
  ) {}

  /**
   * Receives now, or waits up to `waitSeconds` for messages. A poll whose caller went away
   * (`callerGone()` aborted: its connection closed) stops waiting, so no message goes in flight to
   * nobody. The signal is asked for only when the poll waits: most receives find messages at once.
   */
  receive(options: ReceiveOptions, waitSeconds: number, callerGone?: () => AbortSignal): Promise<Message[]> {
    const messages = this.receiveNow(options);
    if (messages.length > 0 || waitSeconds <= 0) return Promise.resolve(messages);
    const signal = callerGone?.();
    if (signal?.aborted) return Promise.resolve(messages);
    return new Promise((resolve) => {
      const waiter: Waiter = { options, resolve, cancel: () => {} };
      const cancelTimer = this.scheduler.at(this.scheduler.now() + waitSeconds * 1000, () => this.finish(waiter, []));
      const onAbort = () => this.finish(waiter, []);
      signal?.addEventListener("abort", onAbort, { once: true });
      waiter.cancel = () => {
        cancelTimer();
        signal?.removeEventListener("abort", onAbort);
      };
      this.waiters.push(waiter);
    });
  }

  /** A message became visible. Served after the current call, so a batch send wakes a poll once. */
  wake(): void {
    if (this.waking || this.waiters.length === 0) return;
    this.waking = true;
    queueMicrotask(() => {
      this.waking = false;
      while (this.waiters.length > 0) {
        const waiter = this.waiters[0]!;
        const messages = this.receiveNow(waiter.options);
        if (messages.length === 0) break;
        this.finish(waiter, messages);
      }
    });
  }

  endAll(): void {
    for (const waiter of [...this.waiters]) this.finish(waiter, []);
  }

  private finish(waiter: Waiter, messages: Message[]): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    waiter.cancel();
    waiter.resolve(messages);
  }
}
