import { DeadlineTimer } from "./deadlineTimer.js";
import type { Message } from "./message.js";
import type { Scheduler } from "./scheduler.js";

type Deadline = { message: Message; version: number; kind: "visible" | "expire" };

/**
 * Where each message of one queue is, and until when: every message in send order (or the order it
 * was moved in), the visible ones, how many are in flight or delayed (so counting costs nothing),
 * and the deadlines that end a delay, a visibility timeout or a retention period, with one timer
 * for the earliest. The queue decides the moves (and tells of them); this keeps the books straight.
 */
export class MessageStates {
  /** Every message, in the order it was sent (or moved here): a standard queue offers the oldest first. */
  readonly all = new Map<string, Message>();
  /** The visible ones. */
  readonly visible = new Map<string, Message>();
  private inFlightCount = 0;
  private delayedCount = 0;
  private readonly deadlines: DeadlineTimer<Deadline>;

  /** @param onDue called when the earliest deadline comes: the owner then calls `applyDue` */
  constructor(scheduler: Scheduler, onDue: () => void) {
    this.deadlines = new DeadlineTimer(scheduler, onDue);
  }

  /** Messages visible, in flight and delayed (as of the last `applyDue`). */
  counts(): { visible: number; inFlight: number; delayed: number } {
    return { visible: this.visible.size, inFlight: this.inFlightCount, delayed: this.delayedCount };
  }

  /** A message held now, by id (undefined once it is gone). */
  get(messageId: string): Message | undefined {
    return this.all.get(messageId);
  }

  /** A new, moved or restored message: hidden as `hiddenAs` until epoch ms `visibleAt`, or visible at once (null). */
  add(message: Message, visibleAt: number | null, hiddenAs: "delayed" | "in-flight"): void {
    this.all.set(message.id, message);
    this.deadlines.add(message.expiresAt, { message, version: message.version, kind: "expire" });
    if (visibleAt === null) return this.show(message);
    message.state = hiddenAs;
    message.visibleAt = visibleAt;
    if (hiddenAs === "delayed") this.delayedCount += 1;
    else this.inFlightCount += 1;
    this.deadlines.add(visibleAt, { message, version: message.version, kind: "visible" });
  }

  /** In flight until epoch ms `visibleAt` (received, or hidden by ChangeMessageVisibility); a deadline set before no longer applies. */
  hide(message: Message, visibleAt: number): void {
    if (message.state === "in-flight") {
      message.version += 1;
    } else {
      this.leave(message);
      message.state = "in-flight";
      this.inFlightCount += 1;
    }
    message.visibleAt = visibleAt;
    this.deadlines.add(visibleAt, { message, version: message.version, kind: "visible" });
  }

  /** Gone from the queue (deleted, moved out, expired). */
  remove(message: Message): void {
    this.all.delete(message.id);
    this.leave(message);
    if (this.deadlines.size > 2 * this.all.size + 1024) this.compactDeadlines();
  }

  /** Every message gone at once (a purge), and every deadline. */
  clear(): void {
    this.all.clear();
    this.visible.clear();
    this.inFlightCount = this.delayedCount = 0;
    this.deadlines.stop();
  }

  /** Stops the timer (the queue is deleted). */
  stop(): void {
    this.deadlines.stop();
  }

  /**
   * Applies every deadline come by epoch ms `now`, earliest first: a message whose delay or
   * visibility timeout ended becomes visible and is told to `onVisible` (with whether it had been
   * in flight); one whose retention ended is told to `onExpired`, which must remove it.
   */
  applyDue(now: number, onExpired: (message: Message) => void, onVisible: (message: Message, wasInFlight: boolean) => void): void {
    for (const { message, version, kind } of this.deadlines.takeDue(now)) {
      if (this.all.get(message.id) !== message) continue;
      if (kind === "expire") {
        onExpired(message);
      } else if (message.version === version) {
        const wasInFlight = message.state === "in-flight";
        this.leave(message);
        this.show(message);
        onVisible(message, wasInFlight);
      }
    }
  }

  private show(message: Message): void {
    message.state = "visible";
    message.visibleAt = null;
    this.visible.set(message.id, message);
  }

  /** Out of its current state's books; its version moves on, so deadlines set for that state are ignored. */
  private leave(message: Message): void {
    if (message.state === "visible") this.visible.delete(message.id);
    else if (message.state === "delayed") this.delayedCount -= 1;
    else this.inFlightCount -= 1;
    message.version += 1;
  }

  /** Drops deadlines of messages already gone (deleted long before their retention ended). */
  private compactDeadlines(): void {
    const entries: [number, Deadline][] = [];
    for (const message of this.all.values()) {
      entries.push([message.expiresAt, { message, version: message.version, kind: "expire" }]);
      if (message.visibleAt !== null) entries.push([message.visibleAt, { message, version: message.version, kind: "visible" }]);
    }
    this.deadlines.reset(entries);
  }
}
