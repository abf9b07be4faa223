// The benchmark as a function: bench/run.ts calls it at full size, the integration test at a
// tiny one. It starts every process it measures and stops them again; it never asserts timings.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { ROOT } from "./server.js";
import { benchBundle, type BundleResult } from "./scenarios/bundle.js";
import { benchBurst, type BurstResult } from "./scenarios/burst.js";
import { benchDrain, type DrainResult } from "./scenarios/drain.js";
import { benchEngine, type EngineResult } from "./scenarios/engine.js";
import { benchLatency, type LatencyResult } from "./scenarios/latency.js";
import { benchStartup, type StartupResult } from "./scenarios/startup.js";
import { benchClients, CLIENTS_FULL, type ClientsOptions, type ClientsResult } from "./scenarios/clients.js";
import { judge, type BudgetCheck } from "./budgets.js";
import { benchRuntime, type RuntimeBenchResults } from "./scenarios/runtime.js";

export interface BenchSizes {
  /** Sequential tasks per latency run (issue #8: 1,000). */
  e2eTasks: number;
  /** Tasks per burst (issue #8: 10,000), posted by `concurrency` clients (16). */
  burstTasks: number;
  concurrency: number;
  /** Messages queued before each drain (issue #8: 10,000). */
  drainMessages: number;
  /** Messages sent, then received and deleted, by the SQS engine alone and by fauxqs alone (issue #16). */
  engineMessages: number;
  /** Repeated runs whose median is reported. */
  runs: number;
  /** Fresh processes started for the start-up figure (issue #8: 5). */
  startupRuns: number;
  /** Messages (and tasks) in the data folder restored by the start-up-with-data figures (issue #16: 10,000). */
  restoredMessages: number;
  /** Whether to open headless Chromium during a burst. */
  browser: boolean;
  /** Pages asking for snapshots after large messages (issue 14: 15 pages, 60 × 1 MB). */
  clients: ClientsOptions;
  /** Deployed functions (issue #18): cold starts per language (10), warm invocations (300). */
  runtime?: { coldStarts: number; warmInvokes: number };
}

export const FULL_SIZES: BenchSizes = { e2eTasks: 1000, burstTasks: 10_000, concurrency: 16, drainMessages: 10_000, engineMessages: 5000, runs: 3, startupRuns: 5, restoredMessages: 10_000, browser: true, clients: CLIENTS_FULL, runtime: { coldStarts: 10, warmInvokes: 300 } };

export interface BenchResults {
  meta: { date: string; commit: string; node: string; cpus: number; load_average_before: number[]; load_average_after: number[]; duration_s: number; sizes: BenchSizes };
  e2e: LatencyResult["e2e"];
  burst: BurstResult["burst"];
  drain: DrainResult;
  engine: EngineResult;
  events: LatencyResult["events"] & { burst_p50_ms: number; burst_p99_ms: number };
  browser: BurstResult["browser"];
  startup: StartupResult;
  bundle: BundleResult;
  memory: BurstResult["memory"] & { event_log_capacity: number };
  clients: ClientsResult;
  /** Absent from runs before issue #18. */
  runtime?: RuntimeBenchResults;
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
  const startup = await benchStartup(sizes.startupRuns, log, sizes.restoredMessages);
  log(`latency (${sizes.e2eTasks} sequential tasks × ${sizes.runs})`);
  const latency = await benchLatency(sizes.e2eTasks, sizes.runs, log);
  log(`burst (${sizes.burstTasks} tasks, ${sizes.concurrency} clients × ${sizes.runs})`);
  const burst = await benchBurst({ tasks: sizes.burstTasks, concurrency: sizes.concurrency, runs: sizes.runs, browser: sizes.browser }, log);
  log(`drain (${sizes.drainMessages} messages × ${sizes.runs})`);
  const drain = await benchDrain(sizes.drainMessages, sizes.runs, log);
  log(`SQS engine alone vs fauxqs alone (${sizes.engineMessages} messages, ${sizes.concurrency} clients × ${sizes.runs})`);
  const engine = await benchEngine(sizes.engineMessages, sizes.concurrency, sizes.runs, log);
  log(`pages after large messages (${sizes.clients.pages} pages, ${sizes.clients.messages} × ${sizes.clients.messageBytes} B)`);
  const clients = await benchClients(sizes.clients, log);
  const runtimeSizes = sizes.runtime ?? { coldStarts: 10, warmInvokes: 300 };
  log(`deployed functions (${runtimeSizes.coldStarts} cold starts per language, ${runtimeSizes.warmInvokes} warm invocations)`);
  const runtime = await benchRuntime(log, runtimeSizes.coldStarts, runtimeSizes.warmInvokes);
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
    engine,
    events: { ...latency.events, burst_p50_ms: burst.events_during_burst.p50_ms, burst_p99_ms: burst.events_during_burst.p99_ms },
    browser: burst.browser,
    startup,
    bundle,
    memory: { ...burst.memory, event_log_capacity: EVENT_LOG_CAPACITY },
    clients,
    runtime,
  };
  return { ...results, budgets: judge(results) };
}
