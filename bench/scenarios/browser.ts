import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's chromium, launched as test/helpers/browser.ts does (headless, no background networking). */
const CHROMIUM = "/usr/bin/chromium";

export interface BrowserFigures {
  longest_task_ms: number;
  long_tasks: number;
  slowest_probe_ms: number;
  /**
   * The most CPU (thread time, ms) any one task of the page's main thread took during the burst,
   * from a Chrome trace of the timeline category. On a shared 2-core machine a task's length is
   * mostly the time it waited for a core (a task of 80 ms held 8 ms of work); this is the page's
   * own work, which no load on the machine changes. Null when the trace could not be read.
   */
  longest_task_cpu_ms: number | null;
  /** How many of the page's main-thread tasks used 50 ms of CPU or more. */
  long_tasks_by_cpu: number | null;
}

/** The trace categories of every main-thread task (RunTask, with its thread time) and of the burst-start mark: nothing else, to keep the trace's own cost small. */
const TASK_CATEGORIES = ["disabled-by-default-devtools.timeline", "devtools.timeline", "blink.user_timing"];
interface TraceTask { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { name?: string } }

/**
 * The longest CPU time of a task on the page's renderer main thread after the `burst-start` mark,
 * and how many tasks used ≥ 50 ms of it. Thread time (tdur) is in µs in the trace.
 */
export function tasksByCpu(events: TraceTask[]): { longest_ms: number; over_50ms: number } | null {
  const main = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const mark = events.find((e) => e.name === "burst-start");
  if (main.length === 0 || !mark) return null;
  const onMain = (e: TraceTask) => main.some((m) => m.pid === e.pid && m.tid === e.tid);
  const cpu = events.filter((e) => e.name === "RunTask" && e.ph === "X" && e.ts >= mark.ts && onMain(e)).map((e) => (e.tdur ?? 0) / 1000);
  return { longest_ms: Math.round(Math.max(0, ...cpu) * 10) / 10, over_50ms: cpu.filter((ms) => ms >= 50).length };
}

/**
 * One long task of the burst, placed and explained: when it began (ms after the burst started),
 * how long it took, and what Chromium's long-animation-frame entry that covers it says ran in it
 * (the frame's scripts with their invoker, and when rendering started). For finding a long task
 * without a trace; bench/browserTrace.ts has the whole trace.
 */
export interface LongTaskDetail {
  at_ms: number;
  duration_ms: number;
  /** The long animation frame around it, if Chromium reported one. */
  frame?: { duration_ms: number; render_ms: number; style_and_layout_ms: number; scripts: string[] };
}

export interface BrowserWatch {
  /** Stop watching and report the longest main-thread task and the slowest answer to a probe (and, when asked for, each long task's detail). */
  finish(): Promise<BrowserFigures & { detail?: LongTaskDetail[] }>;
}

export function hasChromium(path = CHROMIUM): boolean {
  return existsSync(path);
}

/** Debian's chromium as the bench drives it: headless, no background networking (the flags of test/helpers/browser.ts). */
export function launchBenchChromium(executablePath = CHROMIUM): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// These run in the page, where the DOM exists; this file is type-checked for Node.
type Entry = { startTime: number; duration: number; renderStart?: number; styleAndLayoutStart?: number; scripts?: { invoker: string; sourceFunctionName: string; duration: number; forcedStyleAndLayoutDuration: number }[] };
type PageGlobals = {
  __longTasks: Entry[];
  __frames: Entry[];
  __burstStart: number;
  PerformanceObserver: new (cb: (list: { getEntries(): Entry[] }) => void) => { observe(o: object): void };
  document: { querySelector(s: string): { textContent: string | null } | null };
};

/**
 * Open the playground in headless Chromium and watch its main thread: every 'longtask' the page
 * reports, and how long the page takes to answer a small evaluate every 100 ms (a tab that
 * stays responsive answers in a few ms). With `detail`, the long-animation-frame entries too.
 */
export async function watchPlaygroundPage(url: string, options: { executablePath?: string; detail?: boolean } = {}): Promise<BrowserWatch> {
  const browser = await launchBenchChromium(options.executablePath);
  const page: Page = await browser.newPage();
  await page.addInitScript(() => {
    const page = globalThis as unknown as PageGlobals;
    const seen: Entry[] = (page.__longTasks = []);
    const frames: Entry[] = (page.__frames = []);
    new page.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) seen.push({ startTime: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
    try {
      new page.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) frames.push(JSON.parse(JSON.stringify(entry)) as Entry);
      }).observe({ type: "long-animation-frame", buffered: true });
    } catch {
      // A Chromium without long-animation-frame entries: long tasks are still counted.
    }
  });
  await browser.startTracing(page, { categories: TASK_CATEGORIES });
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector(".connection")?.textContent === "live", undefined, { timeout: 15_000 });
  // The page's own start-up (first render, lessons, chart) is not the burst: only tasks from here on count.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    page.__longTasks.length = 0;
    page.__frames.length = 0;
    page.__burstStart = performance.now();
    performance.mark("burst-start");
  });
  let slowest = 0;
  let probing = true;
  const probes = (async () => {
    while (probing) {
      const t0 = performance.now();
      await page.evaluate(() => 0);
      slowest = Math.max(slowest, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    finish: async () => {
      probing = false;
      await probes;
      const { tasks, frames, start } = await page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        return { tasks: page.__longTasks, frames: page.__frames, start: page.__burstStart };
      });
      let byCpu: ReturnType<typeof tasksByCpu> = null;
      try {
        byCpu = tasksByCpu((JSON.parse((await browser.stopTracing()).toString("utf8")) as { traceEvents: TraceTask[] }).traceEvents);
      } finally {
        await browser.close();
      }
      const figures = {
        longest_task_ms: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
        long_tasks: tasks.length,
        slowest_probe_ms: Math.round(slowest),
        longest_task_cpu_ms: byCpu?.longest_ms ?? null,
        long_tasks_by_cpu: byCpu?.over_50ms ?? null,
      };
      if (!options.detail) return figures;
      const detail = tasks.map((task): LongTaskDetail => {
        const frame = frames.find((f) => f.startTime <= task.startTime + 1 && task.startTime < f.startTime + f.duration);
        return {
          at_ms: Math.round(task.startTime - start),
          duration_ms: Math.round(task.duration),
          ...(frame
            ? {
                frame: {
                  duration_ms: Math.round(frame.duration),
                  render_ms: Math.round(frame.renderStart ? frame.startTime + frame.duration - frame.renderStart : 0),
                  style_and_layout_ms: Math.round(frame.styleAndLayoutStart ? frame.startTime + frame.duration - frame.styleAndLayoutStart : 0),
                  scripts: (frame.scripts ?? []).map((s) => `${Math.round(s.duration)} ms ${s.invoker}${s.sourceFunctionName ? ` (${s.sourceFunctionName})` : ""}${s.forcedStyleAndLayoutDuration ? `, forced layout ${Math.round(s.forcedStyleAndLayoutDuration)} ms` : ""}`),
                },
              }
            : {}),
        };
      });
      return { ...figures, detail };
    },
  };
}
