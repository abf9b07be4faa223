import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { restartWhenQuiet } from "../../client/src/recordingLimit.js";

describe("the recording's restart (fake timers: the rule is about quiet time)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const restart = vi.fn();
    return { restart, limit: restartWhenQuiet({ soft: 100, hard: 200, quietMs: 1000, restart }) };
  };

  it("does nothing up to the soft limit", () => {
    const { restart, limit } = make();
    limit.seen(100);
    vi.advanceTimersByTime(5000);
    expect(restart).not.toHaveBeenCalled();
  });

  it("past the soft limit, waits until no events came for quietMs", () => {
    const { restart, limit } = make();
    limit.seen(120);
    vi.advanceTimersByTime(900);
    limit.seen(150); // still bursting: the wait starts again
    vi.advanceTimersByTime(900);
    expect(restart).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it("past the hard limit, restarts at once, and once until done", () => {
    const { restart, limit } = make();
    limit.seen(150);
    limit.seen(201);
    expect(restart).toHaveBeenCalledTimes(1);
    limit.seen(250);
    vi.advanceTimersByTime(5000);
    expect(restart).toHaveBeenCalledTimes(1);
    limit.done();
    limit.seen(260);
    expect(restart).toHaveBeenCalledTimes(2);
  });
});
