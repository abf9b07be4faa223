import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody, Task } from "../../common/events.js";
import { applyEvent, callsFor, emptyState, foldEvents, messageStateAt, queueCounts, stateFromSnapshot, TIMELINE_LIMIT } from "../../common/state.js";

let seq = 0;
const at = (body: FlowEventBody, time = 1000): FlowEvent => ({ ...body, seq: ++seq, at: time }) as FlowEvent;
const task = (id: number, status: Task["status"]): Task => ({ id, title: `t${id}`, status, messageId: "m1", createdAt: "", updatedAt: "", completedAt: null, attempts: 0, sendError: null, lastError: null });

describe("the state fold", () => {
  it("follows a message from sent to in flight to deleted", () => {
    const state = foldEvents([
      at({ type: "task.created", taskId: 1, task: task(1, "pending") }),
      at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }),
    ]);
    expect(state.messages.m1).toMatchObject({ state: "visible", receiveCount: 0, taskId: 1 });
    applyEvent(state, at({ type: "message.received", queue: "q", messageId: "m1", taskId: 1, receiptHandle: "r", receiveCount: 1, visibleAt: 6000, consumer: "lambda-trigger" }));
    expect(state.messages.m1).toMatchObject({ state: "in-flight", receiveCount: 1, visibleAt: 6000, consumer: "lambda-trigger" });
    applyEvent(state, at({ type: "message.deleted", queue: "q", messageId: "m1", taskId: 1 }));
    expect(state.messages.m1).toBeUndefined();
    expect(state.counters).toMatchObject({ sent: 1, received: 1, deleted: 1 });
    expect(state.lastTaskId).toBe(1);
  });

  it("computes an expired visibility timeout from the deadline, as SQS applies it lazily", () => {
    const state = foldEvents([
      at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }),
      at({ type: "message.received", queue: "q", messageId: "m1", taskId: 1, receiptHandle: "r", receiveCount: 1, visibleAt: 6000, consumer: "other-client" }),
    ]);
    const message = state.messages.m1!;
    expect(messageStateAt(message, 5999)).toBe("in-flight");
    expect(messageStateAt(message, 6000)).toBe("visible");
    expect(queueCounts(state, 7000)).toEqual({ visible: 1, inFlight: 0, delayed: 0, deadLettered: 0 });
  });

  it("keeps a message in flight while ChangeMessageVisibilityBatch moves its deadline ahead (step mode's heartbeat)", () => {
    const state = foldEvents([
      at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }),
      at({ type: "message.received", queue: "q", messageId: "m1", taskId: 1, receiptHandle: "r", receiveCount: 1, visibleAt: 6000, consumer: "lambda-trigger" }),
    ]);
    const heartbeat = { caller: "lambda-trigger", operation: "ChangeMessageVisibilityBatch", target: "AmazonSQS.ChangeMessageVisibilityBatch", request: { QueueUrl: "u", Entries: [{ Id: "0", ReceiptHandle: "r", VisibilityTimeout: 5 }] }, response: { Successful: [{ Id: "0" }], Failed: [] }, error: null, durationMs: 1, messageIds: ["m1"] };
    applyEvent(state, at({ type: "sqs.call", call: heartbeat }, 4000));
    expect(messageStateAt(state.messages.m1!, 8000)).toBe("in-flight");
    expect(messageStateAt(state.messages.m1!, 9000)).toBe("visible");
  });

  it("moves a message to the dead-letter queue with its receive count", () => {
    const state = foldEvents([
      at({ type: "message.sent", queue: "q", messageId: "m1", taskId: null, body: "x", bodyLength: 1, truncated: false }),
      at({ type: "message.visible-again", queue: "q", messageId: "m1", taskId: null, receiveCount: 3 }),
      at({ type: "message.dead-lettered", queue: "q", deadLetterQueue: "q-dlq", messageId: "m1", taskId: null, receiveCount: 3 }),
    ]);
    expect(state.messages.m1).toMatchObject({ queue: "q-dlq", state: "dead-lettered", receiveCount: 3 });
    expect(state.counters).toMatchObject({ returned: 1, deadLettered: 1 });
  });

  it("removes an expired message and remembers it, with when it reached the dead-letter queue", () => {
    const state = foldEvents([
      at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }, 1000),
      at({ type: "message.dead-lettered", queue: "q", deadLetterQueue: "q-dlq", messageId: "m1", taskId: 1, receiveCount: 3 }, 16_000),
      at({ type: "message.expired", queue: "q-dlq", messageId: "m1", taskId: 1, sentAt: 1000, retentionSeconds: 60 }, 61_000),
    ]);
    expect(state.messages.m1).toBeUndefined();
    expect(state.counters).toMatchObject({ expired: 1, deleted: 0 });
    expect(state.lastExpired).toEqual({ messageId: "m1", taskId: 1, queue: "q-dlq", sentAt: 1000, expiredAt: 61_000, deadLetteredAt: 16_000, retentionSeconds: 60 });
  });

  it("counts throttled invocations", () => {
    const state = foldEvents([at({ type: "lambda.throttled", functionName: "f", messageIds: ["m1"], taskIds: [1], reserved: 1, running: 1, attempt: 1, retrying: true })]);
    expect(state.counters.throttled).toBe(1);
  });

  it("tracks invocations and concurrency", () => {
    const state = foldEvents([
      at({ type: "lambda.invoked", invocationId: "i1", functionName: "f", messageIds: ["m1", "m2"], taskIds: [1, 2] }),
      at({ type: "lambda.concurrency", running: 1, limit: 5, maximum: 1000 }),
      at({ type: "lambda.completed", invocationId: "i1", durationMs: 12, failedMessageIds: ["m2"] }),
    ]);
    expect(state.invocations.i1).toMatchObject({ status: "completed", durationMs: 12, failedMessageIds: ["m2"] });
    expect(state.concurrency).toEqual({ running: 1, limit: 5, maximum: 1000 });
  });

  it("keeps the paused steps of step mode, and drops them when it is turned off", () => {
    const state = foldEvents([
      at({ type: "step-mode.changed", enabled: true }),
      at({ type: "step.paused", pauseId: 1, step: "insert", stepNumber: 1, taskId: null, messageIds: [], detail: "d" }),
      at({ type: "step.paused", pauseId: 2, step: "send", stepNumber: 2, taskId: 1, messageIds: [], detail: "d" }),
      at({ type: "step.released", pauseId: 1, step: "insert" }),
    ]);
    expect(state.stepMode.paused.map((p) => p.pauseId)).toEqual([2]);
    applyEvent(state, at({ type: "step-mode.changed", enabled: false }));
    expect(state.stepMode).toEqual({ enabled: false, paused: [] });
  });

  it("skips events a snapshot already holds", () => {
    const state = stateFromSnapshot({ seq: 10, tasks: [task(1, "completed")], queues: [], events: [] });
    applyEvent(state, { type: "task.updated", taskId: 1, from: "pending", task: task(1, "processing"), seq: 9, at: 0 });
    expect(state.tasks[1]?.status).toBe("completed");
    applyEvent(state, { type: "task.created", taskId: 2, task: task(2, "pending"), seq: 11, at: 0 });
    expect(state.tasks[2]?.status).toBe("pending");
  });

  it("reads dead-letter queue contents from a snapshot as dead-lettered", () => {
    const message = { messageId: "m9", taskId: 9, body: "{}", bodyLength: 2, truncated: false, receiveCount: 3, sentAt: 1, state: "visible" as const, visibleAt: null };
    const state = stateFromSnapshot({ seq: 1, tasks: [], queues: [{ name: "q", url: "u", visible: 0, inFlight: 0, delayed: 0, messages: [] }, { name: "q-dlq", url: "u2", visible: 1, inFlight: 0, delayed: 0, messages: [message] }], events: [] });
    expect(state.messages.m9).toMatchObject({ queue: "q-dlq", state: "dead-lettered" });
  });

  it("clears tasks and messages on a world reset, keeping the timeline", () => {
    const state = foldEvents([at({ type: "task.created", taskId: 1, task: task(1, "pending") }), at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }), at({ type: "world.reset" })]);
    expect(state.tasks).toEqual({});
    expect(state.messages).toEqual({});
    expect(state.timeline.map((e) => e.type)).toEqual(["task.created", "message.sent", "world.reset"]);
  });

  it("keeps step mode switched on while a reset purged the queues, as the server does", () => {
    const state = foldEvents([
      at({ type: "step-mode.changed", enabled: false, heartbeat: true }),
      at({ type: "step-mode.changed", enabled: true, heartbeat: true }),
      at({ type: "step.paused", pauseId: 1, step: "insert", stepNumber: 1, taskId: null, messageIds: [], detail: "d" }),
      at({ type: "world.reset" }),
    ]);
    expect(state.stepMode).toMatchObject({ enabled: true, paused: [{ pauseId: 1 }] });
  });

  it("keeps the timeline bounded however many events arrive", () => {
    const state = emptyState();
    for (let i = 0; i < TIMELINE_LIMIT * 3; i++) applyEvent(state, at({ type: "trigger.state", state: "enabled" }));
    expect(state.timeline.length).toBeLessThanOrEqual(TIMELINE_LIMIT * 1.25);
    expect(state.timeline.at(-1)?.seq).toBe(seq);
  });
});

describe("the wire inspector in the fold", () => {
  it("keeps SQS calls apart from the timeline and finds the calls behind an event", () => {
    const call = (operation: string, messageIds: string[]) => ({ caller: "api", operation, target: `AmazonSQS.${operation}`, request: {}, response: {}, error: null, durationMs: 1, messageIds });
    const first = at({ type: "sqs.call", call: call("SendMessage", ["m1"]) });
    const sent = at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false });
    const state = foldEvents([first, sent, at({ type: "sqs.call", call: call("SendMessage", ["m2"]) })]);
    expect(state.timeline.map((e) => e.type)).toEqual(["message.sent"]);
    expect(callsFor(state, sent).map((c) => c.messageIds)).toEqual([["m1"]]);
    // The call's record may come after the event it caused.
    const later = foldEvents([at({ type: "message.sent", queue: "q", messageId: "m3", taskId: 3, body: "{}", bodyLength: 2, truncated: false }), at({ type: "sqs.call", call: call("SendMessage", ["m3"]) })]);
    expect(callsFor(later, later.timeline[0] as FlowEvent).map((c) => c.operation)).toEqual(["SendMessage"]);
  });

  it("shows the call that made an event first: a deletion opens on its DeleteMessageBatch, not on the receive before it", () => {
    const call = (operation: string) => ({ caller: "lambda-trigger", operation, target: `AmazonSQS.${operation}`, request: {}, response: {}, error: null, durationMs: 1, messageIds: ["m1"] });
    const deleted = at({ type: "message.deleted", queue: "q", messageId: "m1", taskId: 1 });
    const state = foldEvents([at({ type: "sqs.call", call: call("ReceiveMessage") }), deleted, at({ type: "sqs.call", call: call("DeleteMessageBatch") })]);
    expect(callsFor(state, deleted).map((c) => c.operation)).toEqual(["DeleteMessageBatch", "ReceiveMessage"]);
  });
});

describe("the wire inspector behind a receive", () => {
  it("shows the receive's own ReceiveMessage, not the message's earlier receive beside it", () => {
    const call = (operation: string, count: string) => at({ type: "sqs.call", call: { caller: "lambda-trigger", operation, target: `AmazonSQS.${operation}`, request: {}, response: { Messages: [{ Attributes: { ApproximateReceiveCount: count } }] }, error: null, durationMs: 1, messageIds: ["m1"] } });
    const sent = at({ type: "sqs.call", call: { caller: "api", operation: "SendMessage", target: "AmazonSQS.SendMessage", request: {}, response: {}, error: null, durationMs: 1, messageIds: ["m1"] } });
    const twelfth = call("ReceiveMessage", "12");
    const thirteenth = call("ReceiveMessage", "13");
    const received = at({ type: "message.received", queue: "q", messageId: "m1", taskId: 1, receiptHandle: "r", receiveCount: 13, visibleAt: 2000, consumer: "lambda-trigger" });
    const state = foldEvents([sent, twelfth, thirteenth, received]);
    expect(callsFor(state, received).map((c) => [c.operation, c.seq])).toEqual([["ReceiveMessage", thirteenth.seq], ["SendMessage", sent.seq]]);
  });
});

describe("the wire inspector behind a purge", () => {
  const call = (operation: string, request: object, messageIds: string[] = [], error: { code: string; message: string } | null = null) =>
    at({ type: "sqs.call", call: { caller: "other-client", operation, target: `AmazonSQS.${operation}`, request, response: {}, error, durationMs: 1, messageIds } });
  const fifoUrl = "http://localhost:4566/000000000000/interview-queue.fifo";

  it("opens a purged message's row on the PurgeQueue call of its queue, not on the message's SendMessage", () => {
    const sent = call("SendMessage", { QueueUrl: fifoUrl }, ["m1"]);
    const refused = call("PurgeQueue", { QueueUrl: fifoUrl }, [], { code: "AWS.SimpleQueueService.PurgeQueueInProgress", message: "once a minute" });
    const purged = at({ type: "message.deleted", queue: "interview-queue.fifo", messageId: "m1", taskId: 32, purgedBy: "other-client" });
    const others = Array.from({ length: 5 }, (_, i) => at({ type: "message.deleted", queue: "interview-queue.fifo", messageId: `m${i + 2}`, taskId: i, purgedBy: "other-client" }));
    const otherQueue = call("PurgeQueue", { QueueUrl: "http://localhost:4566/000000000000/interview-queue" });
    const purge = call("PurgeQueue", { QueueUrl: fifoUrl });
    const state = foldEvents([sent, refused, purged, ...others, otherQueue, purge]);
    expect(callsFor(state, purged).map((c) => [c.operation, c.seq])).toEqual([["PurgeQueue", purge.seq], ["SendMessage", sent.seq]]);
  });

  it("still opens a consumer's deletion on its DeleteMessage, not on a purge of its queue", () => {
    const deleted = at({ type: "message.deleted", queue: "q", messageId: "m1", taskId: 1 });
    const state = foldEvents([deleted, call("DeleteMessage", { QueueUrl: "q" }, ["m1"]), call("PurgeQueue", { QueueUrl: "q" })]);
    expect(callsFor(state, deleted).map((c) => c.operation)).toEqual(["DeleteMessage"]);
  });
});

describe("step mode's heartbeat in the timeline", () => {
  const beat = (messageIds: string[], seconds = 5, caller = "lambda-trigger") =>
    at({ type: "sqs.call", call: { caller, operation: "ChangeMessageVisibilityBatch", target: "AmazonSQS.ChangeMessageVisibilityBatch", request: { Entries: messageIds.map((_, i) => ({ Id: String(i), VisibilityTimeout: seconds })) }, response: {}, error: null, durationMs: 1, messageIds } });

  it("lists the trigger's ChangeMessageVisibilityBatch calls as the only SQS calls in the timeline", () => {
    const learners = at({ type: "sqs.call", call: { ...(beat(["m1"]) as Extract<FlowEvent, { type: "sqs.call" }>).call, caller: "api" } });
    const state = foldEvents([beat(["m1"]), learners]);
    expect(state.timeline.map((e) => (e.type === "sqs.call" ? e.call.caller : e.type))).toEqual(["lambda-trigger"]);
  });

  it("keeps one row per pause: a beat of the same messages replaces the beat just before it", () => {
    const paused = at({ type: "trigger.state", state: "enabled" });
    const beats = [beat(["m1"]), beat(["m1"]), beat(["m1"])];
    const state = foldEvents([paused, ...beats, beat(["m2"])]);
    expect(state.timeline.map((e) => e.seq)).toEqual([paused.seq, beats[2]?.seq, state.seq]);
  });

  it("rebuilds the same timeline from a snapshot as from the events", () => {
    const events = [beat(["m1"]), beat(["m1"]), at({ type: "trigger.state", state: "enabled" }), beat(["m1"])];
    const fromSnapshot = stateFromSnapshot({ seq: seq, tasks: [], queues: [], events });
    expect(fromSnapshot.timeline.map((e) => e.seq)).toEqual(foldEvents(events).timeline.map((e) => e.seq));
  });

  it("finds a heartbeat's own call behind its row", () => {
    const call = beat(["m1"], 30);
    const state = foldEvents([call]);
    expect(callsFor(state, call).map((c) => [c.operation, (c.request as { Entries: { VisibilityTimeout: number }[] }).Entries[0]?.VisibilityTimeout])).toEqual([["ChangeMessageVisibilityBatch", 30]]);
  });
});

describe("the wire's counts in a snapshot", () => {
  it("count the calls since the snapshot's last reset, as the live fold does", () => {
    const call = (operation: string) => at({ type: "sqs.call", call: { caller: "other-client", operation, target: `AmazonSQS.${operation}`, request: {}, response: {}, error: null, durationMs: 1, messageIds: [] } });
    const events = [call("ReceiveMessage"), call("ReceiveMessage"), at({ type: "world.reset" }), call("ReceiveMessage")];
    const fromSnapshot = stateFromSnapshot({ seq: events.at(-1)!.seq, tasks: [], queues: [], events });
    expect(fromSnapshot.callCounts).toEqual({ "other-client ReceiveMessage": { calls: 1, empty: 1, failed: 0 } });
    expect(fromSnapshot.callCounts).toEqual(foldEvents(events).callCounts);
  });
});

describe("concurrency in the timeline", () => {
  it("lists a mapping's limit when it moves and batches past the limit, not every batch that starts or ends within it", () => {
    const changes = [
      [1, 5],
      [2, 5],
      [1, 5],
      [0, 5],
      [3, 10],
      [4, 2],
      [1, 2],
    ].map(([running, limit]) => at({ type: "lambda.concurrency", running: running as number, limit: limit as number, maximum: 1000 }));
    const fifo = at({ type: "lambda.concurrency", running: 0, limit: 5, maximum: 1000, mapping: "fifo" });
    const state = foldEvents([...changes, fifo]);
    expect(state.timeline.map((e) => e.seq)).toEqual([changes[0]!.seq, changes[4]!.seq, changes[5]!.seq, fifo.seq]);
    // The fold itself follows every change.
    expect(state.concurrency).toEqual({ running: 1, limit: 2, maximum: 1000 });
  });
});

describe("the peak concurrency", () => {
  it("remembers the highest limit until the world is reset", () => {
    const state = foldEvents([
      at({ type: "lambda.concurrency", running: 5, limit: 5, maximum: 1000 }),
      at({ type: "lambda.concurrency", running: 12, limit: 15, maximum: 1000 }),
      at({ type: "lambda.concurrency", running: 0, limit: 5, maximum: 1000 }),
    ]);
    expect(state.peakConcurrencyLimit).toBe(15);
    applyEvent(state, at({ type: "world.reset" }));
    expect(state.peakConcurrencyLimit).toBe(5);
  });
});
