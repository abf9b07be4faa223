import { describe, expect, it } from "vitest";
import { tasksByCpu } from "../../bench/scenarios/browser.js";

// The browser figure's CPU side: from a Chrome trace, the page's own work per main-thread task
// after the burst began. Thread time (tdur) and wall time (dur) are in µs, as Chrome writes them.
const RENDERER = { pid: 7, tid: 70 };
const meta = { name: "thread_name", ph: "M", ts: 0, ...RENDERER, args: { name: "CrRendererMain" } };
const mark = { name: "burst-start", ph: "R", ts: 1_000, ...RENDERER };
const task = (ts: number, dur: number, tdur: number, where = RENDERER) => ({ name: "RunTask", ph: "X", ts, dur, tdur, ...where });

describe("the browser figure's CPU time per task", () => {
  it("takes the most thread time of a renderer main-thread task after the mark, not its length", () => {
    const figures = tasksByCpu([meta, mark, task(2_000, 90_000, 8_000), task(3_000, 60_000, 52_500), task(4_000, 70_000, 12_000)]);
    expect(figures).toEqual({ longest_ms: 52.5, over_50ms: 1 });
  });

  it("leaves out the page's start-up before the mark and other threads and processes", () => {
    const figures = tasksByCpu([meta, task(500, 200_000, 150_000), mark, task(2_000, 5_000, 4_000), task(3_000, 99_000, 99_000, { pid: 7, tid: 71 }), task(3_000, 99_000, 99_000, { pid: 8, tid: 70 })]);
    expect(figures).toEqual({ longest_ms: 4, over_50ms: 0 });
  });

  it("says nothing when the trace has no renderer main thread or no mark", () => {
    expect(tasksByCpu([mark, task(2_000, 5_000, 4_000)])).toBeNull();
    expect(tasksByCpu([meta, task(2_000, 5_000, 4_000)])).toBeNull();
  });
});
