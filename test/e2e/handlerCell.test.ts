// A learner writes the handler: in lesson 21's cell they deploy a version with a typo, see the
// failure marked at its line, fix the one word in the editor, deploy again, and the task completes —
// in TypeScript and in Python, at a projector's 1024×768, pressing at a person's pace.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { hasPython } from "../helpers/functionCode.js";
import { openLessonCell } from "../helpers/handlerCell.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";
import { FUNCTION_CODE_LIMIT } from "../../common/events.js";

if (!hasChromium() && process.env.CI) throw new Error("CI must have chromium (apt-get install chromium)");
const browser = pagesPerTest({ viewport: { width: 1024, height: 768 } });
const playgrounds = playgroundPerTest();
const PAUSE_MS = 1_500;

/** The typo's line in each language's file (lessons/handlers/), and how far its word ends from the line's end. */
const TYPO = {
  nodejs: { line: 7, text: "event.records", fromEnd: 3, error: "TypeError" },
  python: { line: 9, text: 'event["records"]', fromEnd: 3, error: "KeyError" },
} as const;

async function lastTask(playground: TestPlayground): Promise<{ id: number; status: string }> {
  const tasks = (await (await playground.get("/tasks")).json()) as { id: number; status: string }[];
  return tasks.reduce((a, b) => (b.id > a.id ? b : a));
}

async function deploy(cell: ReturnType<Page["locator"]>, page: Page): Promise<void> {
  await page.waitForTimeout(PAUSE_MS);
  await cell.locator("button.deploy").click();
  await cell.locator(".answer:has-text('Deployed as version')").waitFor({ timeout: 30_000 });
}

/** A new learner's page on lesson 21's part with the first cell, its cell's editor loaded. */
async function firstCell(): Promise<{ page: Page; cell: ReturnType<Page["locator"]> }> {
  return openLessonCell(await playgrounds.start(), () => browser.newPage());
}

describe.skipIf(!hasChromium())("the handler cell", () => {
  it.each(["nodejs", "python"] as const)("finds a typo at its line and fixes it in the editor (%s)", { timeout: 120_000 }, async (language) => {
    if (language === "python" && !hasPython()) {
      if (process.env.CI) throw new Error("CI must have python3");
      return;
    }
    const playground = await playgrounds.start();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => void errors.push(String(error)));
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/write-the-handler/4`);
    await page.waitForSelector("body[data-ready=true]");
    const cell = page.locator(".block.handler").first();
    await cell.locator(".cm-editor").waitFor();
    await cell.locator("select.handler-language").selectOption(language);
    const typo = TYPO[language];
    await cell.locator(`.cm-line:has-text('${typo.text}')`).waitFor();

    // The version with the typo, then a task: the invocation fails, marked at the typo's line.
    await deploy(cell, page);
    await page.waitForTimeout(PAUSE_MS);
    await page.locator(".block.http .run").first().click();
    await cell.locator(`.handler-log:has-text('${typo.error}')`).waitFor({ timeout: 30_000 });
    const marked = cell.locator(".cm-line:has(.cm-lintRange-error)");
    await marked.waitFor({ timeout: 10_000 });
    await expect(marked.textContent()).resolves.toContain(typo.text);
    // The marked text is in sight at 1024×768, not past the editor's right edge.
    const [range, scroller] = await Promise.all([cell.locator(".cm-lintRange-error").first().boundingBox(), cell.locator(".cm-scroller").boundingBox()]);
    expect(range && scroller && range.x + range.width).toBeLessThanOrEqual((scroller?.x ?? 0) + (scroller?.width ?? 0));
    const lines = await cell.locator(".cm-line").allTextContents();
    expect(lines.findIndex((line) => line.includes(typo.text)) + 1).toBe(typo.line);
    await page.screenshot({ path: `${ROOT}test-results/handler-cell-${language}-error.png` });
    const failed = await lastTask(playground);
    expect(failed.status).not.toBe("completed");

    // Reading on and coming back, as a learner does: the cell still marks the line and keeps its log.
    const logBefore = await cell.locator(".handler-log").textContent();
    await page.waitForTimeout(PAUSE_MS);
    await page.locator(".nb-nav .next").click();
    await page.locator(".nb-nav .prev").waitFor();
    await page.waitForTimeout(PAUSE_MS);
    await page.locator(".nb-nav .prev").click();
    await cell.locator(`.cm-line:has-text('${typo.text}')`).waitFor();
    await expect(cell.locator(".cm-line:has(.cm-lintRange-error)").textContent({ timeout: 10_000 })).resolves.toContain(typo.text);
    expect(await cell.locator("select.handler-language").inputValue()).toBe(language);
    expect(await cell.locator(".handler-log").textContent()).toContain(logBefore?.split("\n").at(-1) ?? "no log");

    // The fix, typed as a learner would: the word "records" becomes "Records".
    await page.waitForTimeout(PAUSE_MS);
    await cell.locator(`.cm-line:has-text('${typo.text}')`).click();
    // End goes to the next wrap point of a wrapped line: pressed until the line's real end.
    for (let i = 0; i < 4; i++) await page.keyboard.press("End");
    for (let i = 0; i < typo.fromEnd; i++) await page.keyboard.press("ArrowLeft");
    for (let i = 0; i < "records".length; i++) await page.keyboard.press("Backspace");
    await page.keyboard.type("Records");
    await deploy(cell, page);

    // A task sent now meets the fixed version and completes (the one that met the typo comes back
    // after its visibility timeout too, or sits in the DLQ if the fix took longer than three receives).
    await page.waitForTimeout(PAUSE_MS);
    await page.locator(".block.http .run").first().click();
    await expect.poll(async () => (await lastTask(playground)).id, { timeout: 10_000 }).toBeGreaterThan(failed.id);
    const fresh = await lastTask(playground);
    await expect.poll(async () => ((await (await playground.get(`/tasks/${fresh.id}`)).json()) as { status: string }).status, { timeout: 30_000, interval: 500 }).toBe("completed");
    await cell.locator(".handler-log:has-text('processing task')").waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${ROOT}test-results/handler-cell-${language}-fixed.png` });
    expect(errors).toEqual([]);
  });

  it("keeps Deploy off until the editor is loaded and wired, so an early press is never lost", { timeout: 60_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await browser.newPage();
    // The editor's code arrives three seconds late, as on a slow machine's first visit.
    let release: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    await page.route(/codeEditor-[^/]*\.js$/, async (route) => {
      await arrived;
      await route.continue();
    });
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/write-the-handler/2`);
    await page.waitForSelector("body[data-ready=true]");
    const cell = page.locator(".block.handler").first();
    await cell.waitFor();
    expect(await cell.locator("button.deploy").isDisabled()).toBe(true);
    expect(await cell.locator("button.reset-code").isDisabled()).toBe(true);
    expect(await cell.locator(".answer").textContent()).toBe("Loading the editor…");
    release();
    await deploy(cell, page);
  });

  it("shows the function log on the part that sends the task, where the lesson says to read it", { timeout: 90_000 }, async () => {
    const { page, cell } = await firstCell();
    await deploy(cell, page);
    await page.waitForTimeout(PAUSE_MS);
    await page.locator(".nb-nav .next").click();
    const log = page.locator(".block.function-log .handler-log");
    await expect(log.textContent()).resolves.toContain("version 1");
    await page.waitForTimeout(PAUSE_MS);
    await page.locator(".block.http .run").first().click();
    await log.locator("text=/processing task/").waitFor({ timeout: 30_000 });
    await expect(log.textContent()).resolves.toMatch(/cold start/i);
    await page.screenshot({ path: `${ROOT}test-results/handler-cell-function-log-part.png` });
  });

  it("keeps each language's text and undo history apart, indents Python by four spaces and back out after a return", { timeout: 60_000 }, async () => {
    const { page, cell } = await firstCell();
    // The lines drawn: CodeMirror draws those in sight (and a margin), enough for what is compared here.
    const text = () => cell.locator(".cm-content").innerText();
    await cell.locator(".cm-line").first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\n// mine");
    await cell.locator("select.handler-language").selectOption("python");
    await cell.locator(".cm-line:has-text('def lambda_handler')").waitFor();
    const python = await text();
    // Ctrl+Z in Python has no TypeScript edit to undo.
    await cell.locator(".cm-line:has-text('def lambda_handler')").click();
    await page.keyboard.press("Control+z");
    expect(await text()).toBe(python);
    // A new line after `def …:` is indented by four.
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("x = 1");
    await expect.poll(async () => (await text()).split("\n")).toContain("    x = 1");
    // …and the line after a `return` goes back out of the block.
    await page.keyboard.press("Enter");
    await page.keyboard.type("return x");
    await page.keyboard.press("Enter");
    await page.keyboard.type("y = 2");
    await expect.poll(async () => (await text()).split("\n")).toContain("y = 2");
    await cell.locator("select.handler-language").selectOption("nodejs");
    await expect(text()).resolves.toContain("// mine");
    await page.keyboard.press("Control+z");
    await cell.locator(".cm-content").click();
    await page.keyboard.press("Control+z");
    await expect.poll(text).not.toContain("// mine");
    expect(await text()).toContain("export const handler");
  });

  it("refuses a paste past the deploy limit and says so, keeping the code as it was", { timeout: 60_000 }, async () => {
    const { page, cell } = await firstCell();
    const before = await cell.locator(".cm-content").innerText();
    await cell.locator(".cm-line").first().click();
    await page.evaluate((length) => {
      // In the page: the browser's own paste event, as Ctrl+V sends it (the test's types have no DOM).
      type Target = { dispatchEvent(event: unknown): void };
      const page = globalThis as unknown as {
        document: { querySelector(selector: string): Target | null };
        DataTransfer: new () => { setData(type: string, text: string): void };
        ClipboardEvent: new (type: string, init: object) => unknown;
      };
      const data = new page.DataTransfer();
      data.setData("text/plain", "x".repeat(length));
      page.document.querySelector(".cm-content")?.dispatchEvent(new page.ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, FUNCTION_CODE_LIMIT);
    await expect(cell.locator(".answer").textContent()).resolves.toMatch(/^Not pasted: .* up to 256 Ki/);
    expect(await cell.locator(".cm-content").innerText()).toBe(before);
  });

  it("deploys the language shown at the press, keeps Deploy and Reset off and says so while it goes, whatever the learner switches to", { timeout: 60_000 }, async () => {
    const { page, cell } = await firstCell();
    // The deploy's answer comes two seconds late, as on a busy machine.
    await page.route("**/api/function/code", async (route) => {
      if (route.request().method() === "PUT") await new Promise((r) => setTimeout(r, 2_000));
      await route.continue();
    });
    await cell.locator("button.deploy").click();
    await cell.locator("select.handler-language").selectOption("python");
    await expect(cell.locator(".answer").textContent()).resolves.toBe("Deploying (TypeScript / JavaScript (Node.js))…");
    expect(await cell.locator("button.deploy").isDisabled()).toBe(true);
    // Reset too: pressed now, it showed the lesson's code while the learner's version went live.
    expect(await cell.locator("button.reset-code").isDisabled()).toBe(true);
    await cell.locator(".answer:has-text('Deployed as version 1 (TypeScript / JavaScript (Node.js)) ✓')").waitFor({ timeout: 10_000 });
    expect(await cell.locator("button.deploy").isDisabled()).toBe(false);
    expect(await cell.locator("button.reset-code").isDisabled()).toBe(false);
  });

  it("keeps a refused deploy's mark and message across a reload, while the cell holds the code refused", { timeout: 60_000 }, async () => {
    const { page, cell } = await firstCell();
    await cell.locator(".cm-line:has-text('const batchItemFailures')").click();
    await page.keyboard.press("End");
    await page.keyboard.type(" ))");
    await cell.locator("button.deploy").click();
    await cell.locator(".answer:has-text('Not deployed (CompileError')").waitFor();
    const refused = await cell.locator(".answer").textContent();
    await cell.locator(".cm-lintRange-error").first().waitFor();
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    const again = page.locator(".block.handler").first();
    await again.locator(".cm-lintRange-error").first().waitFor({ timeout: 10_000 });
    expect(await again.locator(".answer").textContent()).toBe(refused);
  });
});

