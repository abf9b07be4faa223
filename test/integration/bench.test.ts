import { describe, expect, it } from "vitest";
import { runBench, type BenchSizes } from "../../bench/harness.js";
import { hasChromium } from "../helpers/browser.js";

// The benchmark's own check: the harness runs end to end at a tiny size and reports every figure
// issue #8 asks for. Timings are the benchmark's business, never a test's: none is asserted here.
const TINY: BenchSizes = { e2eTasks: 20, burstTasks: 20, concurrency: 4, drainMessages: 20, engineMessages: 20, runs: 1, startupRuns: 1, restoredMessages: 50, browser: hasChromium(), clients: { messages: 2, messageBytes: 10_000, pages: 2, snapshotsEach: 2 }, runtime: { coldStarts: 2, warmInvokes: 5 } };

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
  "engine.send_ratio",
  "engine.receive_delete_ratio",
  "engine.durable_send_ratio",
  "engine.durable_receive_delete_ratio",
  "events.p50_ms",
  "events.p99_ms",
  "browser.longest_task_ms",
  "browser.longest_task_cpu_ms",
  "startup.median_ms",
  "startup.engine_alone_ms",
  "startup.engine_restore_ms",
  "startup.node_restore_ms",
  "bundle.first_load_gzip_kb",
  "memory.rss_mb_after_burst",
  "clients.rss_growth_mb",
  "clients.health_p99_ms",
  "runtime.node_cold_start_ms",
  "runtime.node_warm_invoke_p50_ms",
  "runtime.node_warm_overhead_ms",
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
