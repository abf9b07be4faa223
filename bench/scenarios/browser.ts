import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's chromium, launched as test/helpers/browser.ts does (headless, no background networking). */
const CHROMIUM = "/usr/bin/chromium";

export interface BrowserWatch {
  /** Stop watching and report the longest main-thread task and the slowest answer to a probe. */
  finish(): Promise<{ longest_task_ms: number; long_tasks: number; slowest_probe_ms: number }>;
}

export function hasChromium(path = CHROMIUM): boolean {
  return existsSync(path);
}

/**
 * Open the playground in headless Chromium and watch its main thread: every 'longtask' the page
 * reports, and how long the page takes to answer a small evaluate every 100 ms (a tab that
 * stays responsive answers in a few ms).
 */
export async function watchPlaygroundPage(url: string, executablePath = CHROMIUM): Promise<BrowserWatch> {
  const browser: Browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page: Page = await browser.newPage();
  // These functions run in the page, where the DOM exists; this file is type-checked for Node.
  type PageGlobals = { __longTasks: number[]; PerformanceObserver: new (cb: (list: { getEntries(): { duration: number }[] }) => void) => { observe(o: object): void }; document: { querySelector(s: string): { textContent: string | null } | null } };
  await page.addInitScript(() => {
    const page = globalThis as unknown as PageGlobals;
    const seen: number[] = (page.__longTasks = []);
    new page.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) seen.push(entry.duration);
    }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector(".connection")?.textContent === "live", undefined, { timeout: 15_000 });
  // The page's own start-up (first render, lessons, chart) is not the burst: only tasks from here on count.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await page.evaluate(() => ((globalThis as unknown as PageGlobals).__longTasks.length = 0));
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
      const tasks = await page.evaluate(() => (globalThis as unknown as PageGlobals).__longTasks);
      await browser.close();
      return { longest_task_ms: Math.round(Math.max(0, ...tasks)), long_tasks: tasks.length, slowest_probe_ms: Math.round(slowest) };
    },
  };
}
