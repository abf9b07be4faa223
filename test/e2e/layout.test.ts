// The learner's page at the sizes people use (a small laptop to a large screen) and the presenter
// view on a 1024×768 projector, in Debian's chromium: layout facts asserted, screenshots kept in
// test-results/layout-*.png to look at. Nothing here measures time.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Lesson, LessonSummary } from "../../common/lessons.js";
import { hasChromium, openTab, pagesPerTest } from "../helpers/browser.js";
import { coveredLabels, drawingFacts, expectTidy, inside, openPage, overlappingPairs, rectsOf, SIZES, STAGE_PARTS, windowRect, type PageElement, type PageGlobals, type Rect } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const REGIONS = { header: ".top", lesson: ".notebook", stage: ".stage" };

const browser = pagesPerTest();
const playground = playgroundPerFile();

const open = (width: number, height: number, query?: string, hash?: string, initScript?: string) => openPage(browser, playground(), { width, height, query, hash, initScript });

/** Each step's first button (Run, Apply…) is inside the window and the lesson's box, before any scrolling. */
async function stepsWithRunOutOfView(page: Page, lessonIds: string[]): Promise<string[]> {
  const hidden: string[] = [];
  for (const id of lessonIds) {
    const lesson = (await (await fetch(`${playground().url}/api/lessons/${id}`)).json()) as Lesson;
    for (let step = 1; step <= lesson.steps.length; step++) {
      // The step shown before is marked; the new one is the step section drawn after the move.
      await page.evaluate((hash) => {
        const { document, location } = globalThis as unknown as PageGlobals;
        if (location.hash === hash) return;
        document.querySelector(".step")?.setAttribute("data-left", "");
        location.hash = hash;
      }, `#/lessons/${id}/${step}`);
      await page.waitForSelector(".step:not([data-left])");
      const { run, lesson: box } = await rectsOf(page, { run: ".step .run", lesson: ".notebook" });
      if (run === null) continue;
      if (!box || !inside(run as Rect, box) || !inside(run as Rect, windowRect(page))) hidden.push(`${id} step ${step}`);
    }
  }
  return hidden;
}

describe.skipIf(!hasChromium())("the learner's page at four window sizes", () => {
  for (const [width, height] of SIZES) {
    it(`at ${width}×${height}: lesson, drawing and drawer side by side, nothing overlapping or cut off, the drawing's labels clear of its lines`, { timeout: 60_000 }, async () => {
      const page = await open(width, height);
      try {
        await page.click(".block.http .run");
        await page.waitForSelector(".viz .count.completed:text-matches('^[1-9]')", { timeout: 20_000 });
        await expectTidy(page, REGIONS);
        await expectTidy(page, STAGE_PARTS);
        const facts = await drawingFacts(page);
        expect(facts.crossings).toEqual([]);
        // The drawing is the largest thing on screen; station names stay readable, and so does every other word of it.
        expect(facts.share).toBeGreaterThanOrEqual(0.3);
        expect(facts.minStationTextPx).toBeGreaterThanOrEqual(14);
        expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
        await page.screenshot({ path: `${ROOT}test-results/layout-${width}x${height}.png` });
      } finally {
        await page.close();
      }
    });

    it(`at ${width}×${height}: with the drawer open, the drawing keeps most of the stage's width and its words at least 12 px`, { timeout: 60_000 }, async () => {
      const page = await open(width, height);
      try {
        await openTab(page, "tasks");
        await expectTidy(page, STAGE_PARTS);
        const facts = await drawingFacts(page);
        // The drawer once took a third of the window's height, and the drawing shrank to 40 % of the stage's width.
        expect(facts.stageWidthShare).toBeGreaterThanOrEqual(0.65);
        expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
        await page.screenshot({ path: `${ROOT}test-results/layout-${width}x${height}-drawer.png` });
      } finally {
        await page.close();
      }
    });

    it(`at ${width}×${height}: every step's first button of lessons 1, 3, 7 and 10 is in view without scrolling`, { timeout: 90_000 }, async () => {
      const page = await open(width, height);
      try {
        const lessons = (await (await fetch(`${playground().url}/api/lessons`)).json()) as LessonSummary[];
        const ids = [1, 3, 7, 10].map((order) => lessons.find((l) => l.order === order && l.kind === "lesson")?.id as string);
        expect(await stepsWithRunOutOfView(page, ids)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  for (const [width, height] of SIZES) {
    // A tall terminal under the drawing once left its words at 6 px at 1024×768 (10 px at 1920×1080).
    it(`at ${width}×${height}, a block's terminal command opens the terminal at least 20 rows tall, with the keyboard, and the drawing's words stay at 12 px or more`, { timeout: 60_000 }, async () => {
      const page = await open(width, height, "", "#/lessons/the-whole-flow/2");
      try {
        await page.click(".block.terminal-cmd .run");
        // The answer's last attribute: in a narrow terminal the first ones have scrolled away.
        await page.waitForSelector(".term .xterm-rows:has-text('RedrivePolicy')");
        expect(await page.locator(".dock").getAttribute("data-size")).toBe("tall");
        expect(await page.locator(".term .xterm-rows > div").count()).toBeGreaterThanOrEqual(20);
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.closest(".term") !== null)).toBe(true);
        await expectTidy(page, REGIONS);
        // The terminal, the lesson above it (under 1000 px of height), the drawing and its line: none over another.
        await expectTidy(page, { lesson: ".notebook", drawing: ".viz-panel", line: ".stage-line", tabs: ".dock-tabs", terminal: ".term" });
        const facts = await drawingFacts(page);
        expect(facts.minStationTextPx).toBeGreaterThanOrEqual(14);
        expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
        // The block pressed is still in view, above the terminal, and so is the check it answers.
        await page.waitForSelector(".step .block.check[data-status=passed]");
        const { block, lesson, check } = await rectsOf(page, { block: ".block.terminal-cmd .run", lesson: ".notebook", check: ".step .block.check" });
        expect(block && lesson && inside(block, lesson)).toBe(true);
        expect(check && lesson && inside(check, lesson), "the check after the command is in view").toBe(true);
        await page.screenshot({ path: `${ROOT}test-results/layout-${width}x${height}-terminal.png` });
      } finally {
        await page.close();
      }
    });
  }
});

/** Lesson 1's part 3 with step mode on, one task released up to the receive: the trigger holds its message in flight, paused before the invoke. */
async function pauseAtTrigger(page: Page): Promise<void> {
  for (const block of [".block.action", ".block.setting", ".block.http"]) await page.click(`.step ${block} .run`);
  for (const step of ["insert", "send", "receive"]) {
    await page.waitForSelector(`.step-next[data-step=${step}].ready`, { timeout: 20_000 });
    await page.click(`.step-next[data-step=${step}] .run`);
  }
  await page.waitForSelector(".queue-cards .card.in-flight");
  await page.waitForSelector(".stage-line .next-step:has-text('Release step 4')");
}

/** The playground is shared by this file's tests: step mode off and the world empty again. */
async function resetWorld(page: Page): Promise<void> {
  await page.click(".step .block.action .run");
  await page.waitForSelector(".step .block.action .answer:has-text('done')");
}

/**
 * Travelling dots stopped at the end of their trip instead of vanishing there, so a test sees
 * where each one comes to rest (a dot that stopped on "trigger" hid the word).
 */
const DOTS_STAY_WHERE_THEY_STOP = `{
  const animate = Element.prototype.animate;
  Element.prototype.animate = function (keyframes, options) {
    const motion = animate.call(this, keyframes, options);
    if (this.classList.contains("travel-dot")) {
      motion.pause();
      motion.currentTime = options.duration - 1;
    }
    return motion;
  };
}`;

describe.skipIf(!hasChromium())("a message paused in step mode at the trigger", () => {
  it("at 1024×768, keeps an in-flight message's words inside its card", { timeout: 60_000 }, async () => {
    const page = await open(1024, 768, "", "#/lessons/the-whole-flow/3");
    try {
      await pauseAtTrigger(page);
      const overflowing = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const out: string[] = [];
        for (const card of document.querySelectorAll(".viz .card")) {
          const frame = card.querySelector("rect")?.getBoundingClientRect();
          for (const text of card.querySelectorAll("text")) {
            const r = text.getBoundingClientRect();
            if (frame && r.width > 0 && r.x + r.width > frame.x + frame.width) out.push(text.textContent ?? "");
          }
        }
        return out;
      });
      expect(overflowing).toEqual([]);
    } finally {
      await resetWorld(page);
      await page.close();
    }
  });

  it("at 1024×768, shows every column of the queue inspector whole, words at 12 px or more", { timeout: 60_000 }, async () => {
    const page = await open(1024, 768, "", "#/lessons/the-whole-flow/3");
    try {
      await pauseAtTrigger(page);
      await openTab(page, "queue");
      // Tall (as a terminal command leaves it), the drawer sits under the lesson, in its narrow column.
      await page.click('[aria-label="Make the drawer taller"]');
      await page.waitForSelector("#panel-queue tbody tr");
      const cut = await page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
        const panel = document.querySelector("#panel-queue")?.getBoundingClientRect();
        const out: string[] = [];
        for (const cell of document.querySelectorAll("#panel-queue th, #panel-queue tbody td")) {
          const r = cell.getBoundingClientRect();
          if (!panel || r.x + r.width > panel.x + panel.width + 0.5) out.push(`${cell.textContent ?? ""}: cut off`);
          const size = Number.parseFloat((getComputedStyle(cell) as unknown as { fontSize: string }).fontSize);
          if (size < 12) out.push(`${cell.textContent ?? ""}: ${size} px`);
        }
        return out;
      });
      await page.screenshot({ path: "test-results/layout-queue-inspector-1024.png" });
      expect(cut).toEqual([]);
    } finally {
      await resetWorld(page);
      await page.close();
    }
  });

  it("at 1024×768, rests no card and no travelling dot on a station's name or a step's words, and draws the card's words at 12 px or more", { timeout: 60_000 }, async () => {
    const page = await open(1024, 768, "", "#/lessons/the-whole-flow/3", DOTS_STAY_WHERE_THEY_STOP);
    try {
      await pauseAtTrigger(page);
      // The receive's dot has come to rest at the trigger (with the insert's and the send's at their stations).
      await page.waitForSelector(".viz-travel .travel-dot.in-flight");
      const { dot, drawing } = await rectsOf(page, { dot: ".viz-travel .travel-dot.in-flight", drawing: ".viz-box" });
      expect(inside(dot as Rect, drawing as Rect)).toBe(true);
      expect(await coveredLabels(page)).toEqual([]);
      const facts = await drawingFacts(page);
      expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
      await page.screenshot({ path: `${ROOT}test-results/layout-1024x768-step-mode.png` });
    } finally {
      await resetWorld(page);
      await page.close();
    }
  });

  for (const [width, height] of [SIZES[0], SIZES[1]]) {
    it(`at ${width}×${height}, says what waits once, in a whole sentence under the drawing, beside its Release button`, { timeout: 60_000 }, async () => {
      const page = await open(width, height, "", "#/lessons/the-whole-flow/3");
      try {
        await pauseAtTrigger(page);
        await page.waitForSelector(".narration-line:has-text('Step 4 waits')");
        const line = await page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          const el = document.querySelector(".narration-line") as PageElement & { scrollHeight: number; clientHeight: number };
          // Said on screen: the stage's rendered text, less what only a screen reader hears.
          const times = (text: string) => text.split("about to invoke").length - 1;
          const stage = document.querySelector(".stage") as PageElement & { innerText: string };
          const unseen = [...stage.querySelectorAll(".visually-hidden")].reduce((sum, e) => sum + times(e.textContent ?? ""), 0);
          return { text: el.textContent ?? "", cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1, said: times(stage.innerText) - unseen };
        });
        expect(line.text).toMatch(/^Step 4 waits: the trigger is about to invoke the handler with 1 record \(task \d+\)\.$/);
        expect(line.cut).toBe(false);
        // A second sentence above the drawing once said the same again.
        expect(line.said).toBe(1);
        const parts = await rectsOf(page, { sentence: ".narration-line", button: ".stage-line .next-step" });
        expect(overlappingPairs(parts)).toEqual([]);
        const { row } = await rectsOf(page, { row: ".stage-line" });
        for (const part of Object.values(parts)) expect(inside(part as Rect, row as Rect)).toBe(true);
        await expectTidy(page, { drawing: ".viz-box", line: ".stage-line", dock: ".dock" });
        await page.screenshot({ path: `${ROOT}test-results/layout-${width}x${height}-step-mode.png` });
      } finally {
        await resetWorld(page);
        await page.close();
      }
    });

    // Lesson 1 asks for exactly this: step mode, then the timeline's wire inspector on the pause.
    it(`at ${width}×${height}, with the timeline open under the pause, keeps the drawing's words at 12 px or more, nothing overlapping or cut off, and Release in view`, { timeout: 60_000 }, async () => {
      const page = await open(width, height, "", "#/lessons/the-whole-flow/3");
      try {
        await pauseAtTrigger(page);
        await openTab(page, "timeline");
        // Taken before the checks, so a failing run leaves the picture to look at.
        await page.screenshot({ path: `${ROOT}test-results/layout-${width}x${height}-step-mode-drawer.png` });
        await expectTidy(page, { drawing: ".viz-box", line: ".stage-line", dock: ".dock" });
        const facts = await drawingFacts(page);
        // It once fell to 10.8 px and 62 % of the stage's width: a step sentence above the drawing said what the line under it said.
        expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
        expect(facts.stageWidthShare).toBeGreaterThanOrEqual(0.65);
        expect(facts.crossings).toEqual([]);
        expect(await coveredLabels(page)).toEqual([]);
        const { release, stage } = await rectsOf(page, { release: ".stage-line .next-step", stage: ".stage" });
        expect(release, "the Release button is shown").not.toBeNull();
        expect(inside(release as Rect, stage as Rect) && inside(release as Rect, windowRect(page))).toBe(true);
      } finally {
        await resetWorld(page);
        await page.close();
      }
    });
  }
});

describe.skipIf(!hasChromium())("the way on to the next lesson", () => {
  it("at 1024×768, is a Next lesson button at most two lines tall at every lesson's last part", { timeout: 90_000 }, async () => {
    const page = await open(1024, 768);
    try {
      const lessons = (await (await fetch(`${playground().url}/api/lessons`)).json()) as LessonSummary[];
      const tall: string[] = [];
      for (const lesson of lessons.slice(0, -1)) {
        await page.evaluate((hash) => ((globalThis as unknown as PageGlobals).location.hash = hash), `#/lessons/${lesson.id}/${lesson.steps}`);
        await page.waitForSelector(`.step[aria-label="Part ${lesson.steps} of ${lesson.steps}"] ~ .nb-nav .next-lesson`);
        const lines = await page.evaluate(() => {
          const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
          const button = document.querySelector(".nb-nav .next-lesson") as PageElement;
          const style = getComputedStyle(button) as unknown as Record<"lineHeight" | "paddingTop" | "paddingBottom" | "borderTopWidth" | "borderBottomWidth", string>;
          const chrome = [style.paddingTop, style.paddingBottom, style.borderTopWidth, style.borderBottomWidth].reduce((sum, v) => sum + parseFloat(v), 0);
          return (button.getBoundingClientRect().height - chrome) / parseFloat(style.lineHeight);
        });
        if (lines > 2.05) tall.push(`${lesson.id}: ${lines.toFixed(1)} lines`);
      }
      expect(tall).toEqual([]);
      await page.screenshot({ path: `${ROOT}test-results/layout-1024x768-next-lesson.png` });
    } finally {
      await page.close();
    }
  });

  it("at 1024×768, keeps the part's buttons, back and on, on one row in every part of every lesson and lab", { timeout: 120_000 }, async () => {
    const page = await open(1024, 768);
    try {
      const lessons = (await (await fetch(`${playground().url}/api/lessons`)).json()) as LessonSummary[];
      const wrapped: string[] = [];
      for (const lesson of lessons)
        for (let part = 1; part <= lesson.steps; part++) {
          await page.evaluate((hash) => ((globalThis as unknown as PageGlobals).location.hash = hash), `#/lessons/${lesson.id}/${part}`);
          await page.waitForSelector(`.step[aria-label="Part ${part} of ${lesson.steps}"] ~ .nb-nav`);
          // "Next part ▶" once went onto a line of its own in every part of lessons 1–20 and the labs (the 35 % column).
          const row = await page.$$eval(".nb-nav button", (buttons) => {
            const [back, on] = buttons.map((b) => b.getBoundingClientRect());
            return !back || !on || on.top < back.bottom;
          });
          if (!row) wrapped.push(`${lesson.id} part ${part}`);
        }
      await page.evaluate((hash) => ((globalThis as unknown as PageGlobals).location.hash = hash), `#/lessons/${lessons[0]?.id}/1`);
      await page.waitForSelector('.step[aria-label^="Part 1 of"] ~ .nb-nav');
      await page.locator(".nb-nav").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ROOT}test-results/layout-1024x768-part-nav.png` });
      expect(wrapped).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe.skipIf(!hasChromium())("the presenter view on a 1024×768 projector", () => {
  it("gives the drawing at least 55 % of the screen, station names at least 18 px, and its controls one slim bar", { timeout: 60_000 }, async () => {
    const page = await open(1024, 768, `&presenter=${playground().presenterToken}`);
    try {
      await page.click(".block.http .run");
      await page.waitForSelector(".viz .count.completed:text-matches('^[1-9]')", { timeout: 20_000 });
      const facts = await drawingFacts(page);
      expect(facts.share).toBeGreaterThanOrEqual(0.55);
      expect(facts.minStationTextPx).toBeGreaterThanOrEqual(18);
      expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
      expect(facts.crossings).toEqual([]);
      await expectTidy(page, { bar: ".presenter-bar", switch: ".top", lesson: ".notebook", stage: ".stage" });
      const bar = await page.evaluate(() => {
        const el = (globalThis as unknown as PageGlobals).document.querySelector(".presenter-bar") as PageElement;
        return { height: el.getBoundingClientRect().height, overflows: el.scrollWidth > el.clientWidth + 1 };
      });
      expect(bar.height).toBeLessThanOrEqual(48);
      expect(bar.overflows).toBe(false);
      // The column has scrolled to the ✓ the request answered (a check's change is brought into view): the picker is at its top.
      await page.evaluate(() => (((globalThis as unknown as PageGlobals).document.querySelector(".notebook") as unknown as { scrollTop: number }).scrollTop = 0));
      const { picker, lesson } = await rectsOf(page, { picker: ".lesson-picker", lesson: ".notebook" });
      expect(inside(picker as Rect, lesson as Rect)).toBe(true);
      await page.screenshot({ path: `${ROOT}test-results/layout-presenter-1024x768.png` });
    } finally {
      await page.close();
    }
  });

  it("opens the terminal enlarged when a step uses it", { timeout: 60_000 }, async () => {
    const page = await open(1024, 768, `&presenter=${playground().presenterToken}`, "#/lessons/the-whole-flow/2");
    try {
      await page.click(".block.terminal-cmd .run");
      // The answer's last attribute: the terminal, docked under the lesson, is narrow and the first ones have scrolled away.
      await page.waitForSelector(".term .xterm-rows:has-text('RedrivePolicy')");
      expect(await page.locator(".dock").getAttribute("data-size")).toBe("tall");
      expect(await page.locator(".term .xterm-rows > div").count()).toBeGreaterThanOrEqual(20);
      await page.screenshot({ path: `${ROOT}test-results/layout-presenter-1024x768-terminal.png` });
    } finally {
      await page.close();
    }
  });
});
