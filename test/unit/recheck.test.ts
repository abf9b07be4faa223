import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Rechecker, SETTLE_MS } from "../../client/src/views/recheck.js";

// Fake timers: the scheduler's order of evaluations, not its speed, is what is tested here.
beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

/** An evaluation that reads the "world" when it starts and answers after `ms`. */
function world(ms: number) {
  const seen: number[] = [];
  let value = 0;
  const evaluate = async () => {
    const read = value;
    await new Promise((r) => setTimeout(r, ms));
    seen.push(read);
  };
  return { seen, evaluate, set: (v: number) => (value = v) };
}

describe("the notebook's re-check", () => {
  it("evaluates the last state after a burst of changes, however close together", async () => {
    const w = world(10);
    const recheck = new Rechecker(w.evaluate, () => false);
    for (let v = 1; v <= 5; v++) {
      w.set(v);
      recheck.changed();
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.seen.at(-1)).toBe(5);
    recheck.stop();
  });

  it("evaluates again when a change arrives while an evaluation is under way", async () => {
    const w = world(300);
    const recheck = new Rechecker(w.evaluate, () => false);
    w.set(1);
    recheck.changed();
    await vi.advanceTimersByTimeAsync(SETTLE_MS + 50);
    w.set(2);
    recheck.changed();
    await vi.advanceTimersByTimeAsync(2000);
    expect(w.seen).toEqual([1, 2]);
    recheck.stop();
  });

  it("re-evaluates on its own while something waits, with no change at all", async () => {
    const w = world(1);
    const recheck = new Rechecker(w.evaluate, () => true, 1000);
    await vi.advanceTimersByTimeAsync(3500);
    expect(w.seen.length).toBe(3);
    recheck.stop();
  });

  it("retries an evaluation that failed on its next tick, not in a tight loop", async () => {
    let calls = 0;
    const recheck = new Rechecker(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error("connection lost");
      },
      () => calls < 2,
      1000,
    );
    recheck.changed();
    await vi.advanceTimersByTimeAsync(900);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toBe(2);
    recheck.stop();
  });
});
