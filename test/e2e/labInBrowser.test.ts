// A failure lab solved by clicking, at a person's pace, on a 1024×768 window: chosen from the
// picker's labs group, the incident set up, the tools looked at, the hints opened one by one (the
// fix stays hidden until the last), the fix run in the terminal, and the verdict ✓ on a trial; and lab
// 1 opened from the picker, its handler deployed from its code cell and its incident played.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, moveToPart, openTab, pagesPerTest } from "../helpers/browser.js";
import { playgroundPerTest } from "../helpers/playground.js";
import type { PageGlobals } from "../helpers/layout.js";
import { ROOT } from "../helpers/process.js";

const playgrounds = playgroundPerTest();
const browser = pagesPerTest({ viewport: { width: 1024, height: 768 } });
/** A person reads before pressing. */
const PAUSE_MS = 1500;
const CHECK_PATIENCE_MS = 45_000;

async function pressUntilTicked(page: Page, check: Locator): Promise<void> {
  const deadline = Date.now() + CHECK_PATIENCE_MS;
  while (!(await check.evaluate((el) => el.classList.contains("ok")))) {
    if (Date.now() > deadline) throw new Error(`check never passed: ${await check.textContent()}`);
    if ((await check.getAttribute("data-status")) === "failed") throw new Error(`check failed: ${await check.textContent()}`);
    await check.locator(".run").click();
    await page.waitForTimeout(1000);
  }
}

/** A code cell's Deploy, once its editor has loaded; resolves when the page says the version is deployed. */
async function deployCell(cell: Locator): Promise<void> {
  await cell.locator(".cm-editor").waitFor({ timeout: 30_000 });
  await cell.locator("button.deploy").click();
  await cell.locator(".answer:has-text('Deployed as version')").waitFor({ timeout: 30_000 });
}

/** Every visible block of the part in order, as its buttons invite, with a pause before each. */
async function doPart(page: Page): Promise<void> {
  const blocks = page.locator(".step > [data-part]");
  for (let i = 0; i < (await blocks.count()); i++) {
    const block = blocks.nth(i);
    if (await block.isHidden()) continue;
    const kind = (await block.getAttribute("class")) ?? "";
    if (kind.includes("hint")) continue;
    await page.waitForTimeout(PAUSE_MS);
    if (kind.includes("check")) await pressUntilTicked(page, block);
    else if (kind.includes("handler")) await deployCell(block);
    else {
      await block.locator(".run").click();
      // A command that says when it is done (`echo "…"` at its end) is waited for, as a person
      // watching the terminal would: lab 1's trigger let go while its orders were still being sent
      // met them a few at a time, in batches too short for a message to come back.
      const said = kind.includes("terminal") ? /echo "([^"]+)"\s*$/.exec((await block.locator("pre").textContent()) ?? "")?.[1] : undefined;
      if (said) await terminalSaid(page, said);
    }
  }
}

/** Resolves once a line of the terminal's output is exactly `line` (the command line itself, which holds it too, is longer). */
async function terminalSaid(page: Page, line: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => [...(globalThis as unknown as PageGlobals).document.querySelectorAll(".term .xterm-rows > div")].some((row) => (row.textContent ?? "").replaceAll("\u00a0", " ").trim() === wanted),
    line,
    { timeout: 60_000 },
  );
}

/** A learner's page on a fresh playground, ready; `errors` collects the page's uncaught errors. */
async function openPlayground(): Promise<{ page: Page; errors: string[] }> {
  const playground = await playgrounds.start();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => void errors.push(String(error)));
  await page.goto(`${playground.url}/?token=${playground.terminalToken}`);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}

describe.skipIf(!hasChromium())("a failure lab in the browser", () => {
  it("opens lab 1 (duplicate charges) from the picker and plays its incident: the handler deployed from its cell, orders charged twice", { timeout: 180_000 }, async () => {
    const { page, errors } = await openPlayground();

    // Lab 1 is the first of the picker's labs group.
    const labs = await page.locator(".lesson-picker optgroup[label^='Failure labs'] option").evaluateAll((els) => els.map((el) => el.getAttribute("value")));
    expect(labs[0]).toBe("lab-duplicate-charges");
    await moveToPart(page, () => page.selectOption(".lesson-picker", "lab-duplicate-charges"));
    await expect.poll(() => page.locator(".lesson-title").textContent()).toContain("Failure lab 1");
    const cell = page.locator(".step > .block.handler").first();
    await cell.locator(".cm-line:has-text('charge(task_id)')").first().waitFor({ timeout: 30_000 });
    await openTab(page, "terminal");
    await page.waitForSelector(".term .xterm");

    // The incident by clicking: its checks pass only once an order was charged twice.
    await doPart(page);
    await cell.locator(".handler-log:has-text('charge 2 of this order')").waitFor({ timeout: 30_000 });
    const checks = page.locator(".step > .block.check");
    expect(await checks.count()).toBe(3);
    for (let i = 0; i < 3; i++) expect(await checks.nth(i).getAttribute("data-status")).toBe("passed");
    await page.screenshot({ path: `${ROOT}test-results/lab-01-incident-1024.png` });
    expect(errors).toEqual([]);
  });

  it("solves lab 4 (the slow consumer) by clicking: symptom seen, hints opened one by one, fix applied, verdict ✓", { timeout: 240_000 }, async () => {
    const { page, errors } = await openPlayground();

    // The labs are a group of their own in the picker.
    const groups = await page.locator(".lesson-picker optgroup").evaluateAll((els) => els.map((el) => el.getAttribute("label")));
    expect(groups).toEqual(["Lessons", "Failure labs: find and fix the cause"]);
    await moveToPart(page, () => page.selectOption(".lesson-picker", "lab-slow-consumer"));
    await expect.poll(() => page.locator(".lesson-title").textContent()).toContain("Failure lab 4");
    await openTab(page, "terminal");
    await page.waitForSelector(".term .xterm");

    // The incident: set up for real, the symptom seen.
    await doPart(page);
    await moveToPart(page, () => page.click(".nb-nav .next"));

    // Investigate: the queue inspector and the timeline, then the hints, one at a time.
    await openTab(page, "queue");
    await page.waitForTimeout(PAUSE_MS);
    await openTab(page, "timeline");
    await page.waitForTimeout(PAUSE_MS);
    const hints = page.locator(".step > .block.hint");
    const fix = page.locator(".step > .block.terminal-cmd").last();
    expect(await hints.count()).toBe(3);
    for (let n = 0; n < 3; n++) {
      expect(await fix.isHidden()).toBe(true);
      await hints.nth(n).locator(".run").click();
      await expect.poll(() => hints.nth(n).locator(".hint-text").isVisible()).toBe(true);
      if (n < 2) expect(await hints.nth(n + 1).locator(".run").textContent()).toBe(`Show hint ${n + 2} of 3`);
      await page.waitForTimeout(PAUSE_MS);
    }
    expect(await fix.isVisible()).toBe(true);
    await page.screenshot({ path: `${ROOT}test-results/lab-04-hints-1024.png` });
    await openTab(page, "terminal");
    await doPart(page);
    await moveToPart(page, () => page.click(".nb-nav .next"));

    // Prove it: a trial under the same slow work; the verdict passes.
    await doPart(page);
    await page.screenshot({ path: `${ROOT}test-results/lab-04-proved-1024.png` });
    expect(await page.locator(".step .block.check").first().getAttribute("data-status")).toBe("passed");
    expect(errors).toEqual([]);
  });
});
