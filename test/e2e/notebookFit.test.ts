// What a learner walking lessons 17–21 on a 1024×768 projector met: a terminal already open that a
// lesson's command made "tall" kept its few rows over a blank drawer, and a prediction whose
// choices are long pushed the lesson column sideways, cutting the question off. Layout facts only.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { LessonSummary } from "../../common/lessons.js";
import { hasChromium, openTab, pagesPerTest } from "../helpers/browser.js";
import type { PageElement, PageGlobals } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const pages = pagesPerTest({ viewport: { width: 1024, height: 768 } });
const playground = playgroundPerFile();

async function open(hash: string): Promise<Page> {
  const page = await pages.newPage();
  await page.goto(`${playground().url}/?token=${playground().terminalToken}${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

describe.skipIf(!hasChromium())("the lesson column and the terminal at 1024×768", () => {
  it("a terminal opened from its tab grows to at least 20 rows when a lesson's command makes the drawer tall", { timeout: 60_000 }, async () => {
    const page = await open("#/lessons/retention-and-dlq-operations/1");
    await openTab(page, "terminal");
    await page.waitForSelector(".term .xterm-rows");
    await page.click(".block.terminal-cmd .run");
    await page.waitForSelector(".term .xterm-rows:has-text('MessageRetentionPeriod')");
    expect(await page.locator(".dock").getAttribute("data-size")).toBe("tall");
    // The shell learns the size from the fit; the rows drawn are what the learner sees.
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).document.querySelectorAll(".term .xterm-rows > div") as unknown as unknown[]).length >= 20);
    const [term, panel] = await Promise.all([page.locator(".term").boundingBox(), page.locator("#panel-terminal").boundingBox()]);
    // The black terminal fills its drawer: no blank band under it.
    expect(term && panel && panel.y + panel.height - (term.y + term.height)).toBeLessThan(12);
    await page.screenshot({ path: `${ROOT}test-results/notebookFit-terminal-made-tall.png` });
  });

  it("no part of any lesson is wider than the lesson column, and every prediction's question is inside its box", { timeout: 180_000 }, async () => {
    const page = await open("#/lessons/the-whole-flow/1");
    const lessons = (await (await fetch(`${playground().url}/api/lessons`)).json()) as LessonSummary[];
    const wide: string[] = [];
    for (const lesson of lessons) {
      for (let part = 1; part <= lesson.steps; part++) {
        await page.evaluate((hash) => ((globalThis as unknown as PageGlobals).location.hash = hash), `#/lessons/${lesson.id}/${part}`);
        await page.waitForSelector(`.step[aria-label="Part ${part} of ${lesson.steps}"]`);
        const sideways = await page.evaluate(() => {
          const notebook = (globalThis as unknown as PageGlobals).document.querySelector(".notebook") as PageElement;
          return notebook.scrollWidth - notebook.clientWidth;
        });
        if (sideways > 0) wide.push(`${lesson.id}/${part}: ${sideways} px`);
        // A prediction's question is inside its box, not across its top border (a long legend was).
        const across = await page.evaluate(`[...document.querySelectorAll(".step .block.predict")].filter((box) => box.querySelector("legend").getBoundingClientRect().top < box.getBoundingClientRect().top + 1).length`);
        if (across !== 0) wide.push(`${lesson.id}/${part}: ${String(across)} question(s) across the box's border`);
      }
    }
    expect(wide).toEqual([]);
  });
});
