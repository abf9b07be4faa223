// When the world changes, the notebook re-evaluates its live checks. A throttle that drops changes
// loses the last one (a check stayed "✗ got processing" after its task completed): this scheduler
// never drops a change, it only merges changes that arrive while an evaluation is under way.

/** How long to gather a burst of changes into one evaluation, in ms. */
export const SETTLE_MS = 100;

/**
 * Runs `evaluate` after every change, on the state as it is after that change (trailing edge):
 * a change while an evaluation runs schedules one more evaluation after it. `tick` (ms) re-runs
 * it while `wanted()` says something still waits (a deadline, a visibility timeout: time passes
 * without events). Tests drive it with fake timers.
 */
export class Rechecker {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private dirty = false;
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(
    private readonly evaluate: () => Promise<void>,
    private readonly wanted: () => boolean,
    tickMs = 1000,
  ) {
    this.ticker = setInterval(() => {
      if (this.wanted()) this.changed();
    }, tickMs);
  }

  /** Something changed: make sure an evaluation starts after this moment. */
  changed(): void {
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), SETTLE_MS);
  }

  stop(): void {
    clearInterval(this.ticker);
    clearTimeout(this.timer);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      await this.evaluate();
    } catch {
      // A failed request (the connection dropped) is retried by the next change or tick, not at
      // once: a server that keeps refusing must not be asked ten times a second.
    } finally {
      this.running = false;
      if (this.dirty) {
        this.dirty = false;
        this.changed();
      }
    }
  }
}
