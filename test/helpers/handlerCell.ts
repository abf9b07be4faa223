import type { Locator, Page } from "playwright-core";
import type { TestPlayground } from "./playground.js";

/** Lesson 21's `part` (2: its first cell; part 1 starts clean) in a new learner's page, the part's first cell's editor loaded. */
export async function openLessonCell(playground: TestPlayground, newPage: () => Promise<Page>, part = 2): Promise<{ page: Page; cell: Locator }> {
  const page = await newPage();
  await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/write-the-handler/${part}`);
  await page.waitForSelector("body[data-ready=true]");
  const cell = page.locator(".block.handler").first();
  await cell.locator(".cm-editor").waitFor();
  return { page, cell };
}
