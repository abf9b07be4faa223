// What a learner meets when they click around the page: the drawer's tabs and ✕, and a link to a
// lesson or part the playground does not have. Real playground, real Chromium at 1024×768.
import { describe, expect, it } from "vitest";
import { hasChromium, openTab, pagesPerTest } from "../helpers/browser.js";
import { projectorPages, type PageGlobals } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest();
const playground = playgroundPerFile();

const atProjector = projectorPages(browser, playground);

describe.skipIf(!hasChromium())("the drawer's tabs and links to what is not there", () => {
  it("keeps the drawer open when the open tab is clicked again, and closes it with its ✕ or Escape", { timeout: 60_000 }, async () => {
    await atProjector("#/lessons/the-whole-flow/1", async (page) => {
      await openTab(page, "timeline");
      await page.click("#tab-timeline");
      await page.waitForTimeout(300);
      expect(await page.getAttribute(".dock", "data-size")).toBe("open");
      expect(await page.isVisible("#panel-timeline")).toBe(true);
      await page.screenshot({ path: `${ROOT}test-results/dock-open-close-1024.png` });
      await page.click(".dock-close");
      await page.waitForSelector(".dock[data-size=closed]");
      expect(await page.isHidden(".dock-close")).toBe(true);
      // The keyboard is left on the tab that was open.
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute("id"))).toBe("tab-timeline");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".dock[data-size=open]");
      await page.keyboard.press("Escape");
      await page.waitForSelector(".dock[data-size=closed]");
    });
  });

  it("says so when a link names a lesson that does not exist, and shows lesson 1 with the list", { timeout: 60_000 }, async () => {
    await atProjector("#/lessons/no-such-lesson/2", async (page) => {
      await page.waitForSelector(".nb-notice");
      expect(await page.textContent(".nb-notice")).toContain("There is no lesson called “no-such-lesson”");
      expect(await page.textContent(".lesson-title")).toContain("The whole flow");
      await page.screenshot({ path: `${ROOT}test-results/link-unknown-lesson-1024.png` });
    });
  });

  it("says so when a link asks for a part past the last, and shows the last", { timeout: 60_000 }, async () => {
    await atProjector("#/lessons/the-whole-flow/99", async (page) => {
      await page.waitForSelector(".nb-notice");
      const parts = await page.textContent(".nb-count-of");
      const last = Number(parts?.split("/")[1]);
      expect(await page.textContent(".nb-notice")).toBe(`This lesson has ${last} parts: here is the last.`);
      expect(parts?.replace(/\s/g, "")).toBe(`${last}/${last}`);
      // The notice is about the link: the next part shown has none.
      await page.click(".nb-nav .prev");
      await page.waitForSelector(`.step h3:has-text('Part ${last - 1}')`);
      expect(await page.$(".nb-notice")).toBeNull();
    });
  });
});
