// Lessons 1, 3 and 7 taken in the browser as a learner would: every block's button in order,
// each check pressed until it turns ✓, then Next. Issue 5's "works without reading anything but
// the lesson", checked by clicking.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeContexts, hasChromium, moveToPart, openTab, sharedChromium } from "../helpers/browser.js";
import { playgroundPerTest } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

let browser: Browser;
const playgrounds = playgroundPerTest();
beforeAll(async () => {
  if (hasChromium()) browser = await sharedChromium();
});
afterAll(async () => {
  await closeContexts(browser);
});

const CHECK_PATIENCE_MS = 40_000;

async function pressUntilTicked(page: Page, check: ReturnType<Page["locator"]>): Promise<void> {
  const deadline = Date.now() + CHECK_PATIENCE_MS;
  while (!(await check.evaluate((el) => el.classList.contains("ok")))) {
    if (Date.now() > deadline) throw new Error(`check never passed: ${await check.textContent()}`);
    await check.locator(".run").click();
    await page.waitForTimeout(500);
  }
}

/** Do one step: every block in order, as its buttons invite. */
async function doStep(page: Page): Promise<void> {
  const blocks = page.locator(".step > [data-part]");
  const count = await blocks.count();
  for (let i = 0; i < count; i++) {
    const block = blocks.nth(i);
    const kind = await block.getAttribute("class");
    if (!kind?.startsWith("block") || kind.includes("code")) continue;
    if (kind.includes("check")) await pressUntilTicked(page, block);
    else if (kind.includes("predict")) {
      await block.locator("input").first().check();
      await block.locator(".run").click();
    } else if (kind.includes("step-next")) {
      await page.waitForSelector(".stage-line .next-step");
      await block.locator(".run").click();
      await page.waitForTimeout(150);
    } else await block.locator(".run").click();
  }
}

async function takeLesson(path: string, id: string): Promise<void> {
  const playground = await playgrounds.start();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => void errors.push(String(error)));
  try {
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/${id}/1`);
    await page.waitForSelector("body[data-ready=true]");
    await openTab(page, "terminal");
    await page.waitForSelector(".term .xterm");
    for (;;) {
      await doStep(page);
      // The last part offers the next lesson instead of the next part.
      const next = page.locator(".nb-nav .next");
      if ((await next.count()) === 0) break;
      await moveToPart(page, () => next.click());
    }
    await page.screenshot({ path: `${ROOT}test-results/lesson-${path}.png` });
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}

describe.skipIf(!hasChromium())("lessons taken in the browser", () => {
  it("takes lesson 1 by clicking, every check ✓", { timeout: 120_000 }, () => takeLesson("01", "the-whole-flow"));
  it("takes lesson 3 by clicking, every check ✓", { timeout: 120_000 }, () => takeLesson("03", "the-queue-holds-it"));
  it("takes lesson 7 by clicking, every check ✓", { timeout: 180_000 }, () => takeLesson("07", "retries-and-dlq"));
  it("takes lesson 15 by clicking, every check ✓", { timeout: 180_000 }, () => takeLesson("15", "fifo-and-message-groups"));
});
