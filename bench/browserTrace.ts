// `npx tsx bench/browserTrace.ts [--runs N] [--tasks N] [--out DIR]`: the browser figure's scenario
// (bench/browserOnly.ts: a tab open during a 10,000-task burst) under a Chrome trace, to find what
// a long task is. For every main-thread task of 50 ms or more after the page went live it prints
// what ran inside it (the trace events that took the time, and the JavaScript functions the
// sampling profiler saw); with `--cpu-ms N`, every task that used N ms of CPU. Each task's CPU time is printed beside its length: on a shared machine a
// task of 100 ms may hold 15 ms of work. `--trace FILE` reads a trace saved with `--out` again.
// Run `npm run build` first: the page traced is the built one.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { startPlaygroundProcess } from "./server.js";
import { launchBenchChromium } from "./scenarios/browser.js";
import { burstTasks } from "./scenarios/burst.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "1" }, tasks: { type: "string", default: "10000" }, out: { type: "string" }, trace: { type: "string" }, "cpu-ms": { type: "string" } } });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline.invalidationTracking", "disabled-by-default-devtools.timeline", "v8.execute", "v8", "blink.user_timing", "loading", "disabled-by-default-v8.cpu_profiler", "disabled-by-default-v8.gc"];
const LONG_US = 50_000;
/** `--cpu-ms N`: pick the tasks that used N ms of CPU or more, whatever their length (the page's own work on a shared machine). */
const CPU_US = values["cpu-ms"] ? Number(values["cpu-ms"]) * 1000 : undefined;

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: on a shared machine, what the task itself cost, without the time it waited for a core. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> & { cpuProfile?: CpuProfile; timeDeltas?: number[]; startTime?: number; url?: string; functionName?: string } };
}
interface CpuProfile {
  nodes?: { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
}

/** The tasks of `LONG_US` or more on the page's main thread after `from`, each with what took its time. */
function longTasks(events: TraceEvent[], from: number): string[] {
  const main = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  if (!main) return ["no renderer main thread in the trace"];
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.dur !== undefined);
  const tasks = onMain.filter((e) => (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask") && (CPU_US === undefined ? (e.dur ?? 0) >= LONG_US : (e.tdur ?? 0) >= CPU_US) && e.ts >= from);
  const samples = profileSamples(events, main.pid, main.tid);
  return tasks.map((task) => {
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts < end && (e.dur ?? 0) >= 2_000);
    const parts = inside
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 14)
      .map((e) => `    ${((e.dur ?? 0) / 1000).toFixed(1)} ms ${e.name}${e.args?.data?.url ? ` ${String(e.args.data.url).slice(-60)}` : ""}${e.args?.data?.functionName ? ` ${String(e.args.data.functionName)}` : ""}`);
    const functions = new Map<string, number>();
    for (const s of samples) if (s.ts >= task.ts && s.ts < end) functions.set(s.frame, (functions.get(s.frame) ?? 0) + s.us);
    const top = [...functions].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([frame, us]) => `    ${(us / 1000).toFixed(1)} ms self ${frame}`);
    return [`task of ${((task.dur ?? 0) / 1000).toFixed(1)} ms (${((task.tdur ?? 0) / 1000).toFixed(1)} ms of CPU) at +${((task.ts - from) / 1000).toFixed(0)} ms`, "  trace events:", ...parts, "  sampled JavaScript (self time):", ...top].join("\n");
  });
}

/** The sampling profiler's samples on one thread: when, how long, and the function on top. */
function profileSamples(events: TraceEvent[], pid: number, tid: number): { ts: number; us: number; frame: string }[] {
  const profiles = new Map<string, { ts: number; nodes: Map<number, string>; out: { ts: number; us: number; frame: string }[] }>();
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.name === "Profile") profiles.set(e.id ?? "", { ts: Number(e.args?.data?.startTime ?? e.ts), nodes: new Map(), out: [] });
  }
  for (const e of events) {
    if (e.name !== "ProfileChunk" || e.pid !== pid) continue;
    const profile = profiles.get(e.id ?? "");
    const data = e.args?.data;
    if (!profile || !data) continue;
    for (const node of data.cpuProfile?.nodes ?? []) {
      const { functionName, url, lineNumber } = node.callFrame;
      profile.nodes.set(node.id, `${functionName || "(anonymous)"} ${(url ?? "").split("/").pop() ?? ""}:${(lineNumber ?? 0) + 1}`);
    }
    const deltas = data.timeDeltas ?? [];
    (data.cpuProfile?.samples ?? []).forEach((id, i) => {
      profile.ts += deltas[i] ?? 0;
      profile.out.push({ ts: profile.ts, us: deltas[i + 1] ?? 0, frame: profile.nodes.get(id) ?? `node ${id}` });
    });
  }
  return [...profiles.values()].flatMap((p) => p.out);
}

if (values.trace) {
  // A trace written by an earlier run (--out): read it again, from its burst-start mark.
  const trace = JSON.parse(await readFile(values.trace, "utf8")) as { traceEvents: TraceEvent[] };
  const from = trace.traceEvents.find((e) => e.name === "burst-start")?.ts ?? 0;
  for (const report of longTasks(trace.traceEvents, from)) console.log(report);
}

for (let run = 1; run <= (values.trace ? 0 : Number(values.runs)); run++) {
  const server = await startPlaygroundProcess();
  const browser = await launchBenchChromium();
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const page = globalThis as unknown as { __longTasks: { start: number; duration: number }[]; PerformanceObserver: new (cb: (list: { getEntries(): { startTime: number; duration: number }[] }) => void) => { observe(o: object): void } };
      const seen = (page.__longTasks = [] as { start: number; duration: number }[]);
      new page.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector(".connection")?.textContent === "live");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The trace's clock and the page's meet at this mark: long tasks before it are the page's start-up.
    const markAt = await page.evaluate(() => {
      performance.mark("burst-start");
      return performance.now();
    });
    const burst = await burstTasks(server.url, Number(values.tasks), 16, 200_000);
    const observed = await page.evaluate(() => (globalThis as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks);
    const trace = JSON.parse((await browser.stopTracing()).toString("utf8")) as { traceEvents: TraceEvent[] };
    if (values.out) await writeFile(`${values.out}/trace-${run}.json`, JSON.stringify(trace));
    const mark = trace.traceEvents.find((e) => e.name === "burst-start");
    const from = mark?.ts ?? 0;
    const during = observed.filter((t) => t.start >= markAt);
    console.log(JSON.stringify({ run, longtask_entries: during.map((t) => Math.round(t.duration)), before_mark: observed.filter((t) => t.start < markAt).map((t) => Math.round(t.duration)), tasks_per_s: Math.round((burst.posted / burst.elapsedMs) * 1000), load: Math.round((loadavg()[0] ?? 0) * 100) / 100 }));
    for (const report of longTasks(trace.traceEvents, from)) console.log(report);
  } finally {
    await browser.close();
    await server.stop();
  }
}
