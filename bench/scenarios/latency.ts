// End-to-end latency on an idle playground (POST /tasks → the task's `completed` event), with
// SQS's own round trip on the same fauxqs as the baseline; and event delivery while idle, with a
// bare Socket.IO server as the baseline.
import { runClient } from "../clients/runClient.js";
import { startBareSocketServer, startPlaygroundProcess } from "../server.js";
import { medianOfRuns, percentile, round } from "../stats.js";

export interface LatencyResult {
  e2e: {
    p50_ms: number;
    p99_ms: number;
    raw_roundtrip_p50_ms: number;
    raw_roundtrip_p99_ms: number;
    ratio_p50: number;
    ratio_p99: number;
    tasks: number;
    /** The same, with the lesson's function in the playground's own process (LESSON_FUNCTION=in-process), measured right after in each run: what running it out of process costs. */
    in_process_p50_ms: number;
    in_process_p99_ms: number;
  };
  events: { p50_ms: number; p99_ms: number; bare_socketio_p50_ms: number; bare_socketio_p99_ms: number; ratio_p99: number };
}

/** `nodeArgs` go to each playground's node (`--cpu-prof`, bench/flowOnly.ts). */
export async function benchLatency(tasks: number, runs: number, log: (line: string) => void, nodeArgs: string[] = []): Promise<LatencyResult> {
  const bare = await startBareSocketServer();
  const { median } = await medianOfRuns(runs, async (run) => {
    // A fresh playground per run: every run starts from an empty database.
    const server = await startPlaygroundProcess({}, { nodeArgs });
    try {
      const ours = await runClient({ kind: "sequential-tasks", url: server.url, count: tasks });
      // The lesson's function in the playground's process, on a playground of its own started now: the two side by side in every run.
      const inProcessServer = await startPlaygroundProcess({ LESSON_FUNCTION: "in-process" }, { nodeArgs });
      const inProcess = await runClient({ kind: "sequential-tasks", url: inProcessServer.url, count: tasks }).finally(() => inProcessServer.stop());
      const raw = await runClient({ kind: "sequential-raw", endpoint: server.sqsEndpoint, count: tasks });
      // One event every 3 ms: 1,000 give a steady p99 in 3 s.
      const baseline = await runClient({ kind: "bare-events", url: bare.url, count: Math.min(1000, Math.max(50, ours.eventLatenciesMs.length)) });
      const figures = {
        p50: percentile(ours.latenciesMs, 50),
        p99: percentile(ours.latenciesMs, 99),
        inProcessP50: percentile(inProcess.latenciesMs, 50),
        inProcessP99: percentile(inProcess.latenciesMs, 99),
        rawP50: percentile(raw.latenciesMs, 50),
        rawP99: percentile(raw.latenciesMs, 99),
        eventsP50: percentile(ours.eventLatenciesMs, 50),
        eventsP99: percentile(ours.eventLatenciesMs, 99),
        bareP50: percentile(baseline.eventLatenciesMs, 50),
        bareP99: percentile(baseline.eventLatenciesMs, 99),
      };
      log(`  latency run ${run + 1}: e2e p50 ${figures.p50.toFixed(1)} p99 ${figures.p99.toFixed(1)} ms (the lesson's function in process ${figures.inProcessP50.toFixed(1)} / ${figures.inProcessP99.toFixed(1)}; SQS round trip p50 ${figures.rawP50.toFixed(1)}); events p50 ${figures.eventsP50} p99 ${figures.eventsP99} ms (bare ${figures.bareP50}/${figures.bareP99})`);
      return figures;
    } finally {
      await server.stop();
    }
  }).finally(() => bare.stop());
  return {
    e2e: {
      p50_ms: round(median.p50),
      p99_ms: round(median.p99),
      raw_roundtrip_p50_ms: round(median.rawP50),
      raw_roundtrip_p99_ms: round(median.rawP99),
      ratio_p50: round(median.p50 / median.rawP50, 2),
      ratio_p99: round(median.p99 / median.rawP99, 2),
      tasks,
      in_process_p50_ms: round(median.inProcessP50),
      in_process_p99_ms: round(median.inProcessP99),
    },
    events: {
      p50_ms: round(median.eventsP50),
      p99_ms: round(median.eventsP99),
      bare_socketio_p50_ms: round(median.bareP50),
      bare_socketio_p99_ms: round(median.bareP99),
      // A bare server's p99 can be 1 ms; compare against at least 1 so the ratio stays meaningful.
      ratio_p99: round(median.eventsP99 / Math.max(1, median.bareP99), 2),
    },
  };
}
