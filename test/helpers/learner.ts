// A learner taking lessons in the browser at a person's pace (issue 15's standard: 8 s between
// actions, one Release every 20 s in step mode), against a real playground: every block's button
// in order, each check waited for until ✓, predictions asked what really happened. Every state a
// check shows is recorded in the page by a MutationObserver, never polled, so a ✗ shown for a
// moment is caught. Used by test/e2e/learnerPace.test.ts (lessons 1, 3, 7, 10) and
// test/e2e/learnerPaceLater.test.ts (lessons 17–21).
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { moveToPart, openTab } from "./browser.js";
import { removeDataDir, startTestPlayground, type TestPlayground } from "./playground.js";
import { ROOT } from "./process.js";

// The pace is the issue's; QFP_TEST_ACTION_GAP_MS / QFP_TEST_RELEASE_GAP_MS shorten it when
// debugging a test (a shorter pace proves less: keep the defaults for the real run).
export const ACTION_GAP_MS = Number(process.env.QFP_TEST_ACTION_GAP_MS ?? 8_000);
const RELEASE_GAP_MS = Number(process.env.QFP_TEST_RELEASE_GAP_MS ?? 20_000);
const CHECK_PATIENCE_MS = 90_000;

/** One state a check showed: its label, `data-status` and the words under it. */
export interface Shown {
  label: string;
  status: string;
  detail: string;
}

/** Every state any check shows, from the first render: recorded in the page by a MutationObserver (read `window.shownChecks`). */
export const RECORD_CHECKS = `
  const shown = [];
  window.shownChecks = shown;
  const record = (el) => shown.push({ label: el.querySelector(".label")?.textContent ?? "", status: el.getAttribute("data-status") ?? "", detail: el.querySelector(".detail")?.textContent ?? "" });
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const target = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      const check = target?.closest?.(".block.check");
      if (check) record(check);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-status"], childList: true, characterData: true });
`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Poll `read` until `ok` holds of its value; throws with the last value after `timeoutMs`. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: last ${JSON.stringify(value)}`);
    await sleep(250);
  }
}

export interface Learner {
  page: Page;
  playground: TestPlayground;
  name: string;
  /** The steps the Release buttons named, in the order pressed. */
  named: string[];
  lastAction: number;
  lastRelease: number;
  shots: number;
}

type Locator = ReturnType<Page["locator"]>;

/** Press `button` once `gapMs` have passed since the learner's last action. */
export async function click(learner: Learner, button: Locator, gapMs = ACTION_GAP_MS): Promise<void> {
  await sleep(learner.lastAction + gapMs - Date.now());
  await button.click();
  learner.lastAction = Date.now();
}

/** A screenshot in test-results/, named by learner, count and moment. */
export async function shot(learner: Learner, what: string): Promise<void> {
  await learner.page.screenshot({ path: `${ROOT}test-results/learner-${learner.name}-${++learner.shots}-${what}.png` });
}

/** Wait for a check to turn ✓, as a learner watching it would. */
async function waitForPass(check: Locator): Promise<void> {
  const deadline = Date.now() + CHECK_PATIENCE_MS;
  while ((await check.getAttribute("data-status")) !== "passed") {
    if (Date.now() > deadline) throw new Error(`check never passed: ${await check.textContent()}`);
    await sleep(250);
  }
}

/** Press a Release button at the step-mode pace; it must release the step it names. */
async function release(learner: Learner, block: Locator): Promise<void> {
  const { page } = learner;
  const step = (await block.getAttribute("data-step")) ?? "";
  learner.named.push(step);
  await sleep(learner.lastRelease + RELEASE_GAP_MS - Date.now());
  await click(learner, block.locator(".run"), learner.named.length === 1 ? ACTION_GAP_MS : 0);
  learner.lastRelease = Date.now();
  const released = new RegExp(`released step \\d \\(${step}\\) ✓`);
  await until(() => block.locator(".answer").textContent(), (text) => released.test(text ?? ""), 5_000, `Release ${step}`).catch(async (error: Error) => {
    // Say what the world looked like, to tell a lesson's fault from the page's.
    const requests = await page.locator(".step .block.http .answer").allTextContents();
    const events = learner.playground.events.recent().slice(-15).map((e) => e.type);
    throw new Error(`${error.message}; requests answered: ${JSON.stringify(requests.map((r) => r.split("\n")[0]))}; last events: ${events.join(", ")}`);
  });
  if (step === "invoke") await shot(learner, "released-invoke");
}

/** One part of a lesson: every block in order, as its buttons invite. */
async function doPart(learner: Learner): Promise<void> {
  const { page } = learner;
  const blocks = page.locator(".step > [data-part]");
  const count = await blocks.count();
  for (let i = 0; i < count; i++) {
    const block = blocks.nth(i);
    const kind = (await block.getAttribute("class")) ?? "";
    if (!kind.startsWith("block") || kind.includes("code")) continue;
    if (kind.includes("check")) {
      if ((await block.getAttribute("data-status")) === "unchecked") await click(learner, block.locator(".run"));
      if ((await block.getAttribute("data-status")) === "waiting") {
        await block.scrollIntoViewIfNeeded();
        await shot(learner, "waiting");
      }
      await waitForPass(block);
    } else if (kind.includes("predict")) await click(learner, block.locator("input").first());
    else if (kind.includes("step-next")) await release(learner, block);
    else await click(learner, block.locator(".run"));
  }
  // Predictions show what really happened (answered at their moment), as the learner asks.
  for (const predict of await page.locator(".step .block.predict").all()) {
    await click(learner, predict.locator(".run"));
    const answer = predict.locator(".answer");
    const real = /^You predicted ".+"(; what happened| — right ✓\. What happened): .+\.$/;
    const text = await until(() => answer.textContent(), (t) => real.test(t ?? ""), 10_000, "a prediction's answer");
    expect(text).not.toMatch(/null|Not yet/);
    await predict.scrollIntoViewIfNeeded();
    await shot(learner, "prediction");
  }
}

async function takeLesson(learner: Learner, id: string): Promise<void> {
  const hash = `#/lessons/${id}/1`;
  if ((await learner.page.evaluate("location.hash")) !== hash) await moveToPart(learner.page, () => learner.page.evaluate(`location.hash = "${hash}"`));
  for (;;) {
    await doPart(learner);
    const next = learner.page.locator(".nb-nav .next");
    if ((await next.count()) === 0) break;
    await moveToPart(learner.page, () => click(learner, next));
  }
  // The last part offers the next lesson.
  expect(await learner.page.locator(".nb-nav .next-lesson").textContent()).toBe("Next lesson ▶");
  expect(await learner.page.locator(".nb-onward").textContent()).toMatch(/^Once the checks above are ✓, this lesson is done\. Next: \d+\. .+$/);
  await shot(learner, `end-of-${id}`);
}

/**
 * Take lessons `ids` in order on a playground of their own, in a window of `viewport`: every check
 * ends ✓ and none ever showed ✗ (each of them ends ✓, so a ✗ shown was a lie), every Release
 * released the step it named, and the page threw no error.
 */
export async function learn(browser: Browser, name: string, ids: string[], viewport = { width: 1440, height: 900 }): Promise<void> {
  const playground = await startTestPlayground();
  const page = await browser.newPage({ viewport });
  const learner: Learner = { page, playground, name, named: [], lastAction: 0, lastRelease: 0, shots: 0 };
  const errors: string[] = [];
  page.on("pageerror", (error) => void errors.push(String(error)));
  try {
    await page.addInitScript(RECORD_CHECKS);
    await page.goto(`${playground.url}/?token=${playground.terminalToken}#/lessons/${ids[0]}/1`);
    await page.waitForSelector("body[data-ready=true]");
    await openTab(page, "terminal");
    await page.waitForSelector(".term .xterm");
    for (const id of ids) await takeLesson(learner, id);

    const shown = (await page.evaluate("window.shownChecks")) as Shown[];
    expect(shown.filter((s) => s.status === "passed").length).toBeGreaterThan(0);
    expect(shown.filter((s) => s.status === "failed")).toEqual([]);
    const released = playground.events.recent().filter((e): e is Extract<FlowEvent, { type: "step.released" }> => e.type === "step.released");
    expect(released.map((e) => e.step).slice(0, learner.named.length)).toEqual(learner.named);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
    await playground.stop();
    await removeDataDir(playground.dataDir);
  }
}
