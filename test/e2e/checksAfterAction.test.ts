// A check goes live when the learner acts in its part, and is then judged on the world the action
// made. Judged at the press, it was judged on the world before: walking lesson 18, its last part's
// Reset showed "✓ two receives spent on throttles" and "✗ lifted in time" about the previous
// part's failed task, before any task of this part was sent.
import { describe, expect, it } from "vitest";
import { hasChromium, moveToPart, pagesPerTest } from "../helpers/browser.js";
import { deployed } from "../helpers/functionCode.js";
import { openLessonCell } from "../helpers/handlerCell.js";
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

  it("are judged again when their action is done again: a fourth message takes the ✓ of \"three messages wait\" away", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await pages.newPage();
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/the-queue-holds-it/1`);
    await page.waitForSelector("body[data-ready=true]");
    // Part 1: a clean world and the trigger off.
    for (const block of [".block.action", ".block.setting"]) await page.click(`.step ${block} .run`);
    await page.waitForSelector(".step .block.check[data-status=passed]", { timeout: 30_000 });
    await moveToPart(page, () => page.click(".nb-nav .next"));
    const check = page.locator(".step .block.check").first();
    for (const run of await page.locator(".step .block.http .run").all()) await run.click();
    await check.and(page.locator("[data-status=passed]")).waitFor({ timeout: 30_000 });
    // The third request again: four messages wait, and the ✓ of a check about three goes.
    await page.locator(".step .block.http .run").nth(2).click();
    await check.and(page.locator("[data-status=waiting]")).waitFor({ timeout: 30_000 });
    expect(await check.textContent()).toContain("4 waiting");
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


describe.skipIf(!hasChromium())("a part the learner has done", () => {
  it("judges its checks again when a code cell's Reset is answered: lesson 21's \"your handler is deployed\" does not stay ✓ from an earlier visit", { timeout: 90_000 }, async () => {
    const { page, cell } = await openLessonCell(await playgrounds.start(), () => pages.newPage({ viewport: { width: 1024, height: 768 } }));
    const check = page.locator(".step .block.check");
    await cell.locator("button.deploy").click();
    await check.and(page.locator("[data-status=passed]")).waitFor({ timeout: 30_000 });
    await moveToPart(page, () => page.click(".nb-nav .next"));
    await moveToPart(page, () => page.click(".nb-nav .prev"));
    await expect.poll(() => check.locator(".detail").textContent(), { timeout: 10_000 }).toMatch(/^Passed when you did this part/);
    // The cell's Reset puts the playground's own handler back: the check says so without a press of Check.
    await cell.locator(".cm-editor").waitFor();
    await cell.locator("button.reset-code").click();
    await cell.locator(".answer:has-text('Back to the lesson')").waitFor({ timeout: 10_000 });
    await check.and(page.locator("[data-status=waiting]")).waitFor({ timeout: 5_000 });
    expect(await check.locator(".detail").textContent()).toMatch(/^Waiting: press Deploy in the cell above: the function runs version 0 now/);
  });

  it("takes back a ✓ further on when a code cell deploys another version: lesson 21's \"the invocation failed\" waits for the typo version's own Run", { timeout: 90_000 }, async () => {
    const playground = await playgrounds.start();
    // The learner's earlier version fails every invocation, and the typo part is checked with it still deployed.
    await deployed(playground, "nodejs", 'export const handler = async () => { throw new Error("broken before"); };');
    await playground.send("POST", "/tasks", { title: "fails on the earlier version" });
    const { page, cell } = await openLessonCell(playground, () => pages.newPage({ viewport: { width: 1024, height: 768 } }), 4);
    const check = page.locator(".step .block.check");
    await check.locator(".run").click();
    await check.and(page.locator("[data-status=passed]")).waitFor({ timeout: 30_000 });
    await cell.locator("button.deploy").click();
    await cell.locator(".answer:has-text('Deployed as version 2')").waitFor({ timeout: 30_000 });
    await check.and(page.locator("[data-status=unchecked]")).waitFor({ timeout: 5_000 });
    // Its own Run sends the typo version a task: its failure is the one the check passes on.
    await page.click(".step .block.http .run");
    await check.and(page.locator("[data-status=passed]")).waitFor({ timeout: 30_000 });
  });

  it("keeps its ✓ and its predictions' answers when the learner goes back to it; doing it again judges it again", { timeout: 180_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await pages.newPage({ viewport: { width: 1024, height: 768 } });
    await page.addInitScript(RECORD_CHECKS);
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/the-whole-flow/1`);
    await page.waitForSelector("body[data-ready=true]");
    const check = page.locator(".step .block.check").first();

    // Part 1 done: its task completed, its check ✓.
    await page.click(".step .block.http .run");
    await page.waitForSelector(".step .block.check[data-status=passed]", { timeout: 60_000 });
    expect(await check.locator(".detail").textContent()).toBe("");
    await moveToPart(page, () => page.click(".nb-nav .next"));
    await moveToPart(page, () => page.click(".nb-nav .prev"));
    // Back on part 1: ✓, saying it was passed then and still holds — not ○ as if never done (it was).
    await page.waitForTimeout(2_000);
    expect(await check.getAttribute("data-status")).toBe("passed");
    expect(await check.locator(".mark").textContent()).toBe("✓");
    expect(await check.locator(".detail").textContent()).toBe("Passed when you did this part, and the world still holds it. Do the part again and this check follows the world again.");
    await page.screenshot({ path: "test-results/part-done-revisited.png" });

    // The world changed while the learner was away (a reset: no task): back again, no ✓ against the drawing.
    await moveToPart(page, () => page.click(".nb-nav .next"));
    expect((await playground.send("POST", "/api/reset")).status).toBe(200);
    await moveToPart(page, () => page.click(".nb-nav .prev"));
    await expect.poll(() => check.locator(".detail").textContent(), { timeout: 10_000 }).toBe("Passed when you did this part before; the world has changed since. Do the part again to see it pass again.");
    expect(await check.locator(".mark").textContent()).toBe("○");

    // Run again: the check follows the new task (it waits for it, then passes on it).
    await page.evaluate("window.shownChecks.length = 0");
    await page.click(".step .block.http .run");
    await expect.poll(() => check.locator(".detail").textContent(), { timeout: 60_000 }).toBe("");
    expect(await check.getAttribute("data-status")).toBe("passed");
    expect((await page.evaluate("window.shownChecks")) as string[]).toContain("the task is completed: waiting");

    // Part 3's prediction answered at its moment (step mode stops the request before the insert).
    await moveToPart(page, () => page.evaluate(`location.hash = "#/lessons/the-whole-flow/3"`));
    await page.check(".step .block.predict input >> nth=0");
    await page.click(".step .block.action .run");
    await page.waitForSelector(".step .block.action .answer:text('done ✓')");
    await page.click(".step .block.setting .run");
    await page.waitForSelector(".step .block.setting .answer:has-text('✓')");
    await page.click(".step .block.http .run");
    const answer = page.locator(".step .block.predict .answer");
    await page.click(".step .block.predict .run");
    await expect.poll(() => answer.textContent(), { timeout: 30_000 }).toBe('You predicted "before the database insert" — right ✓. What happened: before the database insert.');
    // Away and back: the answer recorded at its moment, not "Not yet" (the world has moved past it).
    await moveToPart(page, () => page.click(".nb-nav .prev"));
    await moveToPart(page, () => page.click(".nb-nav .next"));
    await page.click(".step .block.predict .run");
    expect(await answer.textContent()).toBe('You predicted "before the database insert" — right ✓. What happened: before the database insert.');
    await playground.send("PUT", "/api/step-mode", { enabled: false });
  });
});

describe.skipIf(!hasChromium())("a check that can no longer pass", () => {
  it("says why in the lesson's words, not the state's names (no \"expected lastTask.status = completed, got …\")", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    const page = await pages.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/the-whole-flow/1`);
    await page.waitForSelector("body[data-ready=true]");
    await page.click(".step .block.http .run");
    // Three receives 5 s apart, then the dead-letter queue: the task failed, and the check can no longer pass.
    const check = page.locator(".step .block.check[data-status=failed]");
    await check.waitFor({ timeout: 90_000 });
    expect(await check.locator(".mark").textContent()).toBe("✗");
    expect(await check.locator(".detail").textContent()).toBe("Can no longer pass: the task failed: its message went to the dead-letter queue. Reset the world and run it again.");
    await check.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/check-failed-words.png" });
    await playground.send("PUT", "/api/faults", {});
  });
});

describe.skipIf(!hasChromium())("a step-mode part done again", () => {
  it("starts again at the part's Reset, and a part without step mode says when it is still on", { timeout: 180_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await pages.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/the-whole-flow/3`);
    await page.waitForSelector("body[data-ready=true]");
    const releases = page.locator(".step .block.step-next");
    // Reset, step mode on, a task, the first two steps released: a learner's first go, at a reading pace.
    await page.click(".step .block.action .run");
    await page.waitForSelector(".step .block.action .answer:text('done ✓')");
    await page.waitForTimeout(1_500);
    await page.click(".step .block.setting .run");
    await page.waitForSelector(".step .block.setting .answer:has-text('✓')");
    await page.waitForTimeout(1_500);
    await page.click(".step .block.http .run");
    for (const n of [0, 1]) {
      await releases.nth(n).locator(".answer:has-text('is waiting for you')").waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_500);
      await releases.nth(n).locator(".run").click();
      await releases.nth(n).locator(".answer:has-text('released')").waitFor({ timeout: 10_000 });
    }

    // Reset the world from the part: nothing released any more, so no button says "released ✓".
    await page.click(".step .block.action .run");
    await expect.poll(() => page.locator(".step .block.step-next.done").count(), { timeout: 10_000 }).toBe(0);
    expect(await releases.locator(".answer:has-text('released')").count()).toBe(0);
    expect(await page.locator(".step .block.check[data-status=passed]").count()).toBe(0);
    // The reset turned step mode off: "applied ✓" beside it would say otherwise.
    expect(await page.locator(".step .block.setting .answer").textContent()).toBe("");
    // The drawing shows the empty world at once, not the wiped task's steps at the lesson pace.
    // (At the lesson pace the steps still to play before it took 0.7 s each, several seconds.)
    await expect.poll(() => page.locator('[data-view="visualizer"]').textContent(), { timeout: 2_500 }).toContain("empty: no message waits");
    await page.screenshot({ path: "test-results/step-mode-part-restarted.png" });

    // Step mode on (the part applies it again), then the learner leaves for part 1: told, and can turn it off there.
    await page.click(".step .block.setting .run");
    await page.waitForSelector(".step .block.setting .answer:has-text('✓')");
    await moveToPart(page, () => page.evaluate(`location.hash = "#/lessons/the-whole-flow/1"`));
    const notice = page.locator(".step .step-mode-notice");
    await notice.waitFor({ state: "visible", timeout: 10_000 });
    expect(await notice.textContent()).toContain("Step mode is still on");
    await page.screenshot({ path: "test-results/step-mode-notice.png" });
    await page.waitForTimeout(1_500);
    await notice.locator(".run").click();
    await notice.waitFor({ state: "hidden", timeout: 10_000 });
    expect(((await (await playground.get("/api/step-mode")).json()) as { enabled: boolean }).enabled).toBe(false);
  });

  it("go live at a lab's Start a trial when the next action is still behind a hint: the learner may type the fix themselves", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await pages.newPage();
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/lab-out-of-order/3`);
    await page.waitForSelector("body[data-ready=true]");
    // The terminal block with the fixed command is behind the part's hint, unopened.
    expect(await page.isHidden(".step .block.terminal-cmd")).toBe(true);
    await page.waitForTimeout(1_500);
    await page.click(".step .block.trial .run");
    await page.waitForSelector(".step .block.trial .answer:has-text('✓')");
    // It stayed ○ without a word for as long as the learner typed, until they pressed Check.
    const verdict = page.locator(".step .block.check").first();
    await page.waitForSelector(".step .block.check[data-status=waiting]", { timeout: 15_000 });
    expect(await verdict.locator(".detail").textContent()).toMatch(/trial event\(s\) completed/);
  });

  it("forgets a ✓ that later turned ✗: gone back to, the part does not say it passed before", { timeout: 180_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await pages.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/dual-write/1`);
    await page.waitForSelector("body[data-ready=true]");
    // Not the subject here: without the lesson pace the ✓ and ✗ are not held behind the drawing's replay.
    if ((await page.getAttribute(".pace-toggle", "aria-pressed")) === "true") await page.click(".pace-toggle");
    const check = page.locator(".step .block.check").first();
    await page.click(".step .block.setting .run");
    await page.waitForSelector(".step .block.setting .answer:has-text('✓')");
    await page.click(".step .block.http .run");
    await page.waitForSelector(".step .block.check[data-status=passed]", { timeout: 60_000 });
    // SQS back (the Chaos tab's way), and the request again: this task has its message, the check says ✗.
    await playground.send("PUT", "/api/faults", {});
    await page.waitForTimeout(1_500);
    await page.click(".step .block.http .run");
    await page.waitForSelector(".step .block.check[data-status=failed]", { timeout: 60_000 });
    await moveToPart(page, () => page.click(".nb-nav .next"));
    await moveToPart(page, () => page.click(".nb-nav .prev"));
    await page.waitForTimeout(2_000);
    expect(await check.getAttribute("data-status")).toBe("unchecked");
    expect(await check.locator(".detail").textContent()).not.toContain("Passed when you did this part");
  });
});
