// The interview drill in the browser at 1024×768, as a learner uses it: from the lesson header to a
// question, an answer typed and kept, the experiment run with one click (every check ✓, the
// explanation and its AWS source after it), and the question's link back to its lesson.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest, seriousViolations } from "../helpers/browser.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { sqsCall } from "../helpers/sqsWorld.js";

const pages = pagesPerTest({ viewport: { width: 1024, height: 768 } });
const playgrounds = playgroundPerTest();

async function open(playground: TestPlayground, hash: string): Promise<Page> {
  const page = await pages.newPage();
  await page.goto(`${playground.url}/?token=${playground.terminalToken}${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

/** Press "Run the experiment" and wait for its end; the checks' states and the status line, as shown. */
async function runExperiment(page: Page): Promise<{ marks: string[]; status: string }> {
  await page.click(".run-experiment");
  await page.waitForSelector(".drill-why:not([hidden])", { timeout: 150_000 });
  const marks = await page.locator(".drill-blocks .block.check").evaluateAll((els) => els.map((el) => el.getAttribute("data-status") ?? ""));
  return { marks, status: (await page.textContent(".drill-status")) ?? "" };
}

describe.skipIf(!hasChromium())("the interview drill in the browser", () => {
  it("is reached from the lesson header's Interview drill link", { timeout: 60_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/lessons/the-whole-flow/1");
    await page.click(".nb-head .drill-link");
    await page.waitForSelector(".drill h3");
    expect(await page.textContent(".drill h3")).toMatch(/^Question 1 of \d+: What happens if the function times out/);
  });

  it("keeps the learner's answer in the browser across a reload", { timeout: 60_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/drill/3");
    await page.fill("#drill-answer", "FIFO when order within a customer matters.");
    await page.reload();
    await page.waitForSelector("#drill-answer");
    expect(await page.inputValue("#drill-answer")).toBe("FIFO when order within a customer matters.");
  });

  it("shows the question, the answer box and Run the experiment without scrolling at 1024×768", { timeout: 60_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/drill/1");
    const box = await page.locator(".run-experiment").boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(768);
    const sideways = await page.locator(".notebook").evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
  });

  it("runs an experiment with one click: every check ✓, then the explanation and its AWS source", { timeout: 180_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/drill/10");
    const { marks, status } = await runExperiment(page);
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((m) => m === "passed")).toBe(true);
    expect(status).toMatch(/every check passed/);
    expect(await page.getAttribute(".drill-source a", "href")).toBe("https://github.com/awsdocs/aws-lambda-developer-guide/issues/320");
  });

  it("has no serious accessibility violations once the explanation shows (axe-core)", { timeout: 180_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/drill/9");
    await runExperiment(page);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("runs an experiment whose command goes to the terminal", { timeout: 180_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/drill/12");
    const { marks } = await runExperiment(page);
    expect(marks).toEqual(["passed", "passed", "passed", "passed"]);
  });

  // Failed for a learner on a loaded machine: the task was sent while the terminal's
  // set-queue-attributes still ran (its message kept 4 days). (The batching-window experiment,
  // fixed with it, is solved headlessly by test/lessons/drill.test.ts: in the browser its three
  // requests still spread wider than the 2 s window when the whole suite loads the machine.)
  it("runs the retention experiment: the task is sent once the terminal set 60 s, and its message expires", { timeout: 240_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/drill/7");
    const { marks, status } = await runExperiment(page);
    expect(marks).toEqual(["passed", "passed", "passed", "passed", "passed"]);
    expect(status).toMatch(/every check passed/);
  });

  it("puts back the settings an experiment changed when the learner leaves it half-way", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await open(playground, "#/drill/1");
    const read = async (path: string) => (await playground.get(path)).json() as Promise<Record<string, unknown>>;
    const until = async (holds: () => Promise<boolean>) => {
      const deadline = Date.now() + 60_000;
      while (!(await holds())) {
        if (Date.now() > deadline) throw new Error("never happened");
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await page.click(".run-experiment");
    // Half-way: the trigger is off and the slow-handler fault is on.
    await until(async () => (await read("/api/faults")).delayMs === 1200);
    await page.click(".nb-nav .next");
    await until(async () => (await read("/api/faults")).delayMs === 0 && (await read("/api/trigger")).Enabled === true);
    expect(await page.textContent(".drill h3")).toMatch(/^Question 2 of/);
  });

  it("puts the queue's retention back when the learner leaves the retention experiment during its wait", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await open(playground, "#/drill/7");
    const retention = async () => {
      const urls = ((await sqsCall(playground.sqsEndpoint, "ListQueues", {})).json.QueueUrls ?? []) as string[];
      const url = urls.find((u) => u.endsWith("/interview-queue"));
      const { json } = await sqsCall(playground.sqsEndpoint, "GetQueueAttributes", { QueueUrl: url, AttributeNames: ["MessageRetentionPeriod"] });
      return (json.Attributes as Record<string, string>).MessageRetentionPeriod;
    };
    await page.click(".run-experiment");
    // The terminal set 60 s and the task was sent: the minute's wait has begun.
    await page.waitForSelector(".drill-blocks .block.check.ok >> nth=1", { timeout: 60_000 });
    expect(await retention()).toBe("60");
    await page.click(".nb-nav .next");
    await expect.poll(retention, { timeout: 30_000, interval: 250 }).toBe("345600");
  });

  it("links each question to the lesson that teaches it", { timeout: 60_000 }, async () => {
    const page = await open(await playgrounds.start(), "#/drill/5");
    await page.click(".drill-lesson a");
    await page.waitForSelector(".lesson-title");
    expect(await page.textContent(".lesson-title")).toBe("Retry logic and the dead-letter queue");
  });
});
