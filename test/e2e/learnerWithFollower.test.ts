// The learner's own page (opened with the printed `/?token=…` link) while a /follow page watches
// on the same machine: the learner's Run buttons keep working; the follower's page stays read-only.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const browser = pagesPerTest();
const playgrounds = playgroundPerTest();

async function open(playground: TestPlayground, path: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${playground.url}${path}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector(".connection:text('live')");
  return page;
}

/** A PUT /api/faults sent from inside a page, as its own scripts would (no credential added). */
const bareFetch = (page: Page) =>
  page.evaluate(async () => (await fetch("/api/faults", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ failRate: 1 }) })).status);

describe.skipIf(!hasChromium() && !process.env.CI)("the learner's page while a follower watches on the same machine", () => {
  it("runs the lesson's HTTP block from the printed link's page, and the follower's page is still refused", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const learner = await open(playground, `/?token=${playground.terminalToken}#/lessons/the-whole-flow/1`);
    const follower = await open(playground, "/follow");
    await expect.poll(() => playground.classroom.followers).toBe(1);

    await learner.click(".step .block.http .run");
    await learner.waitForSelector(".step .block.http .answer:has-text('201')");
    expect(playground.store.list().map((task) => task.title)).toEqual(["Test Task"]);

    expect(await bareFetch(follower)).toBe(403);
    expect(playground.controls.faults().failRate).toBe(0);
  });
});
