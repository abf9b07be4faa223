import type { Randomness, Scheduler } from "../../server/sqs/model/scheduler.js";

/**
 * A clock the test moves by hand: `advance(ms)` runs every timer that falls due, in time order,
 * with `now()` equal to each timer's moment while it runs. Deterministic ids come with it.
 */
export class FakeScheduler implements Scheduler {
  private time: number;
  private timers: { at: number; seq: number; fire: () => void }[] = [];
  private seq = 0;

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  at(at: number, fire: () => void): () => void {
    const timer = { at, seq: ++this.seq, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing due timers on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fire();
    }
    this.time = end;
  }

  /** How many timers are pending (a queue should hold one, not one per message). */
  get pending(): number {
    return this.timers.length;
  }
}

/** Message ids m-1, m-2, … so tests can name them. */
export function countingRandomness(): Randomness {
  let n = 0;
  return { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` };
}
