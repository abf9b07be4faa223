// The benchmark as a function: bench/run.ts calls it at full size, the integration test at a
// tiny one. It starts every process it measures and stops them again; it never asserts timings.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { ROOT } from "./server.js";
import { benchBundle, type BundleResult } from "./scenarios/bundle.js";
import { benchBurst, type BurstResult } from "./scenarios/burst.js";
import { benchDrain, type DrainResult } from "./scenarios/drain.js";
import { benchLatency, type LatencyResult } from "./scenarios/latency.js";
import { benchStartup, type StartupResult } from "./scenarios/startup.js";
import { judge, type BudgetCheck } from "./budgets.js";

export interface BenchSizes {
  /** Sequential tasks per latency run (issue #8: 1,000). */
  e2eTasks: number;
  /** Tasks per burst (issue #8: 10,000), posted by `concurrency` clients (16). */
  burstTasks: number;
  concurrency: number;
  /** Messages queued before each drain (issue #8: 10,000). */
  drainMessages: number;
  /** Repeated runs whose median is reported. */
  runs: number;
  /** Fresh processes started for the start-up figure (issue #8: 5). */
  startupRuns: number;
  /** Whether to open headless Chromium during a burst. */
  browser: boolean;
}

export const FULL_SIZES: BenchSizes = { e2eTasks: 1000, burstTasks: 10_000, concurrency: 16, drainMessages: 10_000, runs: 3, startupRuns: 5, browser: true };

export interface BenchResults {
  meta: { date: string; commit: string; node: string; cpus: number; load_average_before: number[]; load_average_after: number[]; duration_s: number; sizes: BenchSizes };
  e2e: LatencyResult["e2e"];
  burst: BurstResult["burst"];
  drain: DrainResult;
  events: LatencyResult["events"] & { burst_p50_ms: number; burst_p99_ms: number };
  browser: BurstResult["browser"];
  startup: StartupResult;
  bundle: BundleResult;
  memory: BurstResult["memory"] & { event_log_capacity: number };
  budgets: BudgetCheck[];
}

/** The playground's default EVENT_LOG_SIZE (server/config.ts): the log never holds more than 1.25× this. */
const EVENT_LOG_CAPACITY = 5000;

function commitOf(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

export async function runBench(sizes: BenchSizes, log: (line: string) => void = () => {}): Promise<BenchResults> {
  const started = performance.now();
  const before = loadavg();
  log(`bundle`);
  const bundle = await benchBundle(join(ROOT, "dist", "client"));
  log(`start-up (${sizes.startupRuns} runs)`);
  const startup = await benchStartup(sizes.startupRuns, log);
  log(`latency (${sizes.e2eTasks} sequential tasks × ${sizes.runs})`);
  const latency = await benchLatency(sizes.e2eTasks, sizes.runs, log);
  log(`burst (${sizes.burstTasks} tasks, ${sizes.concurrency} clients × ${sizes.runs})`);
  const burst = await benchBurst({ tasks: sizes.burstTasks, concurrency: sizes.concurrency, runs: sizes.runs, browser: sizes.browser }, log);
  log(`drain (${sizes.drainMessages} messages × ${sizes.runs})`);
  const drain = await benchDrain(sizes.drainMessages, sizes.runs, log);
  const results: Omit<BenchResults, "budgets"> = {
    meta: {
      date: new Date().toISOString(),
      commit: commitOf(),
      node: process.version,
      cpus: cpus().length,
      load_average_before: before.map((l) => Math.round(l * 100) / 100),
      load_average_after: loadavg().map((l) => Math.round(l * 100) / 100),
      duration_s: Math.round((performance.now() - started) / 1000),
      sizes,
    },
    e2e: latency.e2e,
    burst: burst.burst,
    drain,
    events: { ...latency.events, burst_p50_ms: burst.events_during_burst.p50_ms, burst_p99_ms: burst.events_during_burst.p99_ms },
    browser: burst.browser,
    startup,
    bundle,
    memory: { ...burst.memory, event_log_capacity: EVENT_LOG_CAPACITY },
  };
  return { ...results, budgets: judge(results) };
}
