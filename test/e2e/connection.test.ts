// A lost connection, as a learner meets it when the server stops: the page says so across the
// top, turns its controls off, and when a server answers again on the same address it re-syncs
// from the new snapshot and turns them back on, without a reload.
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { playgroundPerTest } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest();
const playgrounds = playgroundPerTest();

describe.skipIf(!hasChromium())("a lost connection", () => {
  it("shows a banner and disables the controls while the server is away, then re-syncs and enables them without a reload", { timeout: 90_000 }, async () => {
    const first = await playgrounds.start();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => void errors.push(String(error)));
    try {
      await page.goto(`${first.url}/#/lessons/the-whole-flow/1`);
      await page.waitForSelector("body[data-ready=true]");
      await page.waitForSelector(".connection:text('live')");
      await page.evaluate(() => ((globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true));

      await first.stop();
      await page.waitForSelector(".connection-banner:has-text('The connection to the playground is lost')");
      expect(await page.locator(".block.http .run").isDisabled()).toBe(true);
      expect(await page.locator("#tab-tasks").isDisabled()).toBe(true);
      await page.screenshot({ path: `${ROOT}test-results/connection-lost.png` });

      // The same address and data again; a task made while the page was away shows once it is back.
      const port = new URL(first.url).port;
      const second = await playgrounds.start({ PORT: port }, first.dataDir);
      await (await second.post("/tasks", { title: "made while away" })).json();
      await page.waitForSelector(".connection-banner", { state: "hidden", timeout: 30_000 });
      expect(await page.locator(".block.http .run").isEnabled()).toBe(true);
      await page.click("#tab-tasks");
      await page.waitForSelector("[data-view=tasks] td:text('made while away')");
      expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("says a page opened with the link of an earlier run holds a token this run did not give out, with its controls off, and the new link works", { timeout: 90_000 }, async () => {
    const first = await playgrounds.start();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => void errors.push(String(error)));
    const oldLink = `${first.url}/?token=${first.terminalToken}#/lessons/the-whole-flow/1`;
    await page.goto(oldLink);
    await page.waitForSelector(".connection:text('live')");

    // The playground restarts on the same address: new tokens, and this page still holds the old one.
    await first.stop();
    const port = new URL(first.url).port;
    const second = await playgrounds.start({ PORT: port }, first.dataDir);
    expect(second.terminalToken).not.toBe(first.terminalToken);
    await page.waitForSelector(".connection-banner:has-text('not one this run of the playground gave out')", { timeout: 30_000 });
    await expect(page.locator(".connection-banner").textContent()).resolves.toContain("Open the link that npm start printed");
    expect(await page.locator(".block.http .run").isDisabled()).toBe(true);
    expect(await page.locator(".connection").textContent()).not.toBe("live");

    // Opened afresh from the old link (a reload, a bookmark): the same, and a step drawn afterwards is off too.
    await page.goto(oldLink);
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForSelector(".connection-banner:has-text('not one this run of the playground gave out')");
    expect(await page.locator(".block.http .run").isDisabled()).toBe(true);
    // Never connected: the SQS station draws no (empty) FIFO lanes, only what it knows.
    expect(await page.locator(".group-lanes .lane:visible").count()).toBe(0);
    await page.screenshot({ path: `${ROOT}test-results/connection-earlier-run.png` });

    // The link the restarted playground printed: live, and Run works.
    await page.goto(`${second.url}/?token=${second.terminalToken}#/lessons/the-whole-flow/1`);
    await page.waitForSelector(".connection:text('live')");
    expect(await page.locator(".connection-banner").isHidden()).toBe(true);
    await page.click(".block.http .run");
    await page.waitForSelector(".block.http .answer:has-text('HTTP 201')");
    expect(errors).toEqual([]);
  });
});
