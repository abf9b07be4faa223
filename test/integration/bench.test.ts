import { describe, expect, it } from "vitest";
import { runBench, type BenchSizes } from "../../bench/harness.js";
import { hasChromium } from "../helpers/browser.js";

// The benchmark's own check: the harness runs end to end at a tiny size and reports every figure
// issue #8 asks for. Timings are the benchmark's business, never a test's: none is asserted here.
const TINY: BenchSizes = { e2eTasks: 20, burstTasks: 20, concurrency: 4, drainMessages: 20, runs: 1, startupRuns: 1, browser: hasChromium() };

const REQUIRED_KEYS = [
  "e2e.p50_ms",
  "e2e.p99_ms",
  "burst.tasks_per_s",
  "burst.raw_sends_per_s",
  "burst.ratio",
  "burst.lost",
  "burst.duplicated",
  "drain.ours_per_s",
  "drain.sqs_consumer_per_s",
  "drain.ratio",
  "events.p50_ms",
  "events.p99_ms",
  "browser.longest_task_ms",
  "startup.median_ms",
  "startup.fauxqs_alone_ms",
  "bundle.first_load_gzip_kb",
  "memory.rss_mb_after_burst",
];

const at = (object: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((value, key) => (value && typeof value === "object" && key in value ? (value as Record<string, unknown>)[key] : undefined), object);

describe("the benchmark harness", () => {
  it("runs at a tiny size and reports every figure of issue #8, with no task lost or done twice", { timeout: 180_000 }, async () => {
    const results = await runBench(TINY);
    const json = JSON.parse(JSON.stringify(results)) as unknown;
    for (const key of REQUIRED_KEYS) expect(at(json, key), key).not.toBeUndefined();
    expect(results.burst.lost).toBe(0);
    expect(results.burst.duplicated).toBe(0);
    expect(results.budgets.map((b) => b.key)).toContain("burst.ratio");
  });
});
