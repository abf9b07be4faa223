// Layout facts read from a page in the browser, for the screenshot tests: where the key regions
// are, whether any two overlap or leave the window, and how large the flow drawing is drawn.
import type { Page } from "playwright-core";
import { expect } from "vitest";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An element as the probes below use it: this file is type-checked for Node, without the DOM library. */
export interface PageElement {
  getBoundingClientRect(): Rect;
  getBBox(): Rect;
  /** An SVG element's map to screen px: `a` is its horizontal scale (the drawing keeps its aspect ratio). */
  getScreenCTM(): { a: number } | null;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  viewBox: { baseVal: Rect };
  points: Iterable<{ x: number; y: number }>;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}

/** The page's globals the probes read; in a probe: `const page = globalThis as unknown as PageGlobals`. */
export interface PageGlobals {
  document: PageElement & { activeElement: PageElement | null };
  location: { hash: string };
  innerWidth: number;
  innerHeight: number;
  getComputedStyle(element: PageElement): { fontSize: string };
}

/** The bounding boxes (CSS px) of the first element matching each selector; null when absent or not shown. */
export async function rectsOf(page: Page, selectors: Record<string, string>): Promise<Record<string, Rect | null>> {
  return page.evaluate((wanted) => {
    const { document } = globalThis as unknown as PageGlobals;
    const out: Record<string, { x: number; y: number; width: number; height: number } | null> = {};
    for (const [name, selector] of Object.entries(wanted)) {
      const el = document.querySelector(selector);
      const r = el?.getBoundingClientRect();
      out[name] = r && r.width > 0 && r.height > 0 ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    }
    return out;
  }, selectors);
}

/** Whether two boxes share more than a pixel of area (touching edges do not count). */
export function overlaps(a: Rect, b: Rect): boolean {
  const slack = 1;
  return a.x + a.width - slack > b.x && b.x + b.width - slack > a.x && a.y + a.height - slack > b.y && b.y + b.height - slack > a.y;
}

/** Whether a box lies inside another (within half a pixel, for sub-pixel layout). */
export function inside(inner: Rect, outer: Rect): boolean {
  const slack = 0.5;
  return inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.width <= outer.x + outer.width + slack && inner.y + inner.height <= outer.y + outer.height + slack;
}

/** Every pair among `rects` that overlaps, named "a × b". */
export function overlappingPairs(rects: Record<string, Rect | null>): string[] {
  const entries = Object.entries(rects).filter((e): e is [string, Rect] => e[1] !== null);
  const pairs: string[] = [];
  for (let i = 0; i < entries.length; i++) for (let j = i + 1; j < entries.length; j++) if (overlaps((entries[i] as [string, Rect])[1], (entries[j] as [string, Rect])[1])) pairs.push(`${(entries[i] as [string, Rect])[0]} × ${(entries[j] as [string, Rect])[0]}`);
  return pairs;
}

export interface DrawingFacts {
  /** The drawn part of the flow drawing (its viewBox as scaled into the element), as a share of the window's area. */
  share: number;
  /** The drawn width of the flow drawing as a share of the stage's width. */
  stageWidthShare: number;
  /** The smallest rendered size (px) of a station's name. */
  minStationTextPx: number;
  /** The smallest rendered size (px) of any text shown in the drawing (names, step words, counts, cards, captions), and which. */
  smallestText: { text: string; px: number };
  /** Labels (station names, step words, edge words) whose box a line of the drawing crosses, or another label overlaps. */
  crossings: string[];
}

/** Facts about the flow drawing (`svg.viz`) as the browser renders it. */
export async function drawingFacts(page: Page): Promise<DrawingFacts> {
  return page.evaluate(() => {
    const { document, innerWidth, innerHeight, getComputedStyle } = globalThis as unknown as PageGlobals;
    // The size a text is drawn at: its font size (in the drawing's units) times the drawing's scale on screen.
    const renderedPx = (t: PageElement) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0);
    type Point = { x: number; y: number };
    const svg = document.querySelector("svg.viz") as PageElement;
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox.baseVal;
    const scale = Math.min(box.width / view.width, box.height / view.height);
    const share = (view.width * scale * view.height * scale) / (innerWidth * innerHeight);
    const stageWidthShare = (view.width * scale) / (document.querySelector(".stage") as PageElement).getBoundingClientRect().width;
    const titles = [...svg.querySelectorAll(".station .title")];
    const minStationTextPx = Math.min(...titles.map(renderedPx));
    const shown = [...svg.querySelectorAll("text, tspan")].filter((t) => (t.textContent ?? "").trim() !== "" && t.getBoundingClientRect().width > 0);
    const smallestText = shown.map((t) => ({ text: t.textContent ?? "", px: renderedPx(t) })).reduce((a, b) => (b.px < a.px ? b : a));
    // Boxes in the drawing's own units, so the check does not depend on the window.
    const labels = [...svg.querySelectorAll(".station .title, .edge-label, .step-badge .label")].map((t) => ({ name: t.textContent ?? "", b: t.getBBox() }));
    const segments: [number, number, number, number][] = [];
    for (const line of svg.querySelectorAll(".arrows polyline")) {
      const points = [...line.points];
      for (let i = 1; i < points.length; i++) segments.push([(points[i - 1] as Point).x, (points[i - 1] as Point).y, (points[i] as Point).x, (points[i] as Point).y]);
    }
    const crosses = (s: [number, number, number, number], b: Rect) => {
      // The drawing's lines are horizontal or vertical.
      const [x1, y1, x2, y2] = s;
      const [left, right, top, bottom] = [Math.min(x1, x2), Math.max(x1, x2), Math.min(y1, y2), Math.max(y1, y2)];
      return left < b.x + b.width && right > b.x && top < b.y + b.height && bottom > b.y;
    };
    const crossings: string[] = [];
    for (const label of labels) if (segments.some((s) => crosses(s, label.b))) crossings.push(`a line crosses "${label.name}"`);
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        const [a, b] = [(labels[i] as { b: Rect }).b, (labels[j] as { b: Rect }).b];
        if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) crossings.push(`"${labels[i]?.name}" overlaps "${labels[j]?.name}"`);
      }
    return { share, stageWidthShare, minStationTextPx, smallestText, crossings };
  });
}

/**
 * What covers a word of the flow drawing: each message card, and each travelling dot where it is
 * when the probe runs, against every station name, step word and edge word ("card task 6 × Lambda
 * trigger"). Screen boxes, so a dot (an HTML element over the SVG) is compared like a card.
 */
export async function coveredLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const shown = (el: PageElement) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? r : null;
    };
    const labels = [...document.querySelectorAll(".viz .station .title, .viz .edge-label, .viz .step-badge .label")].map((t) => ({ name: t.textContent ?? "", box: shown(t) }));
    const covers = [
      ...[...document.querySelectorAll(".viz .card")].map((card) => ({ name: `card ${card.querySelector("text")?.textContent ?? ""}`, box: card.querySelector("rect") && shown(card.querySelector("rect") as PageElement) })),
      ...[...document.querySelectorAll(".viz-travel .travel-dot")].map((dot) => ({ name: `dot ${dot.getAttribute("class") ?? ""}`, box: shown(dot) })),
    ];
    const out: string[] = [];
    for (const c of covers)
      for (const l of labels) {
        const [a, b] = [c.box, l.box];
        if (a && b && a.x + a.width - 1 > b.x && b.x + b.width - 1 > a.x && a.y + a.height - 1 > b.y && b.y + b.height - 1 > a.y) out.push(`${c.name} × ${l.name}`);
      }
    return out;
  });
}

/** The four window sizes the learner's page is held to (issue 15): a projector's, two laptops', a desktop's. */
export const SIZES = [
  [1024, 768],
  [1366, 768],
  [1440, 900],
  [1920, 1080],
] as const;

/** The stage's three parts, which must never overlap: the drawing, the line under it, the drawer. */
export const STAGE_PARTS = { drawing: ".viz-panel", line: ".stage-line", dock: ".dock" };

/**
 * The playground's page at `width`×`height` px, opened with the terminal's token (the learner's
 * own page), ready and live. `query` is appended to the token's (`&presenter=…`), `hash` picks the
 * lesson part; `initScript` runs before the page's own scripts.
 */
export async function openPage(
  browser: { newPage: (options: { viewport: { width: number; height: number } }) => Promise<Page> },
  playground: { url: string; terminalToken: string },
  options: { width: number; height: number; query?: string; hash?: string; initScript?: string },
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width, height: options.height } });
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.goto(`${playground.url}/?token=${playground.terminalToken}${options.query ?? ""}${options.hash ?? "#/lessons/the-whole-flow/1"}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector(".connection:text('live')");
  return page;
}

/**
 * `atProjector(hash, body)`: runs `body` on a page at a projector's 1024×768 opened at `hash` (the
 * learner's view, with the terminal's token), closing the page after, failed or not.
 */
export function projectorPages(browser: Parameters<typeof openPage>[0], playground: () => Parameters<typeof openPage>[1]) {
  return async (hash: string, body: (page: Page) => Promise<void>): Promise<void> => {
    const page = await openPage(browser, playground(), { width: 1024, height: 768, query: "", hash });
    try {
      await body(page);
    } finally {
      await page.close();
    }
  };
}

/** The window as a Rect (CSS px). */
export const windowRect = (page: Page): Rect => ({ x: 0, y: 0, ...(page.viewportSize() as { width: number; height: number }) });

/** The regions that are shown, none overlapping another and all inside the window. */
export async function expectTidy(page: Page, regions: Record<string, string>): Promise<void> {
  const rects = await rectsOf(page, regions);
  for (const [name, rect] of Object.entries(rects)) {
    expect(rect, `${name} is shown`).not.toBeNull();
    expect(inside(rect as Rect, windowRect(page)), `${name} lies inside the window`).toBe(true);
  }
  expect(overlappingPairs(rects)).toEqual([]);
}

/**
 * What of `parts` (a selector inside `box`) is not whole inside `box`'s visible area, as "text: cut
 * off", and whether `box` scrolls to show it. `sideways`: only what runs past its left or right edge
 * counts (a panel that scrolls down is fine). Empty when all fits.
 */
export async function cutOffIn(page: Page, box: string, parts: string, only?: "sideways"): Promise<string[]> {
  return page.evaluate(
    ({ box, parts, sideways }) => {
      const { document } = globalThis as unknown as PageGlobals;
      const el = document.querySelector(box) as (PageElement & { scrollHeight: number; clientHeight: number }) | null;
      if (!el) return [`${box}: not shown`];
      const frame = el.getBoundingClientRect();
      const out: string[] = [];
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${box} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth})`);
      if (!sideways && el.scrollHeight > el.clientHeight + 1) out.push(`${box} scrolls down (${el.scrollHeight} px in ${el.clientHeight})`);
      const shown = [...el.querySelectorAll(parts)].filter((p) => p.getBoundingClientRect().width > 0);
      if (shown.length === 0) out.push(`${parts}: none shown`);
      for (const part of shown) {
        const r = part.getBoundingClientRect();
        const across = r.x < frame.x - 0.5 || r.x + r.width > frame.x + frame.width + 0.5;
        const down = r.y < frame.y - 0.5 || r.y + r.height > frame.y + frame.height + 0.5;
        if (across || (!sideways && down)) out.push(`${(part.textContent ?? "").trim().slice(0, 30) || part.getAttribute("class")}: cut off`);
      }
      return out;
    },
    { box, parts, sideways: only === "sideways" },
  );
}

/** Two animation frames: what a ResizeObserver does after a layout change has been drawn. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => done(null)))));
}
