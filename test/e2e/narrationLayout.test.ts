// The line under the flow drawing (what just happened, in words) at the four window sizes and in
// the presenter view: the longest sentences it can say are shown whole, never cut with "…", and a
// sentence read while the lesson pace catches up is whole too. (Split from layout.test.ts.)
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { burstLine } from "../../client/src/describe.js";
import { stepSentence } from "../../client/src/stepWords.js";
import { hasChromium, pagesPerTest } from "../helpers/browser.js";
import { expectTidy, openPage, SIZES, STAGE_PARTS, type PageElement, type PageGlobals } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest();
const playground = playgroundPerFile();
const open = (width: number, height: number, query?: string) => openPage(browser, playground(), { width, height, query });

describe.skipIf(!hasChromium())("the sentence under the drawing", () => {
  it("after a burst, speaks of its last events: the last task completed, not one a second before", { timeout: 120_000 }, async () => {
    const page = await open(1024, 768);
    const p = playground();
    try {
      await p.send("POST", "/api/reset");
      // Completions spread over seconds after the sends' burst, as lab 1's slow charges spread them.
      await p.send("PUT", "/api/faults", { delayMs: 250 });
      // When the sentence last changed, and when the drawing first counted every task completed.
      await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals & { lineAt: number; allDoneAt: number | null; lastLine: string | null; MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void }; performance: { now(): number } };
        g.allDoneAt = null;
        g.lastLine = null;
        g.lineAt = 0;
        new g.MutationObserver(() => {
          const now = g.performance.now();
          const line = g.document.querySelector(".narration-line")?.textContent ?? null;
          if (line !== g.lastLine) [g.lastLine, g.lineAt] = [line, now];
          if (g.allDoneAt === null && [...g.document.querySelectorAll(".viz text")].some((t) => t.textContent === "30 completed")) g.allDoneAt = now;
        }).observe(g.document.querySelector("body"), { subtree: true, childList: true, characterData: true });
      });
      const tasks = await Promise.all(Array.from({ length: 30 }, (_, i) => p.post("/tasks", { title: `burst ${i + 1}` }).then((r) => r.json() as Promise<{ id: number }>)));
      const ids = new Set(tasks.map((t) => t.id));
      await page.waitForSelector(".pace-status:has-text('a burst')", { timeout: 30_000 });
      for (const deadline = Date.now() + 60_000; ; await page.waitForTimeout(500)) {
        const all = (await (await p.get("/tasks")).json()) as { id: number; status: string }[];
        if (all.filter((t) => ids.has(t.id) && t.status === "completed").length === ids.size) break;
        if (Date.now() > deadline) throw new Error("the burst's tasks did not all complete");
      }
      // The burst over: the bar says so once it has been quiet for 2 s.
      await page.waitForFunction(() => !((globalThis as unknown as PageGlobals).document.querySelector(".pace-status")?.textContent ?? "").includes("burst"), undefined, { timeout: 30_000 });
      await page.waitForTimeout(1_500);
      await page.screenshot({ path: `${ROOT}test-results/narration-after-burst.png` });
      const { allDoneAt, lineAt } = (await page.evaluate("({ allDoneAt, lineAt })")) as { allDoneAt: number | null; lineAt: number };
      expect(allDoneAt, "the drawing counted every task completed").not.toBeNull();
      // The sentence was said after the drawing showed the last completion: not left on a moment before it.
      expect(lineAt).toBeGreaterThanOrEqual(allDoneAt ?? Infinity);
      // A summary counts from the burst's start (test/unit/narrationLine.test.ts); under load the
      // burst may pause for 2 s and start again, so here only that it speaks of the end.
      expect(await page.locator(".narration-line").textContent()).toMatch(/completed|deleted/);
    } finally {
      await p.send("PUT", "/api/faults", {});
      await page.close();
    }
  });

  it("at 1024×768, is read whole while the lesson pace is catching up", { timeout: 60_000 }, async () => {
    const page = await open(1024, 768);
    try {
      await page.click(".block.http .run");
      await page.waitForSelector(".narration-line:has-text('invoked the handler')", { timeout: 20_000 });
      const line = await page.evaluate(() => {
        const el = (globalThis as unknown as PageGlobals).document.querySelector(".narration-line") as PageElement & { scrollHeight: number; clientHeight: number };
        return { text: el.textContent, cut: el.scrollHeight > el.clientHeight + 1 };
      });
      expect(line).toEqual({ text: line.text, cut: false });
      expect(await page.locator(".pace-status").textContent()).toMatch(/catching up/);
    } finally {
      await page.close();
    }
  });
});

/** The longest sentences the line under the drawing says, with four-digit task ids and the FIFO queues' long names. */
function longestSentences(): string[] {
  const event = (body: object) => ({ seq: 1, at: 10_000, ...body }) as unknown as FlowEvent;
  const queue = "interview-queue.fifo";
  const tasks = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010];
  return [
    event({ type: "message.visible-again", queue, messageId: "m", taskId: 1234, receiveCount: 2 }),
    event({ type: "message.visible-again", queue, messageId: "m", taskId: 1234, receiveCount: 10 }),
    event({ type: "message.received", queue, messageId: "m", taskId: 1234, receiptHandle: "r", receiveCount: 2, visibleAt: 40_000, consumer: "other-client" }),
    event({ type: "message.sent", queue, messageId: "m", taskId: 1234, body: "{}", movedFrom: "interview-queue-dlq.fifo" }),
    event({ type: "message.sent", queue, messageId: "m", taskId: null, body: "{}" }),
    event({ type: "lambda.throttled", taskIds: tasks, running: 5, reserved: 5, retrying: false }),
    event({ type: "message.expired", queue, messageId: "m", taskId: 1234, sentAt: 0, retentionSeconds: 60, at: 61_000 }),
    event({ type: "lambda.invoked", invocationId: "i", functionName: "f", messageIds: tasks.map(String), taskIds: tasks }),
    event({ type: "sqs.call", call: { caller: "function", operation: "ChangeMessageVisibilityBatch", target: "AmazonSQS.ChangeMessageVisibilityBatch", request: { Entries: [{ VisibilityTimeout: 16 }, { VisibilityTimeout: 16 }] }, response: {}, error: null, durationMs: 1, messageIds: ["a", "b"] } }),
    // A learner's error of any length (lesson 21's typo ran the line's end off at 1024 px).
    event({ type: "lambda.failed", invocationId: "i", durationMs: 3, error: "TypeError: Cannot read properties of undefined (reading 'records') at handler (index.ts line 7)", messageIds: ["m"] }),
  ]
    .map((e) => stepSentence(e, 10) ?? "")
    .concat(burstLine({ created: 10_000, sent: 10_000, received: 10_250, completed: 9_990, failed: 10, deleted: 9_990, purged: 0, deadLettered: 10 }));
}

/** Which of `sentences`, shown in the line under the drawing, it cuts (the page is idle: nothing else writes the line). */
async function cutSentences(page: Page, sentences: string[]): Promise<string[]> {
  return page.evaluate((all) => {
    const el = (globalThis as unknown as PageGlobals).document.querySelector(".narration-line") as PageElement & { scrollHeight: number; clientHeight: number; textContent: string };
    const cut = all.filter((sentence) => {
      el.textContent = sentence;
      return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
    });
    return cut;
  }, sentences);
}

describe.skipIf(!hasChromium())("every sentence the line under the drawing says", () => {
  for (const [width, height] of SIZES) {
    it(`at ${width}×${height}, is shown whole, never cut with "…"`, { timeout: 60_000 }, async () => {
      const page = await open(width, height);
      try {
        const sentences = longestSentences();
        expect(sentences.every((s) => s.length > 80)).toBe(true);
        // Walking lesson 3 at 1024×768, "… waiting for receive 2 o…" lost its end.
        expect(await cutSentences(page, sentences)).toEqual([]);
        await expectTidy(page, STAGE_PARTS);
        await page.screenshot({ path: `${ROOT}test-results/layout-${width}x${height}-longest-sentence.png` });
      } finally {
        await page.close();
      }
    });
  }
  it("at 1024×768 beside a code cell (the lesson column widened, the stage narrowed), is shown whole", { timeout: 60_000 }, async () => {
    const page = await openPage(browser, playground(), { width: 1024, height: 768, hash: "#/lessons/write-the-handler/4" });
    try {
      await page.waitForSelector(".notebook[data-code]");
      expect(await cutSentences(page, longestSentences())).toEqual([]);
      await page.screenshot({ path: `${ROOT}test-results/layout-1024x768-code-cell-longest-sentence.png` });
    } finally {
      await page.close();
    }
  });

  it("in the presenter view at 1024×768, is shown whole, never cut with \"…\"", { timeout: 60_000 }, async () => {
    const page = await open(1024, 768, `&presenter=${playground().presenterToken}`);
    try {
      expect(await cutSentences(page, longestSentences())).toEqual([]);
      await page.screenshot({ path: `${ROOT}test-results/layout-presenter-1024x768-longest-sentence.png` });
    } finally {
      await page.close();
    }
  });
});
