// The drawer of tools under the drawing at a projector's 1024×768, open under the drawing and
// made tall under the lesson: its tab row, the chart and the chaos panel fit it. Layout facts
// only; screenshots in test-results/ to look at. (Split from layout.test.ts.)
import { describe, expect, it } from "vitest";
import { hasChromium, openTab, pagesPerTest } from "../helpers/browser.js";
import { cutOffIn, nextFrames, projectorPages, rectsOf, type PageElement } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest();
const playground = playgroundPerFile();

const atProjector = projectorPages(browser, playground);

describe.skipIf(!hasChromium())("the drawer's tabs at 1024×768, open under the drawing and tall under the lesson", () => {
  it("at 1024×768, keeps the drawer's tabs and the terminal's switches on one row in lesson 21's wider column, the drawer open or tall", { timeout: 60_000 }, async () => {
    await atProjector("#/lessons/write-the-handler/2", async (page) => {
      await openTab(page, "terminal");
      // One row: every one of them starts above the bottom of every other.
      const oneRow = () =>
        page.$$eval('.dock-tabs [role="tab"], .dock-tools button:not([hidden])', (els) => {
          const rects = els.map((el) => el.getBoundingClientRect());
          return Math.max(...rects.map((r) => r.top)) < Math.min(...rects.map((r) => r.bottom));
        });
      // Two rows took a row of the terminal's (the seven tabs and "Screen reader" beside them).
      expect(await oneRow()).toBe(true);
      await page.click('[aria-label="Make the drawer taller"]');
      await page.waitForSelector('[aria-label="Make the drawer smaller"]');
      await page.screenshot({ path: `${ROOT}test-results/layout-tabs-lesson21-1024.png` });
      expect(await oneRow()).toBe(true);
      expect(await page.getAttribute(".term-sr", "aria-label")).toBe("Screen reader");
    });
  });

  it("fits the chart in the drawer: its plot, the time labels under it and its legend inside, nothing to scroll", { timeout: 60_000 }, async () => {
    await atProjector("#/lessons/scalability/1", async (page) => {
      await openTab(page, "chart");
      for (const size of ["open", "tall"]) {
        if (size === "tall") await page.click('[aria-label="Make the drawer taller"]');
        await page.waitForSelector(`.dock[data-size=${size}]`);
        await nextFrames(page);
        await page.screenshot({ path: `${ROOT}test-results/layout-1024x768-chart-${size}.png` });
        // uPlot draws the time labels in its canvas, at its bottom: the canvas whole is the labels whole.
        // It once was 170 px tall in a 138 px drawer, the labels and the legend under the drawer's edge.
        expect(await cutOffIn(page, "#panel-chart", ".uplot, .u-legend tr"), `the drawer ${size}`).toEqual([]);
        const { plot } = await rectsOf(page, { plot: "#panel-chart .uplot" });
        expect(plot?.height, `the drawer ${size}: a plot, not a sliver`).toBeGreaterThanOrEqual(80);
      }
    });
  });

  it("shows the chaos panel's forms whole with the drawer tall in the lesson's column, nothing past its edge", { timeout: 60_000 }, async () => {
    await atProjector("#/lessons/scalability/1", async (page) => {
      await openTab(page, "chaos");
      await page.click('[aria-label="Make the drawer taller"]');
      await page.waitForSelector(".dock[data-size=tall]");
      await page.click(".chaos-toggle");
      await page.waitForSelector(".chaos-trigger button[type=submit]");
      await page.screenshot({ path: `${ROOT}test-results/layout-1024x768-chaos-tall.png` });
      // Each field is inside the panel's width; the panel scrolls down, never sideways. It once cut
      // the trigger's form at the column's edge ("The Lam…", "Batch siz", half an Apply button).
      expect(await cutOffIn(page, "#panel-chaos", "legend, label, button, input, select", "sideways")).toEqual([]);
      // Apply's answer under the forms is brought into the panel's view ("applied ✓" was below its edge, unseen).
      await page.click(".chaos-faults button[type=submit]");
      await page.waitForSelector(".chaos-answer:has-text('Faults: applied ✓')");
      await nextFrames(page);
      const { answer, panel } = await rectsOf(page, { answer: ".chaos-answer", panel: "#panel-chaos" });
      expect(answer && panel && answer.y >= panel.y && answer.y + answer.height <= panel.y + panel.height, "the answer is inside the panel's view").toBe(true);
    });
  });

  it("shows at least four timeline rows in the drawer under the drawing, the call counts folded beside the heading", { timeout: 60_000 }, async () => {
    await atProjector("#/lessons/the-whole-flow/1", async (page) => {
      await page.click(".block.http .run");
      await page.waitForSelector(".step .block.check[data-status=passed]", { timeout: 30_000 });
      await openTab(page, "timeline");
      await page.waitForSelector(".wire-counts summary:has-text('SQS calls since the last reset: ')");
      await nextFrames(page);
      await page.screenshot({ path: `${ROOT}test-results/layout-1024x768-timeline-open.png` });
      // The counts' buttons took four lines of this drawer once, and the list showed about two rows.
      const whole = () =>
        page.$$eval("#panel-timeline .timeline li", (rows) => {
          const panel = (rows[0]?.closest(".tab-panel") as PageElement).getBoundingClientRect();
          return rows.filter((row) => {
            const r = row.getBoundingClientRect();
            return r.y >= panel.y && r.y + r.height <= panel.y + panel.height;
          }).length;
        });
      expect(await whole()).toBeGreaterThanOrEqual(4);
      await page.click(".wire-counts summary");
      await page.click(".wire-counts button:has-text('api SendMessage × 1')");
      await page.waitForSelector(".wire h3:has-text('the latest api SendMessage call')");
    });
  });
});
