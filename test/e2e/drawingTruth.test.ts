// What the stage says is true of the world it shows, for a learner at 1024×768 taking their time:
// a reset clears the sentence under the drawing, the dead-letter arrow names the queue's real
// maxReceiveCount, and a check's ✓ never comes before the lesson-paced drawing has shown what
// made it true. Screenshots go to /tmp/learner-polish-shots.
import { mkdirSync } from "node:fs";
import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { sleep, until } from "../helpers/learner.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const SHOTS = "/tmp/learner-polish-shots";
mkdirSync(SHOTS, { recursive: true });
const pages = pagesPerTest({ viewport: { width: 1024, height: 768 } });
const playgrounds = playgroundPerTest();
/** A learner reads before they press. */
const READ_MS = 3_000;

async function open(playground: TestPlayground, hash: string, init?: string): Promise<Page> {
  const page = await pages.newPage();
  if (init) await page.addInitScript(init);
  await page.goto(`${playground.url}/?token=${playground.terminalToken}${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

const narration = (page: Page) => page.locator(".narration-line").textContent();

async function setMaxReceiveCount(playground: TestPlayground, count: number): Promise<void> {
  const sqs = new SQSClient({ endpoint: playground.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  try {
    const deadLetterTargetArn = `arn:aws:sqs:us-east-1:000000000000:${playground.queues.deadLetterQueueUrl.split("/").at(-1)}`;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: playground.queues.queueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: String(count) }) } }));
  } finally {
    sqs.destroy();
  }
}

/** When (page clock, ms) the sentence under the drawing and each check's state changed, recorded as it happens. */
const RECORD_MOMENTS = `
  window.moments = [];
  const note = (what) => window.moments.push({ at: performance.now(), what });
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (el?.closest?.(".narration-line")) note("line: " + el.closest(".narration-line").textContent);
      const check = el?.closest?.(".block.check");
      if (check) note("check: " + check.getAttribute("data-status"));
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-status"] });
`;

describe.skipIf(!hasChromium())("the stage tells the truth at 1024×768", () => {
  it("a reset clears the old world's last sentence under the drawing", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await open(playground, "#/lessons/the-whole-flow/1");
    await sleep(READ_MS);
    await page.click(".step .block.http .run");
    await until(() => narration(page), (text) => /^Step 6: .*deleted/.test(text ?? ""), 60_000, "the drawing showing the message deleted");
    await page.screenshot({ path: `${SHOTS}/reset-1-before.png` });
    await sleep(READ_MS);
    await page.click(".nb-head .reset");
    const line = await until(() => narration(page), (text) => !/^Step/.test(text ?? ""), 15_000, "the sentence under the drawing after the reset");
    expect(line).toMatch(/^The world was reset/);
    expect(await page.locator(".viz .db-counts").textContent()).toContain("0 completed");
    await page.screenshot({ path: `${SHOTS}/reset-2-after.png` });
  });

  it("the dead-letter arrow names the queue's maxReceiveCount as SQS holds it, and follows a change", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await open(playground, "#/lessons/the-whole-flow/1");
    const label = page.locator(".viz .dlq-label");
    await until(() => label.textContent(), (text) => text === "after 3 receives", 10_000, "the arrow's label at start");
    await sleep(READ_MS);
    // What lab 1's terminal command does: maxReceiveCount 10.
    await setMaxReceiveCount(playground, 10);
    await until(() => label.textContent(), (text) => text === "after 10 receives", 15_000, "the arrow's label after set-queue-attributes");
    await page.screenshot({ path: `${SHOTS}/redrive-10.png` });
    // A page opened now reads it too.
    const later = await open(playground, "#/lessons/the-whole-flow/1");
    await until(() => later.locator(".viz .dlq-label").textContent(), (text) => text === "after 10 receives", 10_000, "a new page's label");
    await sleep(READ_MS);
    await page.click(".nb-head .reset");
    await until(() => label.textContent(), (text) => text === "after 3 receives", 15_000, "the arrow's label after a reset");
  });

  it("a check's ✓ waits until the lesson-paced drawing has shown the task completed", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await open(playground, "#/lessons/the-whole-flow/1", RECORD_MOMENTS);
    expect(await page.getAttribute(".pace-toggle", "aria-pressed")).toBe("true");
    await sleep(READ_MS);
    await page.click(".step .block.http .run");
    const check = page.locator(".step .block.check");
    await until(() => check.getAttribute("data-status"), (s) => s === "passed", 60_000, "the check passing");
    await page.screenshot({ path: `${SHOTS}/paced-check-passed.png` });
    const moments = (await page.evaluate("window.moments")) as { at: number; what: string }[];
    const completedShown = moments.find((m) => /^line: Step 5: the handler set task 1 to completed/.test(m.what));
    const ticked = moments.find((m) => m.what === "check: passed");
    expect(completedShown, JSON.stringify(moments)).toBeDefined();
    expect(ticked).toBeDefined();
    // The ✓ came no earlier than the drawing's "completed", and the drawing was still playing before it.
    expect(ticked!.at).toBeGreaterThanOrEqual(completedShown!.at);
    const before = moments.filter((m) => m.at < ticked!.at && m.what.startsWith("line: Step"));
    expect(before.length).toBeGreaterThanOrEqual(4);
  });

  it("the drawing says SQS is unreachable and the send failed in lesson 12, and stops saying so once the fault is off", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await open(playground, "#/lessons/dual-write/1");
    const sendMark = page.locator(".viz .send-fault");
    await sleep(READ_MS);
    await page.click(".step .block.setting:has(.kind:text-is('Faults')) .run");
    await until(() => sendMark.textContent(), (text) => text === "✗ SQS isunreachable", 15_000, "the mark under SendMessage");
    await sleep(READ_MS);
    await page.click(".step .block.http .run");
    await until(() => sendMark.textContent(), (text) => text === "✗ SQS isunreachable✗ 1 sendfailed", 30_000, "the failed send on the drawing");
    await page.screenshot({ path: `${SHOTS}/dual-write-send-failed.png` });
    // The reconciler sends it once SQS answers again: nothing left to mark.
    await fetch(`${playground.url}/api/faults`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${playground.terminalToken}`, origin: playground.url }, body: JSON.stringify({ sqsUnavailable: false }) });
    await until(() => sendMark.textContent(), (text) => text === "", 60_000, "the marks gone once the task is sent");
  });

  it("the drawing says a crash fault is on in lesson 10, over the Lambda side", { timeout: 120_000 }, async () => {
    const playground = await playgrounds.start();
    const page = await open(playground, "#/lessons/idempotency/1");
    const mark = page.locator(".viz .handler-fault");
    expect(await mark.textContent()).toBe("");
    await sleep(READ_MS);
    await page.click(".step .block.setting:has(.kind:text-is('Faults')) .run");
    await until(() => mark.textContent(), (text) => (text ?? "").startsWith("⚠ fault: the handler crashes"), 15_000, "the crash fault's mark");
    await page.screenshot({ path: `${SHOTS}/idempotency-crash-mark.png` });
  });
});
