// What a learner and a presenter met at 1024×768 in lesson 3's part 3: its checks come after a
// 12-line code block, and the terminal the part uses docks under the lesson and shortens its column,
// so "one message is in flight" turned ✓ below the column's edge, unseen. Layout facts only.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { inside, openPage, rectsOf } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest();
const playground = playgroundPerFile();

/** Lesson 3's parts 1 and 2 done on the page: the trigger off, three messages waiting. */
async function messagesWaiting(page: Page): Promise<void> {
  for (const block of [".block.action", ".block.setting"]) await page.click(`.step ${block} .run`);
  await page.waitForSelector(".step .block.check[data-status=passed]", { timeout: 20_000 });
  await page.click(".nb-nav .next");
  await page.waitForSelector(`.step[aria-label="Part 2 of 5"]`);
  for (const run of await page.locator(".step .block.http .run").all()) await run.click();
  await page.waitForSelector(".step .block.check[data-status=passed]", { timeout: 20_000 });
  await page.click(".nb-nav .next");
  await page.waitForSelector(`.step[aria-label="Part 3 of 5"]`);
}

describe.skipIf(!hasChromium())("a check under a long code block at 1024×768", () => {
  for (const [who, query] of [
    ["the learner", ""],
    ["the presenter", "presenter"],
  ] as const) {
    it(`is brought into view in ${who}'s lesson column when it turns ✓`, { timeout: 150_000 }, async () => {
      const page = await openPage(browser, playground(), { width: 1024, height: 768, query: query && `&presenter=${playground().presenterToken}`, hash: "#/lessons/the-queue-holds-it/1" });
      await messagesWaiting(page);
      await page.click(".step .block.terminal-cmd .run");
      const check = page.locator(".step .block.check").first();
      // The terminal starts a shell and the awslocal client, and the ✓ waits for the lesson-paced
      // drawing: 8 s alone, past 30 s under the full suite's load on two cores. Nothing is timed here.
      await check.and(page.locator("[data-status=passed]")).waitFor({ timeout: 75_000 });
      await page.screenshot({ path: `${ROOT}test-results/checkInView-${query || "learner"}.png` });
      const { shown, column } = await rectsOf(page, { shown: ".step .block.check", column: ".notebook" });
      expect(shown && column && inside(shown, column), "the ✓ is inside the lesson column's box").toBe(true);
    });
  }
});
