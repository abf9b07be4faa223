// The terminal draws every character: an underscore and a box-drawing line must leave pixels.
// At xterm's default line height, Debian's Chromium cut the underscore off each row, so `task_id`
// read `task id`. Each check prints a line twice, once with the character and once with a space in
// its place, and compares the two rows' pixels: identical rows mean the character was not drawn.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeContexts, hasChromium, sharedChromium } from "../helpers/browser.js";
import type { PageElement, PageGlobals } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

let browser: Browser;
let page: Page;
const playground = playgroundPerFile();
beforeAll(async () => {
  if (!hasChromium()) return;
  browser = await sharedChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${playground().url}/?token=${playground().terminalToken}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.click("#tab-terminal");
  await page.waitForSelector(".term .xterm-rows");
  await page.click(".term .xterm");
  // The shell's prompt first; then the lines, printed by printf after `clear` (the command line itself holds both spellings).
  await page.waitForFunction(() => /[$#]\s*$/.test((globalThis as unknown as PageGlobals).document.querySelector(".term .xterm-rows")?.textContent?.trim() ?? ""));
  await page.keyboard.type("clear; printf 'A task_id B\\nA task id B\\nA ─┼─ B\\nA     B\\n'\n");
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return [...document.querySelectorAll(".term .xterm-rows > div")].some((row) => row.textContent?.replace(/\u00a0/g, " ").trimEnd() === "A     B");
  });
  await page.screenshot({ path: `${ROOT}test-results/terminal-text.png` });
}, 60_000);
afterAll(async () => {
  await closeContexts(browser);
});

/** The pixels of the terminal row that shows exactly `text`. */
async function rowPixels(text: string): Promise<Buffer> {
  const index = await page.evaluate((wanted) => {
    const { document } = globalThis as unknown as PageGlobals;
    const rows = [...document.querySelectorAll(".term .xterm-rows > div")] as PageElement[];
    return rows.findIndex((row) => row.textContent?.replace(/\u00a0/g, " ").trimEnd() === wanted);
  }, text);
  expect(index, `a row shows "${text}"`).toBeGreaterThanOrEqual(0);
  return page.locator(".term .xterm-rows > div").nth(index).screenshot();
}

describe.skipIf(!hasChromium())("the terminal's text", () => {
  it("draws the underscore in task_id", async () => {
    expect((await rowPixels("A task_id B")).equals(await rowPixels("A task id B"))).toBe(false);
  });

  it("draws box-drawing lines", async () => {
    expect((await rowPixels("A ─┼─ B")).equals(await rowPixels("A     B"))).toBe(false);
  });
});
