// Lessons 17–21 in the browser, as a new learner takes them. Lessons 18 and 19 are taken whole at
// a person's pace (8 s between actions, issue 15's standard), side by side on playgrounds of their
// own, one on a 1024×768 projector and one at 1440×900: every check ends ✓ and none ever shows ✗
// (recorded in the page by a MutationObserver), predictions show what really happened. Walking
// them found checks ticked before their action and a ✗ about the previous part's task. Lessons
// 17, 20 and 21 (minutes of retention periods and cold starts) are opened part by part at
// 1024×768: each part is drawn and its first button answers as its block says.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeContexts, hasChromium, openTab, sharedChromium } from "../helpers/browser.js";
import { learn, RECORD_CHECKS, type Shown, until } from "../helpers/learner.js";
import type { PageGlobals } from "../helpers/layout.js";
import { removeDataDir, startTestPlayground } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";
import type { LessonSummary } from "../../common/lessons.js";

let browser: Browser;
beforeAll(async () => {
  if (hasChromium()) browser = await sharedChromium();
});
afterAll(async () => {
  await closeContexts(browser);
});

/** What a part's first button must answer, by the block it belongs to. */
const ANSWERS: [block: string, press: string, answer: string, said: RegExp][] = [
  [".block.http", ".run", ".answer", /^HTTP 2\d\d — answered/],
  [".block.setting", ".run", ".answer", /^applied ✓$/],
  [".block.action", ".run", ".answer", /^ (done ✓|moved \d+ message\(s\) back ✓)$/],
  [".block.handler", ".deploy", ".handler-actions .answer", /Deployed as version \d+/],
];

/** Open each part of lesson `id` and press its first button; returns what went wrong. */
async function firstButtons(page: Page, lesson: LessonSummary): Promise<string[]> {
  const wrong: string[] = [];
  for (let part = 1; part <= lesson.steps; part++) {
    await page.evaluate((hash) => ((globalThis as unknown as PageGlobals).location.hash = hash), `#/lessons/${lesson.id}/${part}`);
    await page.waitForSelector(`.step[aria-label="Part ${part} of ${lesson.steps}"] h3`);
    const first = page.locator(".step > .block:not(.code):not(.check):not(.predict):not(.hint)").first();
    if ((await first.count()) === 0) continue;
    const where = `${lesson.id}/${part}`;
    if ((await first.getAttribute("class"))?.includes("terminal-cmd")) {
      const command = ((await first.locator("pre").textContent()) ?? "").replace(/^\$ /, "").slice(0, 12);
      await first.locator(".run").click();
      // Wrapped rows are joined without a break: the command's start is found whole.
      await until(() => page.locator(".term .xterm-rows").textContent(), (t) => (t ?? "").replaceAll("\u00a0", " ").includes(command), 20_000, `${where}: the terminal never showed "${command}"`).catch((e: Error) => wrong.push(e.message));
      continue;
    }
    const classes = ((await first.getAttribute("class")) ?? "").split(/\s+/);
    const known = ANSWERS.find(([block]) => block.split(".").filter(Boolean).every((c) => classes.includes(c)));
    if (!known) {
      wrong.push(`${where}: a first block no one knows how to press (${classes.join(" ")})`);
      continue;
    }
    const [block, press, said, words] = known;
    await first.locator(press).click();
    await until(() => first.locator(said).first().textContent(), (t) => words.test(t ?? ""), 30_000, `${where}: ${block} answered`).catch((e: Error) => wrong.push(e.message));
  }
  return wrong;
}

describe.skipIf(!hasChromium())("lessons 17–21 as a new learner takes them", () => {
  it.concurrent("takes lesson 18 at 1024×768 at a person's pace: every check ✓, never ✗, predictions answered", { timeout: 600_000 }, () => learn(browser, "18", ["concurrency-controls"], { width: 1024, height: 768 }));

  it.concurrent("takes lesson 19 at 1440×900 at a person's pace: every check ✓, never ✗, predictions answered", { timeout: 600_000 }, () => learn(browser, "19", ["tuning-visibility-and-backoff"]));

  it.concurrent("opens every part of lessons 17, 20 and 21 at 1024×768, and each part's first button answers", { timeout: 300_000 }, async () => {
    const playground = await startTestPlayground();
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => void errors.push(String(error)));
    try {
      await page.addInitScript(RECORD_CHECKS);
      await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/retention-and-dlq-operations/1`);
      await page.waitForSelector("body[data-ready=true]");
      await openTab(page, "terminal");
      await page.waitForSelector(".term .xterm");
      const lessons = ((await (await playground.get("/api/lessons")).json()) as LessonSummary[]).filter((l) => ["retention-and-dlq-operations", "polling-and-batching-trade-offs", "write-the-handler"].includes(l.id));
      expect(lessons).toHaveLength(3);
      const wrong: string[] = [];
      for (const lesson of lessons) wrong.push(...(await firstButtons(page, lesson)));
      await page.screenshot({ path: `${ROOT}test-results/learner-later-first-buttons.png` });
      expect(wrong).toEqual([]);
      const shown = (await page.evaluate("window.shownChecks")) as Shown[];
      expect(shown.filter((s) => s.status === "failed")).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await playground.stop();
      await removeDataDir(playground.dataDir);
    }
  });
});
