// Burst throughput: tasks posted by concurrent clients (in a process of their own) until all are
// completed, against a raw SDK SendMessage loop on the same embedded SQS, measured the same way. Also
// what a burst does to memory, to event delivery and, in a separate run, to a browser tab.
import type { Task } from "../../common/events.js";
import { runClient } from "../clients/runClient.js";
import type { ClientReport } from "../clients/protocol.js";
import { watchEvents } from "../clients/eventWatcher.js";
import { startEngineAlone, startPlaygroundProcess } from "../server.js";
import { median, medianOfRuns, percentile, round } from "../stats.js";
import { hasChromium, watchPlaygroundPage } from "./browser.js";

export interface BurstResult {
  burst: {
    tasks_per_s: number;
    raw_sends_per_s: number;
    ratio: number;
    lost: number;
    duplicated: number;
    failed_requests: number;
    /** The same raw loop against the SQS engine alone (no playground around it), for comparison. */
    raw_sends_per_s_engine_alone: number;
    tasks: number;
    concurrency: number;
  };
  events_during_burst: { p50_ms: number; p99_ms: number };
  memory: { rss_mb_after_burst: number; rss_mb_idle: number; ratio: number };
  browser: { longest_task_ms: number | null; long_tasks: number | null; slowest_probe_ms: number | null; longest_task_cpu_ms: number | null; long_tasks_by_cpu: number | null; skipped?: string };
}

const perSecond = (report: { posted: number; elapsedMs: number }) => (report.posted / report.elapsedMs) * 1000;

export interface TaskBurst {
  posted: number;
  failedRequests: number;
  /** From the first timed POST to the last task's `completed` event. */
  elapsedMs: number;
  eventLatenciesMs: number[];
  lost: number;
  duplicated: number;
}

/**
 * Tasks posted by the load clients (their own process) while this process watches the event
 * stream for the completions, until every task posted has completed or the time is up; then
 * the database is asked what became of each: lost (never completed), or worked on twice.
 */
export async function burstTasks(url: string, count: number, concurrency: number, timeoutMs: number): Promise<TaskBurst> {
  const watcher = await watchEvents(url);
  let started = performance.now();
  const report: ClientReport = await runClient({ kind: "burst-tasks", url, count, concurrency }, () => {
    started = performance.now();
    watcher.latenciesMs.length = 0;
  });
  const finishedAt = await watcher.allCompleted(report.taskIds, timeoutMs);
  // Late duplicates would show up shortly after: give them a moment before counting.
  await new Promise((resolve) => setTimeout(resolve, 500));
  watcher.close();
  const tasks = (await (await fetch(`${url}/tasks`)).json()) as Task[];
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const lost = report.taskIds.filter((id) => byId.get(id)?.status !== "completed").length;
  const startedTwice = report.taskIds.filter((id) => (byId.get(id)?.attempts ?? 0) > 1 || (watcher.completions.get(id) ?? 0) > 1).length;
  return {
    posted: report.posted,
    failedRequests: report.failedRequests,
    elapsedMs: (finishedAt ?? performance.now()) - started,
    eventLatenciesMs: watcher.latenciesMs,
    lost,
    duplicated: startedTwice,
  };
}

const NO_BROWSER = { longest_task_ms: null, long_tasks: null, slowest_probe_ms: null, longest_task_cpu_ms: null, long_tasks_by_cpu: null };

async function burstOnce(tasks: number, concurrency: number, timeoutMs: number, nodeArgs: string[], env: Record<string, string>) {
  const server = await startPlaygroundProcess(env, { nodeArgs });
  try {
    const rssIdle = await server.rssMb();
    const raw = await runClient({ kind: "burst-raw", endpoint: server.sqsEndpoint, count: tasks, concurrency });
    const ours = await burstTasks(server.url, tasks, concurrency, timeoutMs);
    const rss = await server.rssMb();
    return { raw, ours, rss, rssIdle };
  } finally {
    await server.stop();
  }
}

export async function benchBurst(
  /** `env`: the playground's environment for the measured bursts (e.g. LESSON_FUNCTION=runtime, bench/flowOnly.ts). */
  options: { tasks: number; concurrency: number; runs: number; browser: boolean; nodeArgs?: string[]; env?: Record<string, string> },
  log: (line: string) => void,
): Promise<BurstResult> {
  const timeoutMs = Math.max(30_000, options.tasks * 20);
  let lost = 0;
  let duplicated = 0;
  let failed = 0;
  const eventsP50: number[] = [];
  const eventsP99: number[] = [];
  const { median: figures } = await medianOfRuns(options.runs, async (run) => {
    const { raw, ours, rss, rssIdle } = await burstOnce(options.tasks, options.concurrency, timeoutMs, options.nodeArgs ?? [], options.env ?? {});
    const { lost: l, duplicated: d } = ours;
    lost += l;
    duplicated += d;
    failed += ours.failedRequests;
    eventsP50.push(percentile(ours.eventLatenciesMs, 50));
    eventsP99.push(percentile(ours.eventLatenciesMs, 99));
    const figures = { tasksPerS: perSecond(ours), rawPerS: perSecond(raw), ratio: perSecond(ours) / perSecond(raw), rss, rssIdle };
    log(`  burst run ${run + 1}: ${figures.tasksPerS.toFixed(0)} tasks/s vs ${figures.rawPerS.toFixed(0)} raw sends/s (×${figures.ratio.toFixed(2)}); lost ${l}, twice ${d}, failed requests ${ours.failedRequests}; RSS ${rss.toFixed(0)} MB`);
    return figures;
  });

  const alone = await startEngineAlone();
  const rawAlone = await runClient({ kind: "burst-raw", endpoint: alone.endpoint, count: options.tasks, concurrency: options.concurrency }).finally(() => alone.stop());

  let browser: BurstResult["browser"] = { ...NO_BROWSER, skipped: "no Chromium at /usr/bin/chromium" };
  if (options.browser && hasChromium()) {
    // A run of its own: the browser takes CPU, which must not count against the throughput figures.
    const server = await startPlaygroundProcess();
    try {
      const watch = await watchPlaygroundPage(server.url);
      const ours = await burstTasks(server.url, options.tasks, options.concurrency, timeoutMs);
      browser = await watch.finish();
      lost += ours.lost;
      duplicated += ours.duplicated;
      eventsP50.push(percentile(ours.eventLatenciesMs, 50));
      eventsP99.push(percentile(ours.eventLatenciesMs, 99));
      log(`  browser burst: ${perSecond(ours).toFixed(0)} tasks/s with a tab open; longest task ${browser.longest_task_ms} ms (${browser.longest_task_cpu_ms} ms of CPU), slowest probe ${browser.slowest_probe_ms} ms`);
    } finally {
      await server.stop();
    }
  } else if (!options.browser) {
    browser = { ...NO_BROWSER, skipped: "browser run turned off" };
  }

  return {
    burst: {
      tasks_per_s: round(figures.tasksPerS, 0),
      raw_sends_per_s: round(figures.rawPerS, 0),
      ratio: round(figures.ratio, 2),
      lost,
      duplicated,
      failed_requests: failed,
      raw_sends_per_s_engine_alone: round(perSecond(rawAlone), 0),
      tasks: options.tasks,
      concurrency: options.concurrency,
    },
    events_during_burst: { p50_ms: round(median(eventsP50)), p99_ms: round(median(eventsP99)) },
    memory: { rss_mb_after_burst: round(figures.rss, 0), rss_mb_idle: round(figures.rssIdle, 0), ratio: round(figures.rss / figures.rssIdle, 2) },
    browser,
  };
}
