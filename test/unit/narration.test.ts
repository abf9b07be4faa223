import { describe, expect, it } from "vitest";
import type { FlowEvent, Task } from "../../common/events.js";
import { burstSoFar, concurrencyWords, countBurst, describe as describeEvent, narrate } from "../../client/src/describe.js";
import { filterOf, purgeLine } from "../../client/src/stepWords.js";

const task = (id: number, status: Task["status"]): Task => ({ id, title: "t", status, messageId: "m-12", createdAt: "", updatedAt: "", completedAt: null, attempts: 1, sendError: null, lastError: null });
let seq = 0;
const at = <E extends object>(body: E) => ({ ...body, seq: ++seq, at: 1 }) as unknown as FlowEvent;
const queue = "interview-queue";

describe("the narration of the flow", () => {
  it("tells one task's progress in one sentence, in the lesson's words", () => {
    const events = [
      at({ type: "message.sent", queue, messageId: "m-12", taskId: 12, body: "{}", bodyLength: 2, truncated: false }),
      at({ type: "message.received", queue, messageId: "m-12", taskId: 12, receiptHandle: "r", receiveCount: 2, visibleAt: 5, consumer: "lambda-trigger" }),
      at({ type: "sqs.call", call: {} }),
      at({ type: "task.updated", taskId: 12, from: "pending", task: task(12, "completed") }),
    ];
    expect(narrate(events)).toBe("Task 12: message sent to interview-queue; received by the Lambda, attempt 2; now completed.");
  });

  it("says so when the API records a message id after the trigger already had the message", () => {
    expect(describeEvent(at({ type: "task.updated", taskId: 12, from: "pending", task: task(12, "pending") }))).toBe("task 12 updated (message id recorded)");
    expect(describeEvent(at({ type: "task.updated", taskId: 12, from: "completed", task: task(12, "completed") }))).toBe(
      "task 12 updated (message id recorded; the trigger had the message first: the task is already completed)",
    );
  });

  it("says where a message without a task went", () => {
    const events = [at({ type: "message.dead-lettered", queue, deadLetterQueue: "interview-queue-dlq", messageId: "abcdef1234", taskId: null, receiveCount: 3 })];
    expect(narrate(events)).toBe("Message abcdef12: moved to interview-queue-dlq after 3 receives.");
  });

  it("sums up a burst instead of reading out every task", () => {
    const events = Array.from({ length: 20 }, (_, i) => at({ type: "message.sent", queue, messageId: `m${i}`, taskId: i, body: "{}", bodyLength: 2, truncated: false }));
    expect(narrate(events)).toBe("20 tasks and messages moved: 20 messages sent.");
  });

  it("counts a burst's events as they come, and says only what happened in short words", () => {
    const sent = (i: number) => at({ type: "message.sent", queue, messageId: `m${i}`, taskId: i, body: "{}", bodyLength: 2, truncated: false });
    const created = (i: number) => at({ type: "task.created", taskId: i, task: { id: i, title: "t", status: "pending", messageId: null, createdAt: "", updatedAt: "", completedAt: null, attempts: 0, sendError: null, lastError: null } });
    const tally = countBurst([created(1), sent(1), created(2), sent(2)]);
    expect(burstSoFar(tally)).toBe("2 tasks created");
    // Added to, not started again: the second second's events count with the first's.
    countBurst([at({ type: "message.deleted", queue, messageId: "m1", taskId: 1 }), at({ type: "message.deleted", queue, messageId: "m2", taskId: 2, purgedBy: "other-client" }), sent(3)], tally);
    expect(burstSoFar(tally)).toBe("2 tasks created, 3 messages sent, 1 deleted, 1 purged");
    expect(burstSoFar(countBurst([]))).toBe("");
  });

  it("describes changes made on purpose", () => {
    expect(narrate([at({ type: "faults.changed", faults: { failRate: 1, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: true } })])).toBe("faults: fail 100% of records, SQS unavailable.");
  });
});

describe("the timeline's rows", () => {
  it("says a purged message was purged, from which queue and by whom, not deleted", () => {
    const purged = at({ type: "message.deleted", queue: "interview-queue.fifo", messageId: "m", taskId: 32, purgedBy: "other-client" });
    expect(describeEvent(purged)).toBe("message of task 32 purged from interview-queue.fifo (PurgeQueue by another client)");
    expect(narrate([purged])).toBe("Task 32: purged from interview-queue.fifo (PurgeQueue).");
  });

  it("counts purged messages apart from deleted ones when it sums up a burst", () => {
    const events = Array.from({ length: 6 }, (_, i) => at({ type: "message.deleted", queue, messageId: `m${i}`, taskId: i, ...(i < 4 ? { purgedBy: "other-client" } : {}) }));
    expect(narrate(events)).toBe("6 tasks and messages moved: 2 messages deleted, 4 purged.");
  });

  it("names the mapping a concurrency row belongs to: the standard queue's or the FIFO queue's", () => {
    const concurrency = (running: number, limit: number, fifo = false) => at({ type: "lambda.concurrency", running, limit, maximum: 10, ...(fifo ? { mapping: "fifo" } : {}) });
    expect(describeEvent(concurrency(3, 10))).toBe("standard mapping: 3 batches running, limit 10");
    expect(describeEvent(concurrency(1, 5, true))).toBe("FIFO mapping: 1 batch running, limit 5");
  });

  it("says in words why more batches run than the limit, and what the trigger does until they end", () => {
    const over = (running: number, fifo = false) => at({ type: "lambda.concurrency", running, limit: 5, maximum: 10, ...(fifo ? { mapping: "fifo" } : {}) }) as Extract<FlowEvent, { type: "lambda.concurrency" }>;
    expect(concurrencyWords(over(6))).toBe("standard mapping: 6 batches running, limit lowered to 5: no new batch until 2 of them end");
    expect(concurrencyWords(over(7, true))).toBe(
      "FIFO mapping: 7 batches running, past its limit of 5 (one receive's message groups each run as a batch, or the limit was lowered): no new batch until 3 of them end",
    );
  });

  it("sums up a burst's second of completions by what happened, without counts of nothing", () => {
    let seq = 0;
    const done = (id: number): FlowEvent[] => [
      { type: "task.updated", taskId: id, from: "processing", task: { id, title: "t", status: "completed", messageId: `m${id}`, createdAt: "", updatedAt: "", completedAt: "", attempts: 1, sendError: null, lastError: null }, seq: ++seq, at: 1 } as FlowEvent,
      { type: "message.deleted", queue: "interview-queue", messageId: `m${id}`, taskId: id, seq: ++seq, at: 1 } as FlowEvent,
    ];
    expect(narrate(Array.from({ length: 8 }, (_, i) => done(i + 1)).flat())).toBe("8 tasks and messages moved: 8 tasks completed, 8 messages deleted.");
  });

  it("says one PurgeQueue's deletions in one sentence, with how many went (the pace shows them as one step)", () => {
    const purged = (taskId: number) => ({ type: "message.deleted", queue: "interview-queue.fifo", messageId: `m${taskId}`, taskId, purgedBy: "other-client", seq: taskId, at: 1 }) as FlowEvent;
    const shown = [purged(31), purged(32)];
    expect(purgeLine(shown, shown[1] as FlowEvent)).toBe("Another client (not the trigger) purged interview-queue.fifo (PurgeQueue): 2 messages are gone (tasks 31, 32).");
    expect(purgeLine([purged(33)], purged(33))).toBeNull();
  });

  it("names the FIFO mapping's trigger in its state and settings rows, the standard one plainly", () => {
    expect(describeEvent({ type: "trigger.state", state: "disabled", mapping: "fifo", seq: 1, at: 1 } as FlowEvent)).toBe("FIFO mapping's trigger disabled");
    expect(describeEvent({ type: "trigger.state", state: "enabled", seq: 2, at: 1 } as FlowEvent)).toBe("trigger enabled");
  });

  it("tells a filtered message's deletion by its filter, not as a task done", () => {
    const filtered = { type: "trigger.filtered", messageIds: ["m37"], taskIds: [37], seq: 1, at: 1 } as FlowEvent;
    const deleted = { type: "message.deleted", queue: "interview-queue", messageId: "m37", taskId: 37, seq: 2, at: 1 } as FlowEvent;
    const other = { type: "message.deleted", queue: "interview-queue", messageId: "m38", taskId: 38, seq: 3, at: 1 } as FlowEvent;
    expect(filterOf([filtered, deleted], deleted)).toBe(filtered);
    expect(filterOf([filtered, other], other)).toBeNull();
  });
});
