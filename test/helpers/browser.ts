import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";

/** Debian's chromium (or CHROMIUM_PATH), as the machine notes describe: headless, no background networking. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

let shared: Promise<Browser> | undefined;

/**
 * The worker's Chromium, launched by the first file that asks: a launch is ~1.4 s of CPU and
 * ~2.5 s of waiting, and two dozen files each launched their own (a worker keeps its modules, and
 * so this browser, from one file to the next). Launched again if it went away. A file gets it with
 * no page open, as a new one: each page lives in a context of its own (browser.newPage), and
 * closeContexts closes whatever a file left open, as closing the browser used to.
 */
export function sharedChromium(): Promise<Browser> {
  shared ??= launchChromium().then(
    (browser) => {
      browser.on("disconnected", () => (shared = undefined));
      return browser;
    },
    (error: unknown) => {
      shared = undefined;
      throw error;
    },
  );
  return shared;
}

/** Close every context (and so every page) of the shared browser: for a file's afterAll. */
export async function closeContexts(browser: Browser | undefined): Promise<void> {
  for (const context of browser?.contexts() ?? []) await context.close();
}

/**
 * For a test file that opens pages in the worker's headless Chromium (when there is a chromium):
 * each test's pages closed after it, anything else the file opened closed at its end.
 */
export function pagesPerTest(options: BrowserContextOptions = { viewport: { width: 1440, height: 900 } }): { newPage: (pageOptions?: BrowserContextOptions) => Promise<Page> } {
  let browser: Browser | undefined;
  const pages: Page[] = [];
  beforeAll(async () => {
    if (hasChromium()) browser = await sharedChromium();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  afterAll(async () => {
    await closeContexts(browser);
  });
  return {
    /** A page with the file's options, or with `pageOptions` instead (another window size). */
    newPage: async (pageOptions = options) => {
      if (!browser) throw new Error(`no chromium at ${CHROMIUM}`);
      const page = await browser.newPage(pageOptions);
      pages.push(page);
      return page;
    },
  };
}

/** Open one of the stage's drawer tabs (terminal, tasks, queue, timeline, chart, time-travel, chaos), unless it is open. */
export async function openTab(page: Page, tab: string): Promise<void> {
  if ((await page.getAttribute(`#tab-${tab}`, "aria-selected")) !== "true") await page.click(`#tab-${tab}`);
  await page.waitForSelector(`#panel-${tab}:not([hidden])`);
}

/** The lesson and part the notebook shows ("title | Part n of m: …"), read in the page. */
function shownPart(): string {
  const { document } = globalThis as unknown as { document: { querySelector(selector: string): { textContent: string | null } | null } };
  return `${document.querySelector(".lesson-title")?.textContent} | ${document.querySelector(".step h3")?.textContent}`;
}

/**
 * Press what moves the notebook to another part (or lesson) and wait until that part is drawn.
 * The press changes the address at once, but the notebook draws the part on the browser's next
 * hashchange task: blocks counted in between are the old part's, and walking them by index then
 * finds the new part's blocks, or none (seen as ".step > [data-part] nth(9)" never appearing).
 * Functions, not strings: the page's CSP forbids the eval a string predicate needs.
 */
export async function moveToPart(page: Page, press: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(shownPart);
  await press();
  await page.waitForFunction((was) => {
    const { document } = globalThis as unknown as { document: { querySelector(selector: string): { textContent: string | null } | null } };
    return `${document.querySelector(".lesson-title")?.textContent} | ${document.querySelector(".step h3")?.textContent}` !== was;
  }, before);
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's serious and critical violations on the page as it is now (rule, impact, elements). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not
  // govern; a <script> tag would be refused, as it should be.
  await page.evaluate(readFileSync(AXE, "utf8"));
  type Results = { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
  const result = await page.evaluate(() => (globalThis as unknown as { axe: { run: () => Promise<Results> } }).axe.run());
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
}
