// The page as a learner sees it, in Debian's chromium driven by playwright-core. Screenshots go to
// test-results/ (kept by CI as artifacts). .ci/run installs chromium; elsewhere set CHROMIUM_PATH.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

if (!hasChromium() && process.env.CI) throw new Error("CI must have chromium (apt-get install chromium)");
const ARTIFACTS = `${ROOT}test-results`;
mkdirSync(ARTIFACTS, { recursive: true });

let browser: Browser;
const pages: Page[] = [];
afterEach(async () => {
  for (const page of pages.splice(0)) await page.close();
});
const playgrounds = playgroundPerTest();
beforeAll(async () => {
  if (hasChromium()) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the playground as the printed start URL does, collecting console errors and failed requests. */
async function open(playground: TestPlayground, path = `/?token=${playground.terminalToken}`): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  pages.push(page);
  const errors: string[] = [];
  page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
  page.on("pageerror", (error) => void errors.push(String(error)));
  page.on("response", (response) => void (response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`)));
  await page.goto(`${playground.url}${path}`);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}

/** A fresh playground with the first lesson's request already run and its task completed. */
async function afterFirstTask(): Promise<{ playground: TestPlayground; page: Page; errors: string[] }> {
  const playground = await playgrounds.start();
  const { page, errors } = await open(playground);
  await page.click(".block.http .run");
  await page.waitForSelector("[data-view=tasks] .status.completed");
  return { playground, page, errors };
}

describe.skipIf(!hasChromium())("the playground in a browser", () => {
  it("loads with the first lesson and no console errors", async () => {
    const playground = await playgrounds.start();
    const { page, errors } = await open(playground);
    await expect(page.locator(".lesson-title").textContent()).resolves.toBe("The whole flow, end to end");
    await page.waitForSelector(".connection:text('live')");
    await page.waitForSelector("[data-view=chart] canvas");
    await page.screenshot({ path: `${ARTIFACTS}/01-loaded.png` });
    expect(errors).toEqual([]);
    expect(page.url()).toMatch(/#\/lessons\/the-whole-flow\/1$/);
  });

  it("runs a lesson step by clicking: the request runs, the visualizer shows the task completed, the check turns ✓", async () => {
    const { page, errors } = await afterFirstTask();
    await page.waitForSelector(".block.http .answer:text('HTTP 201')");
    await page.waitForSelector(".viz .db-counts text:text('1 completed')");
    await page.click(".block.check .run");
    await page.waitForSelector(".block.check.ok");
    await expect(page.locator(".block.check.ok .mark").textContent()).resolves.toBe("✓");
    await page.screenshot({ path: `${ARTIFACTS}/02-step-one-done.png` });
    await page.click(".nb-nav .next");
    await page.waitForSelector("h3:text('Step 2 of 4')");
    expect(page.url()).toMatch(/#\/lessons\/the-whole-flow\/2$/);
    expect(errors).toEqual([]);
  });

  it("runs a command typed in the terminal and shows its output", async () => {
    const playground = await playgrounds.start();
    const { page, errors } = await open(playground);
    await page.click(".open-terminal");
    await page.waitForSelector(".term .xterm");
    await page.click(".term .xterm");
    await page.keyboard.type("echo hello-$((2+3))\n");
    await page.waitForSelector(".term .xterm-rows:has-text('hello-5')");
    await page.screenshot({ path: `${ARTIFACTS}/03-terminal.png` });
    expect(errors).toEqual([]);
  });

  it("types a lesson's terminal block into the terminal with Run, and the original awslocal command works", async () => {
    const playground = await playgrounds.start();
    const { page } = await open(playground, `/?token=${playground.terminalToken}#/lessons/the-whole-flow/2`);
    await page.click(".block.terminal-cmd .run");
    await page.waitForSelector(".term .xterm-rows:has-text('ApproximateNumberOfMessages')");
    await page.screenshot({ path: `${ARTIFACTS}/04-awslocal.png` });
  });

  it("keeps the terminal off without the token, saying why", async () => {
    const playground = await playgrounds.start();
    const { page } = await open(playground, "/");
    await page.click(".open-terminal");
    await page.waitForSelector(".term-status:has-text('?token=')");
  });

  it("shows the SQS call behind a timeline event in the wire inspector", async () => {
    const { page, errors } = await afterFirstTask();
    await page.click(".timeline button:has-text('message sent to interview-queue')");
    await page.waitForSelector(".wire summary:has-text('X-Amz-Target: AmazonSQS.SendMessage')");
    await expect(page.locator(".wire pre").first().textContent()).resolves.toContain('"MessageBody"');
    await page.screenshot({ path: `${ARTIFACTS}/05-wire.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("walks the six steps of step mode with the lesson's Next buttons, staying on the step", async () => {
    const playground = await playgrounds.start();
    const { page, errors } = await open(playground, `/?token=${playground.terminalToken}#/lessons/the-whole-flow/3`);
    await page.click(".block.setting .run");
    await page.check(".block.predict input[value='0']");
    await page.click(".block.http .run");
    await page.waitForSelector(".viz-step .next-step");
    await page.click(".block.predict .run");
    await page.waitForSelector(".block.predict .answer:has-text('right')");
    const nexts = page.locator(".block.step-next .run");
    for (let i = 0; i < 6; i++) {
      await nexts.nth(i).click();
      await page.waitForSelector(`.block.step-next >> nth=${i} >> .answer:has-text('released step ${i + 1}')`);
    }
    await page.waitForSelector(".block.http .answer:text('HTTP 201')");
    await page.waitForSelector("[data-view=tasks] .status.completed");
    expect(page.url()).toMatch(/#\/lessons\/the-whole-flow\/3$/);
    await page.screenshot({ path: `${ARTIFACTS}/06-step-mode.png` });
    expect(errors).toEqual([]);
  });

  it("in a classroom, applies the presenter's fault and refuses the audience's, saying why", async () => {
    const playground = await playgrounds.start({ HOST: "0.0.0.0", CLASSROOM: "true" });
    const audience = await open(playground, "/#/lessons/reliability/1");
    await audience.page.click(".block.setting .run");
    await audience.page.waitForSelector(".block.setting .answer:has-text('refused: in classroom mode control actions need the presenter token')");
    expect(playground.controls.faults().failRate).toBe(0);

    const presenter = await open(playground, `/?presenter=${playground.presenterToken}#/lessons/reliability/1`);
    await presenter.page.click(".block.setting .run");
    await presenter.page.waitForSelector(".block.setting .answer:has-text('applied ✓')");
    expect(playground.controls.faults().failRate).toBe(1);
    expect(presenter.errors).toEqual([]);
  });

  it("resets the world from the notebook", async () => {
    const { playground, page } = await afterFirstTask();
    await page.click(".reset");
    await page.waitForSelector("[data-view=tasks] .empty");
    expect(playground.store.list()).toEqual([]);
  });
});
