// Instructor mode in a browser: a presenter page drives, a follower page mirrors it read-only,
// time travel rewinds the follower's view, an exported run replays, and axe-core finds no
// serious accessibility violation. Waits are generous; nothing asserts how long anything took.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { RunRecording } from "../../common/run.js";
import { parseRunFile } from "../../common/runFile.js";
import { hasChromium, openTab, pagesPerTest, seriousViolations } from "../helpers/browser.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
const playgrounds = playgroundPerTest();

async function open(playground: TestPlayground, path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => void errors.push(String(error)));
  await page.goto(`${playground.url}${path}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector(".connection:text('live')");
  return { page, errors };
}

const presenterPath = (p: TestPlayground, hash = "") => `/?token=${p.terminalToken}&presenter=${p.presenterToken}${hash}`;

/** A presenter page and a follower page that has joined (the presenter counts it). */
async function classroom(logs: string[] = []) {
  const playground = await playgrounds.start({}, undefined, { log: (message) => void logs.push(message) });
  const presenter = await open(playground, presenterPath(playground, "#/lessons/the-whole-flow/1"));
  const follower = await open(playground, "/follow");
  await presenter.page.waitForSelector(".pr-followers:text('1 follower')");
  return { playground, presenter, follower };
}


describe.skipIf(!hasChromium())("instructor mode in the browser", () => {
  it(
    "done when: the presenter runs lesson 7, the follower sees every step live, rewinds to the dead letter, cannot change anything, and the exported run replays identically",
    { timeout: 240_000 },
    async () => {
      const logs: string[] = [];
      const { playground, presenter, follower } = await classroom(logs);
      await presenter.page.goto(`${playground.url}${presenterPath(playground, "#/lessons/retries-and-dlq/1")}`);
      await presenter.page.waitForSelector("body[data-ready=true]");
      await follower.page.waitForSelector(".lesson-title:text('Retry logic and the dead-letter queue')");

      await presenter.page.selectOption(".ap-pause", "300");
      await presenter.page.click(".ap-start");
      for (let step = 1; step <= 4; step++) await follower.page.waitForSelector(`.step h3:text('Part ${step} of 4')`, { timeout: 120_000 });
      await presenter.page.waitForSelector(".ap-status:text('autoplay done')", { timeout: 120_000 });
      await openTab(follower.page, "timeline");
      await follower.page.waitForSelector(".timeline button:has-text('the world was reset')");

      // Rewind the follower to the moment the poison message entered the dead-letter queue.
      const dead = await playground.waitForEvent(isType("message.dead-lettered"));
      await openTab(follower.page, "time-travel");
      await follower.page.click(".tt-moment:has-text('moved to interview-queue-dlq') >> nth=0");
      await follower.page.waitForSelector(`[data-view=time-travel][data-seq="${dead.seq}"]`);
      await follower.page.waitForSelector(".viz .dlq-cards .caption:text('1 dead-lettered')");
      await openTab(follower.page, "queue");
      await follower.page.waitForSelector("[data-view=queue] .msg.dead-lettered");
      await follower.page.screenshot({ path: `${ROOT}test-results/instructor-follower-rewound.png` });

      // The follower cannot change anything: no action buttons, and the server refuses it.
      expect(await follower.page.locator(".step .block.setting .run, .step .block.http .run, .nb-head .reset, .chaos-buttons button >> visible=true").count()).toBe(0);
      const refused = await follower.page.evaluate(async () => {
        const response = await fetch("/api/faults", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ failRate: 1 }) });
        return { status: response.status, body: (await response.json()) as { error: { code: string } } };
      });
      expect(refused).toEqual({ status: 403, body: { error: expect.objectContaining({ code: "PresenterTokenRequired" }) } });
      expect(playground.controls.faults().failRate).toBe(0);
      expect(logs.some((line) => line.includes("refused PUT /api/faults"))).toBe(true);

      // Export on the presenter's page, import on a third page, replay to the end.
      await openTab(presenter.page, "time-travel");
      const [download] = await Promise.all([presenter.page.waitForEvent("download"), presenter.page.click(".tt-export")]);
      const path = `${ROOT}test-results/instructor-run.json`;
      await download.saveAs(path);
      const run = RunRecording.fromFile(parseRunFile(readFileSync(path, "utf8")));
      expect(run.events().some((e) => e.seq === dead.seq)).toBe(true);
      const { page: replay, errors } = await open(playground, "/");
      await openTab(replay, "time-travel");
      await replay.setInputFiles(".tt-import", path);
      await replay.waitForSelector(".tt-source:has-text('replaying')");
      await replay.selectOption(".tt-speed", "4");
      await replay.locator(".tt-range").evaluate((range) => {
        range.value = range.max;
        range.dispatchEvent(new Event("input"));
      });
      await replay.waitForSelector(`[data-view=time-travel][data-seq="${run.lastSeq}"]`);
      const final = run.stateAfter(run.length);
      const newest = final.timeline.at(-1);
      // The timeline is drawn while its tab is shown, from the replayed state as it is.
      await openTab(replay, "timeline");
      await replay.waitForSelector(`.timeline li:first-child [data-seq="${newest?.seq}"]`);
      await openTab(replay, "tasks");
      const rows = await replay.locator("[data-view=tasks] tbody tr[data-task]").count();
      expect(rows).toBe(Object.keys(final.tasks).length);
      // The replay rewinds as live did: at the dead letter, the same picture as the follower's.
      await openTab(replay, "time-travel");
      await replay.click(".tt-moment:has-text('moved to interview-queue-dlq') >> nth=0");
      await replay.waitForSelector(".viz .dlq-cards .caption:text('1 dead-lettered')");
      await openTab(replay, "queue");
      const picture = (page: Page) => page.locator(".viz .db-counts, .viz .queue-cards .caption, .viz .dlq-cards .caption, [data-view=queue] tbody").allTextContents();
      // Tables redraw a few times a second, so the last one may land just after the diagram.
      const followerPicture = await picture(follower.page);
      await expect.poll(() => picture(replay), { timeout: 10_000 }).toEqual(followerPicture);
      expect([...errors, ...presenter.errors, ...follower.errors]).toEqual([]);
    },
  );

  it("the presenter's keyboard steps through the lesson and the follower follows each step", { timeout: 120_000 }, async () => {
    const { presenter, follower } = await classroom();
    const page = presenter.page;
    await follower.page.waitForSelector(".step h3:text('Part 1 of 5')");
    await page.keyboard.press("ArrowRight");
    await follower.page.waitForSelector(".step h3:text('Part 2 of 5')");
    await page.keyboard.press("PageDown");
    await follower.page.waitForSelector(".step h3:text('Part 3 of 5')");
    await page.keyboard.press("ArrowLeft");
    await follower.page.waitForSelector(".step h3:text('Part 2 of 5')");
    await page.keyboard.press("ArrowLeft");
    await follower.page.waitForSelector(".step h3:text('Part 1 of 5')");
    await page.keyboard.press(" ");
    await page.waitForSelector(".block.http .answer:text('HTTP 201')");
    await openTab(follower.page, "tasks");
    await follower.page.waitForSelector("[data-view=tasks] .status.completed");
    await page.keyboard.press("f");
    await page.waitForSelector(".chaos-body:not([hidden])");
    await page.keyboard.press("Escape");
    await page.keyboard.press("r");
    await page.waitForSelector(".pr-status:text('press r again')");
    await page.keyboard.press("r");
    await follower.page.waitForSelector("[data-view=tasks] .empty");
    await page.screenshot({ path: `${ROOT}test-results/instructor-presenter.png` });
    expect([...presenter.errors, ...follower.errors]).toEqual([]);
  });

  it("the chaos panel's changes reach the pipeline and the timeline", { timeout: 90_000 }, async () => {
    const playground = await playgrounds.start();
    const { page, errors } = await open(playground, "/");
    await openTab(page, "chaos");
    // Collapsed, the panel shows no form; opened, it does.
    expect(await page.isVisible("[name=failRate]")).toBe(false);
    await page.click(".chaos-toggle");
    expect(await page.isVisible("[name=failRate]")).toBe(true);
    await page.fill("[name=failRate]", "0.5");
    await page.fill("[name=delayMs]", "100");
    await page.selectOption("[name=responseKey]", "BatchItemFailures");
    await page.fill("[name=retryBackoffSeconds]", "2");
    await page.click(".chaos-faults button[type=submit]");
    await openTab(page, "timeline");
    await page.waitForSelector(`.timeline button:has-text('faults: fail 50% of records, 100 ms slower per record, failures reported under "BatchItemFailures", back off 2 s')`);
    await openTab(page, "chaos");
    expect(playground.controls.faults()).toMatchObject({ failRate: 0.5, delayMs: 100, responseKey: "BatchItemFailures", retryBackoffSeconds: 2 });
    for (const [width, height] of [[1024, 768], [1440, 900]] as const) {
      await page.setViewportSize({ width, height });
      await page.locator("[name=responseKey]").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ROOT}test-results/chaos-faults-${width}.png` });
    }
    await page.fill("[name=BatchSize]", "100");
    await page.click(".chaos-trigger button[type=submit]");
    await page.waitForSelector(".chaos-answer:has-text('refused')");
    await page.fill("[name=MaximumBatchingWindowInSeconds]", "1");
    await page.click(".chaos-trigger button[type=submit]");
    await openTab(page, "timeline");
    await page.waitForSelector(".timeline button:has-text('BatchSize 100, window 1 s')");
    await openTab(page, "chaos");
    await page.uncheck("[name=Enabled]");
    await openTab(page, "timeline");
    await page.waitForSelector(".timeline button:has-text('trigger settings changed: disabled')");
    expect(errors).toEqual([]);
  });

  it("slow motion plays a live burst behind live, and Live catches up", { timeout: 90_000 }, async () => {
    const playground = await playgrounds.start();
    const { page, errors } = await open(playground, "/");
    await openTab(page, "time-travel");
    await page.selectOption(".tt-speed", "0.25");
    await page.check(".tt-slow");
    await Promise.all(Array.from({ length: 20 }, (_, i) => playground.post("/tasks", { title: `burst ${i}` })));
    await page.waitForSelector(".tt-at:has-text('events behind live')");
    await page.click(".tt-live");
    await page.uncheck(".tt-slow");
    await page.waitForSelector("[data-view=time-travel][data-live=true]");
    await page.waitForSelector(".viz .count.completed:text('20 completed')");
    expect(errors).toEqual([]);
  });

  it("a file that is not a run gets a clear error and changes nothing", { timeout: 90_000 }, async () => {
    const playground = await playgrounds.start();
    const { page } = await open(playground, "/");
    await openTab(page, "time-travel");
    await page.setInputFiles(".tt-import", { name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": "world"}') });
    await page.waitForSelector(".tt-error:has-text('Could not import notes.json: the file is not a Queue Flow Playground run')");
    await expect(page.locator(".tt-source").textContent()).resolves.toBe("");
  });

  it("axe-core finds no serious or critical violation on the presenter's and the follower's pages", { timeout: 120_000 }, async () => {
    const { playground, presenter, follower } = await classroom();
    await presenter.page.click(".block.http .run");
    await openTab(presenter.page, "tasks");
    await presenter.page.waitForSelector("[data-view=tasks] .status.completed");
    await openTab(presenter.page, "chaos");
    await presenter.page.click(".chaos-toggle");
    await presenter.page.click(".pr-qr-toggle");
    await presenter.page.waitForSelector(".pr-qr svg");
    await openTab(follower.page, "tasks");
    await follower.page.waitForSelector("[data-view=tasks] .status.completed");
    expect(await seriousViolations(presenter.page)).toEqual([]);
    expect(await seriousViolations(follower.page)).toEqual([]);
    const { page } = await open(playground, "/");
    await openTab(page, "time-travel");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("axe-core finds no serious or critical violation on a page paused in step mode, with Release beside the sentence under the drawing", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const { page } = await open(playground, `/?token=${playground.terminalToken}`);
    playground.controls.setStepMode({ enabled: true });
    // The request waits at step 1 until it is released: not awaited.
    void playground.post("/tasks", { title: "held" });
    await page.waitForSelector(".stage-line .next-step:has-text('Release step 1')");
    await openTab(page, "timeline");
    expect(await seriousViolations(page)).toEqual([]);
    playground.controls.setStepMode({ enabled: false });
  });
});
