// The line under the drawing during a burst: what the flow did since it was last quiet, counted as
// the pace shows the events (client/src/describe.ts BurstTally), times given in ms.
import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody, Task } from "../../common/events.js";
import { BurstTally } from "../../client/src/describe.js";

let seq = 0;
const at = (body: FlowEventBody): FlowEvent => ({ ...body, seq: ++seq, at: 1 }) as FlowEvent;
const queue = "interview-queue";
const task = (id: number, status: Task["status"]): Task => ({ id, title: "t", status, messageId: `m${id}`, createdAt: "", updatedAt: "", completedAt: null, attempts: 1, sendError: null, lastError: null });
const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const arrived = (id: number): FlowEvent[] => [
  at({ type: "task.created", taskId: id, task: task(id, "pending") }),
  at({ type: "message.sent", queue, messageId: `m${id}`, taskId: id, body: "{}", bodyLength: 2, truncated: false }),
  at({ type: "message.received", queue, messageId: `m${id}`, taskId: id, receiptHandle: "r", receiveCount: 1, visibleAt: 5000, consumer: "lambda-trigger" }),
];
const done = (id: number): FlowEvent[] => [
  at({ type: "task.updated", taskId: id, from: "processing", task: task(id, "completed") }),
  at({ type: "message.deleted", queue, messageId: `m${id}`, taskId: id }),
];

describe("the line under the drawing, in a burst", () => {
  it("counts from the burst's start, not the last second's share: 20 tasks end on 20 completed", () => {
    const tally = new BurstTally(2000);
    expect(tally.line()).toBeNull();
    // The burst's paced first step, then the rest at once.
    tally.see(arrived(1).slice(0, 1), 0);
    tally.see([...arrived(1).slice(1), ...ids(2, 19).flatMap(arrived)], 700);
    expect(tally.line()).toBe("A burst, shown in real time — so far: 20 tasks created, 20 received.");
    tally.see(ids(1, 18).flatMap(done), 1900);
    tally.see(ids(19, 2).flatMap(done), 2400);
    // Per second it said "2 tasks completed, 2 messages deleted": read as 18 lost.
    expect(tally.line()).toBe("A burst, shown in real time — so far: 20 tasks created, 20 received, 20 completed, 20 deleted.");
  });

  it("says one task or message in the singular", () => {
    const tally = new BurstTally(2000);
    tally.see([...arrived(1), at({ type: "message.sent", queue, messageId: "x", taskId: null, body: "{}", bodyLength: 2, truncated: false })], 0);
    expect(tally.line()).toBe("A burst, shown in real time — so far: 1 task created, 2 messages sent, 1 received.");
  });

  it("counts a burst after a quiet spell from nothing", () => {
    const tally = new BurstTally(2000);
    tally.see(ids(1, 10).flatMap(arrived), 0);
    tally.see(ids(11, 5).flatMap(arrived), 3000);
    expect(tally.line()).toBe("A burst, shown in real time — so far: 5 tasks created, 5 received.");
  });

  it("counts the new world only, after a reset in the burst", () => {
    const tally = new BurstTally(2000);
    tally.see(ids(1, 10).flatMap(arrived), 0);
    tally.see([at({ type: "world.reset" }), ...ids(11, 3).flatMap(arrived)], 500);
    tally.see(ids(14, 3).flatMap(arrived), 1000);
    expect(tally.line()).toBe("A burst, shown in real time — so far: 6 tasks created, 6 received.");
  });
});
