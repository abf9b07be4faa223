import { DeadlineHeap } from "./heap.js";
import type { Scheduler } from "./scheduler.js";

const NOTHING: never[] = [];

/**
 * A queue's pending deadlines (ends of delays, visibility timeouts, retention periods) and the one
 * timer set for the earliest of them. When it fires, `onDue` runs; the owner takes what is due
 * with `takeDue` and decides, entry by entry, whether it still applies (stale entries are not
 * removed when a message changes, only skipped when they come up).
 */
export class DeadlineTimer<T> {
  private readonly heap = new DeadlineHeap<T>();
  private timer: { at: number; cancel: () => void } | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly onDue: () => void,
  ) {}

  get size(): number {
    return this.heap.size;
  }

  /** Adds a deadline at epoch ms `at`; the timer moves earlier if it must. */
  add(at: number, value: T): void {
    this.heap.push(at, value);
    this.arm();
  }

  /** Removes and returns every entry due by `now`, earliest first, and re-arms for the rest. */
  takeDue(now: number): T[] {
    const top = this.heap.peek();
    // Most calls find nothing due. Still re-armed: a timer may fire a little before its moment
    // (Node's timers run on another clock than Date.now()), and the deadline then needs a new one.
    if (top === undefined || top.at > now) {
      this.arm();
      return NOTHING;
    }
    const due: T[] = [];
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) due.push(this.heap.pop()!.value);
    this.arm();
    return due;
  }

  /** Replaces every entry (to drop stale ones), or empties the timer with none. */
  reset(entries: Iterable<[number, T]> = []): void {
    this.heap.clear();
    for (const [at, value] of entries) this.heap.push(at, value);
    this.arm();
  }

  stop(): void {
    this.heap.clear();
    this.arm();
  }

  private arm(): void {
    const next = this.heap.peek();
    if (this.timer && this.timer.at === next?.at) return;
    this.timer?.cancel();
    this.timer = undefined;
    if (!next) return;
    const timer = { at: next.at, cancel: () => {} };
    timer.cancel = this.scheduler.at(next.at, () => {
      if (this.timer === timer) this.timer = undefined;
      this.onDue();
    });
    this.timer = timer;
  }
}
