// What lesson 21's cell marks and says about the code it holds, at 1024×768: a runtime error
// underlined on the name it is about, a mark gone once the code is edited (it is no longer the code
// that raised it), and a refused deploy saying what still runs.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { openLessonCell } from "../helpers/handlerCell.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest({ viewport: { width: 1024, height: 768 } });
const playgrounds = playgroundPerTest();

const LOOP_LINE = "for (const record of event.Records)";

/** Lesson 21's part 2 in a new learner's page, its cell's editor loaded (TypeScript). */
async function firstCell(): Promise<{ playground: TestPlayground; page: Page; cell: Locator }> {
  const playground = await playgrounds.start();
  const { page, cell } = await openLessonCell(playground, () => browser.newPage());
  await cell.locator("select.handler-language").selectOption("nodejs");
  return { playground, page, cell };
}


/** The caret put `fromEnd` characters before the end of the (wrapped) line holding `lineText`, as a learner clicks and moves there. */
async function caretAfter(page: Page, cell: Locator, lineText: string, fromEnd: number): Promise<void> {
  await cell.locator(`.cm-line:has-text('${lineText}')`).click();
  // End goes to the next wrap point of a wrapped line: pressed until the line's real end.
  for (let i = 0; i < 4; i++) await page.keyboard.press("End");
  for (let i = 0; i < fromEnd; i++) await page.keyboard.press("ArrowLeft");
}

/** `event` becomes `evnt` in line 7's loop, that version deployed and sent a task: it fails with "evnt is not defined". */
async function deployUndefinedName(playground: TestPlayground, page: Page, cell: Locator): Promise<void> {
  // From the line's end: `.Records) {` is 11 characters after `event`.
  await caretAfter(page, cell, LOOP_LINE, ".Records) {".length);
  for (let i = 0; i < "event".length; i++) await page.keyboard.press("Backspace");
  await page.keyboard.type("evnt");
  await cell.locator("button.deploy").click();
  await cell.locator(".answer:has-text('Deployed as version')").waitFor({ timeout: 30_000 });
  await playground.send("POST", "/tasks", { title: "meets an undefined name" });
  await cell.locator(".handler-log:has-text('evnt is not defined')").waitFor({ timeout: 30_000 });
  await cell.locator(".cm-lintRange-error").first().waitFor({ timeout: 10_000 });
}

describe.skipIf(!hasChromium())("the handler cell's marks and words", () => {
  it("underlines the name a ReferenceError is about, not the words after it that V8 points at", { timeout: 90_000 }, async () => {
    const { playground, page, cell } = await firstCell();
    await deployUndefinedName(playground, page, cell);
    expect(await cell.locator(".cm-lintRange-error").allTextContents()).toEqual(["evnt"]);
    const lines = await cell.locator(".cm-line").allTextContents();
    expect(lines.findIndex((line) => line.includes("evnt.Records")) + 1).toBe(7);
    await page.screenshot({ path: `${ROOT}test-results/handler-cell-reference-error.png` });
  });

  it("marks a Python syntax error on the line's text, not with a caret of no width", { timeout: 90_000 }, async () => {
    const playground = await playgrounds.start();
    const { page, cell } = await openLessonCell(playground, () => browser.newPage());
    await cell.locator("select.handler-language").selectOption("python");
    // The colon after `def lambda_handler(event, context)` taken away: Python points at the line's end.
    await caretAfter(page, cell, "def lambda_handler", 0);
    await page.keyboard.press("Backspace");
    await cell.locator("button.deploy").click();
    await cell.locator(".cm-lintRange-error").first().waitFor({ timeout: 30_000 });
    const marked = (await cell.locator(".cm-lintRange-error").allTextContents()).join("");
    expect(marked.length).toBeGreaterThan(0);
    expect(await cell.locator(".cm-line:has(.cm-lintRange-error)").first().textContent()).toContain("def lambda_handler(event, context)");
    await page.screenshot({ path: `${ROOT}test-results/handler-cell-python-syntax-error.png` });
  });

  it("clears the mark once the learner edits the code that raised it, and shows it again on an undo back to that code", { timeout: 90_000 }, async () => {
    const { playground, page, cell } = await firstCell();
    await deployUndefinedName(playground, page, cell);
    // A line inserted above the marked one: the mark is not carried down onto other code.
    await cell.locator(".cm-line:has-text('const batchItemFailures')").click();
    for (let i = 0; i < 4; i++) await page.keyboard.press("End");
    await page.keyboard.type("\nconsole.log(event);");
    await expect.poll(() => cell.locator(".cm-lintRange-error").count()).toBe(0);
    expect(await cell.locator(".cm-lint-marker-error").count()).toBe(0);
    await page.screenshot({ path: `${ROOT}test-results/handler-cell-mark-cleared.png` });
    // Undone, the cell holds the code that raised the error again: its mark is back.
    for (let i = 0; i < 5 && (await cell.locator(".cm-content").innerText()).includes("console.log(event)"); i++) await page.keyboard.press("Control+z");
    await expect.poll(() => cell.locator(".cm-lintRange-error").allTextContents()).toEqual(["evnt"]);
  });

  it("says, when a deploy is refused, which version still runs", { timeout: 90_000 }, async () => {
    const { page, cell } = await firstCell();
    const breakLine = async () => {
      await caretAfter(page, cell, "const batchItemFailures", 0);
      await page.keyboard.type(" ))");
      await cell.locator("button.deploy").click();
      await cell.locator(".answer:has-text('Not deployed (CompileError')").waitFor();
    };
    await breakLine();
    expect(await cell.locator(".answer").textContent()).toMatch(/^Not deployed \(CompileError, .*: line 6, column \d+: .*\. The function still runs the playground's own handler\.$/);
    // Fixed and deployed as version 1, then broken again: version 1 is what still runs.
    await caretAfter(page, cell, "const batchItemFailures", 0);
    for (let i = 0; i < 3; i++) await page.keyboard.press("Backspace");
    await cell.locator("button.deploy").click();
    await cell.locator(".answer:has-text('Deployed as version 1')").waitFor({ timeout: 30_000 });
    await breakLine();
    expect(await cell.locator(".answer").textContent()).toMatch(/The function still runs version 1 \(TypeScript \/ JavaScript \(Node\.js\)\)\.$/);
  });
});
