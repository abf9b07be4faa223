// The lesson pace: live events played to the drawing in order, each step of the flow shown long
// enough for a person to follow it, while a burst is shown as it happens. No DOM and no clock
// here: the caller passes the time in, so the tests can play any sequence exactly.
import type { FlowEvent } from "../../common/events.js";
import { isFunctionVisibilityChange } from "../../common/heartbeat.js";

export interface PaceOptions {
  /** How long each step of the flow stays on screen before the next is shown, in ms. */
  dwellMs: number;
  /** More steps than this waiting at once is a burst: everything is shown at once, in real time. */
  burstThreshold: number;
  /** A burst ends after this long without new events (ms); until then new events are shown at once. */
  burstQuietMs: number;
}

export const LESSON_PACE: PaceOptions = { dwellMs: 700, burstThreshold: 24, burstQuietMs: 2000 };

/** What a tick let through: the events to show now (in order) and whether a burst is being shown. */
export interface Released {
  events: FlowEvent[];
  burst: boolean;
}

/**
 * Events a learner watches happen: each takes one dwell. Everything else (SQS calls, concurrency
 * changes, settings) goes through at once with the step that follows it. `next`: the event after
 * it, when known: one PurgeQueue's deletions are one step, the last of them (a purge of ten
 * messages read out ten sentences, seconds apart).
 */
export function isStep(event: FlowEvent, next?: FlowEvent): boolean {
  if (event.type === "message.deleted" && event.purgedBy !== undefined) {
    return !(next?.type === "message.deleted" && next.purgedBy !== undefined && next.queue === event.queue);
  }
  switch (event.type) {
    case "task.created":
    case "message.sent":
    case "message.received":
    case "message.visible-again":
    case "message.deleted":
    case "message.dead-lettered":
    case "message.expired":
    case "lambda.throttled":
    case "lambda.invoked":
    case "lambda.cold-start":
    case "step.paused":
      return true;
    case "task.updated":
      return event.from !== event.task.status;
    case "sqs.call":
      return isFunctionVisibilityChange(event.call) && !event.call.error;
    default:
      return false;
  }
}

/**
 * A queue of live events between the fold and the drawing. `arrive` adds events as they come;
 * `tick(now)` lets through what is due: the next step (and the instant events before it) once the
 * previous step has been on screen for `dwellMs`, or everything during a burst. With `realTime`
 * on, every tick lets everything through.
 */
export class Pacer {
  private waiting: FlowEvent[] = [];
  private steps = 0;
  private nextAt = -Infinity;
  private burstUntil = -Infinity;
  private lastBurst = 0;
  realTime = false;

  constructor(private readonly options: PaceOptions = LESSON_PACE) {}

  /** Live events, in sequence order, at time `now` (ms, any clock as long as it is the same one). */
  arrive(events: readonly FlowEvent[], now: number): void {
    this.waiting.push(...events);
    this.steps = this.countSteps();
    if (this.steps > this.options.burstThreshold || now < this.burstUntil) {
      if (now >= this.burstUntil) this.lastBurst = 0;
      this.lastBurst += this.waiting.length;
      this.burstUntil = now + this.options.burstQuietMs;
    }
  }

  /** The events due at `now`, in order; an empty list when the drawing should stay as it is. */
  tick(now: number): Released {
    const burst = now < this.burstUntil;
    if (this.realTime || burst) return { events: this.flush(), burst };
    // A world reset wipes what came before it: played after the learner's Reset, those steps drew a
    // task the world no longer had. Everything up to the reset goes through at once.
    const reset = this.waiting.findLastIndex((event) => event.type === "world.reset");
    if (reset >= 0) {
      const events = this.waiting.splice(0, reset + 1);
      this.steps = this.countSteps();
      this.nextAt = now;
      return { events, burst: false };
    }
    if (now < this.nextAt || this.waiting.length === 0) return { events: [], burst: false };
    // Through the next step, with the instant events before it.
    const index = this.waiting.findIndex((event, i, all) => isStep(event, all[i + 1]));
    const events = index < 0 ? this.flush() : this.waiting.splice(0, index + 1);
    if (index >= 0) {
      this.steps -= 1;
      this.nextAt = now + this.options.dwellMs;
    }
    return { events, burst: false };
  }

  private countSteps(): number {
    return this.waiting.reduce((n, event, i, all) => n + (isStep(event, all[i + 1]) ? 1 : 0), 0);
  }

  /** Everything still waiting, let through at once (the switch to real time, a rewind, a reconnect). */
  flush(): FlowEvent[] {
    const events = this.waiting;
    this.waiting = [];
    this.steps = 0;
    return events;
  }

  /** How many events wait to be shown: the "catching up (n events)" counter. */
  get behind(): number {
    return this.waiting.length;
  }

  /** Whether every event up to `seq` has been let through (nothing at or before it still waits). */
  shownThrough(seq: number): boolean {
    const first = this.waiting[0];
    return first === undefined || first.seq > seq;
  }

  /** How many of the waiting events are steps of the flow (the ones that take a dwell each). */
  get stepsBehind(): number {
    return this.steps;
  }

  /** How many events the current (or last) burst showed at once. */
  get burstSize(): number {
    return this.lastBurst;
  }

  /** When the step on screen may give way to the next (ms, the caller's clock). */
  get dueAt(): number {
    return this.nextAt;
  }

  /** When the first event still waiting happened (its `at`, the world's clock), or null when none waits. */
  get nextEventAt(): number | null {
    return this.waiting[0]?.at ?? null;
  }
}

/**
 * The moment the paced drawing shows: `shownAt` (when the last event shown happened) plus the real
 * time since it was shown, but never past the first event still waiting. Past it, a card's
 * visibility countdown ran out and the drawing said a message was back in the queue ("failed 1/3"
 * on lab 5's lanes) while the event that deleted it only waited its turn.
 * @param clock `{at, wall}`: the world's time of the last event shown and the wall clock (ms) when it was
 * @returns ms on the world's clock
 */
export function pacedTime(clock: { at: number; wall: number }, wallNow: number, nextEventAt: number | null): number {
  return Math.min(clock.at + (wallNow - clock.wall), nextEventAt ?? Infinity);
}
