/**
 * Time as the engine sees it. The queue model never reads the wall clock or starts a timer on its
 * own: it is handed a Scheduler, so tests drive time by hand and every deadline fires exactly.
 */
export interface Scheduler {
  /** Epoch milliseconds now. */
  now(): number;
  /** Run `fire` once at epoch ms `at` (at once if that is past). Returns a function that cancels it. */
  at(at: number, fire: () => void): () => void;
}

/** Wall-clock time and Node timers; timers are unref'd so an idle engine does not keep a process alive. */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  at(at, fire) {
    const timer = setTimeout(fire, Math.max(0, at - Date.now()));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** Where the engine gets its randomness (message ids, receipt handles), so tests can make it repeatable. */
export interface Randomness {
  /** A new RFC 4122 UUID, as SQS message ids are. */
  uuid(): string;
}
