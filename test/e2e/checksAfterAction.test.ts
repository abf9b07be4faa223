// A check goes live when the learner acts in its part, and is then judged on the world the action
// made. Judged at the press, it was judged on the world before: walking lesson 18, its last part's
// Reset showed "✓ two receives spent on throttles" and "✗ lifted in time" about the previous
// part's failed task, before any task of this part was sent.
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { playgroundPerTest } from "../helpers/playground.js";

const pages = pagesPerTest();
const playgrounds = playgroundPerTest();

/** Every state a check shows, recorded in the page as it happens (never polled). */
const RECORD_CHECKS = `
  window.shownChecks = [];
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const check = (m.target.nodeType === 1 ? m.target : m.target.parentElement)?.closest?.(".block.check");
      if (check) window.shownChecks.push(check.querySelector(".label").textContent + ": " + check.getAttribute("data-status"));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-status"] });
`;

describe.skipIf(!hasChromium())("the checks after an action", () => {
  it("are judged on the world after the action, not before: a Reset does not tick or fail them on the previous task", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    // The previous part's world: a task that failed after its three receives.
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    await playground.send("POST", "/tasks", { title: "failed before" });
    const deadline = Date.now() + 60_000;
    while (((await (await playground.get("/tasks/1")).json()) as { status: string }).status !== "failed") {
      if (Date.now() > deadline) throw new Error("the task never failed");
      await new Promise((r) => setTimeout(r, 250));
    }
    await playground.send("PUT", "/api/faults", {});

    const page = await pages.newPage();
    await page.addInitScript(RECORD_CHECKS);
    // A reset that takes a second and a half, as on a loaded machine.
    await page.route("**/api/reset", async (route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/concurrency-controls/3`);
    await page.waitForSelector("body[data-ready=true]");
    await page.click(".step .block.action .run");
    await page.waitForSelector(".step .block.action .answer:text('done ✓')");
    await page.waitForTimeout(2_000);
    // No check ticked or failed on the previous part's task; each waits for its own request.
    const shown = (await page.evaluate("window.shownChecks")) as string[];
    expect(shown.filter((s) => !s.endsWith(": waiting") && !s.endsWith(": unchecked"))).toEqual([]);
    // The part's task sent (its second request, after stopping the function), the checks after it go live and wait for it.
    await page.click(".step .block.http .run >> nth=0");
    await page.click(".step .block.http .run >> nth=1");
    await page.waitForSelector(".step .block.check[data-status=waiting], .step .block.check[data-status=passed]");
  });

  it("wait for their own action: stopping the consumer does not tick a check about starting it again", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    // The previous part's world: a task completed.
    await playground.send("POST", "/tasks", { title: "completed before" });
    await playground.waitForEvent((e) => e.type === "task.updated" && e.task.status === "completed", 30_000);

    const page = await pages.newPage();
    await page.addInitScript(RECORD_CHECKS);
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/run-it-your-way/2`);
    await page.waitForSelector("body[data-ready=true]");
    // Lesson 13, "Look without touching": stop the consumer (the part's first action) and nothing more.
    await page.click(".step .block.setting .run >> nth=0");
    await page.waitForSelector(".step .block.setting >> nth=0 >> .answer:has-text('✓')");
    await page.waitForTimeout(2_000);
    const shown = (await page.evaluate("window.shownChecks")) as string[];
    // "the consumer took it once it was back" follows the part's last action (start the consumer): the previous task does not tick it.
    expect(shown.filter((s) => s.startsWith("the consumer took it once it was back"))).toEqual([]);
    expect(await page.locator(".step .block.check[data-status=passed]").count()).toBe(0);
  });
});

