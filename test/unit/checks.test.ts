import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody, SqsCall, Task } from "../../common/events.js";
import type { CheckBlock } from "../../common/lessons.js";
import { foldEvents } from "../../common/state.js";
import { NO_FAULTS } from "../../server/control/faults.js";
import { evaluateCheck, interpolate } from "../../server/lessons/checks.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { ROOT } from "../helpers/process.js";

let seq = 0;
const at = (body: FlowEventBody, time = 1000): FlowEvent => ({ ...body, seq: ++seq, at: time }) as FlowEvent;
const task = (status: Task["status"]): Task => ({ id: 1, title: "t", status, messageId: "m1", createdAt: new Date(1000).toISOString(), updatedAt: "", completedAt: null, attempts: 0, sendError: null, lastError: null });
const withTask = (status: Task["status"]) => foldEvents([at({ type: "task.created", taskId: 1, task: task(status) })]);

const check = (extra: Partial<CheckBlock> = {}): CheckBlock => ({
  kind: "check",
  expect: "lastTask.status",
  comparison: { equals: "completed" },
  label: "the task is completed",
  waiting: null,
  failsWhen: null,
  deadline: null,
  ...extra,
});

describe("a lesson check", () => {
  it("passes when its state holds", () => {
    expect(evaluateCheck(check(), withTask("completed"), 2000)).toMatchObject({ status: "passed", ok: true, why: "" });
  });

  it("waits, saying what for, while its state can still become true", () => {
    const result = evaluateCheck(check({ waiting: "the handler completes it (now {lastTask.status})" }), withTask("processing"), 2000);
    expect(result).toMatchObject({ status: "waiting", ok: false, why: "the handler completes it (now processing)", actual: "lastTask.status = processing" });
  });

  it("waits with a plain explanation when the lesson gives none", () => {
    expect(evaluateCheck(check(), withTask("pending"), 2000).why).toBe("waiting until lastTask.status is completed (now: pending)");
  });

  it("fails once its failsWhen holds, saying why", () => {
    const failsWhen = { expect: "lastTask.status", comparison: { equals: "failed" }, because: "the task failed" };
    expect(evaluateCheck(check({ failsWhen }), withTask("failed"), 2000)).toMatchObject({ status: "failed", why: "the task failed" });
    expect(evaluateCheck(check({ failsWhen }), withTask("pending"), 2000).status).toBe("waiting");
  });

  it("fails once its stated deadline has passed, and not before", () => {
    const deadline = { seconds: 10, after: "lastTask.createdAt" };
    expect(evaluateCheck(check({ deadline }), withTask("pending"), 1000 + 10_000).status).toBe("waiting");
    expect(evaluateCheck(check({ deadline }), withTask("pending"), 1000 + 10_001)).toMatchObject({ status: "failed", why: "not done within 10 s of the task's creation" });
  });

  it("keeps waiting on a deadline whose moment has not happened yet", () => {
    expect(evaluateCheck(check({ deadline: { seconds: 1, after: "lastTask.createdAt" } }), foldEvents([]), 1e12).status).toBe("waiting");
  });

  it("does not say the last task has no message when no task exists", () => {
    const noMessage = check({ expect: "lastTask.hasMessage", comparison: { equals: false } });
    expect(evaluateCheck(noMessage, foldEvents([]), 0).status).toBe("waiting");
    const unsent = foldEvents([at({ type: "task.created", taskId: 1, task: { ...task("pending"), messageId: null } })]);
    expect(evaluateCheck(noMessage, unsent, 2000).status).toBe("passed");
  });

  it("shows a missing state in words, or the words the lesson gives for it, never as none", () => {
    expect(interpolate("now: {lastTaskMessage.receiveCount}", foldEvents([]), 0)).toBe("now: no message yet");
    expect(interpolate("[[receive {lastTaskMessage.receiveCount} of 3|not received yet]]", foldEvents([]), 0)).toBe("not received yet");
  });
});

describe("the retention selectors", () => {
  const expired = (deadLetteredAt: number, expiredAt: number) =>
    foldEvents([
      at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }, 1000),
      at({ type: "message.dead-lettered", queue: "q", deadLetterQueue: "q-dlq", messageId: "m1", taskId: 1, receiveCount: 3 }, deadLetteredAt),
      at({ type: "message.expired", queue: "q-dlq", messageId: "m1", taskId: 1, sentAt: 1000, retentionSeconds: 60 }, expiredAt),
    ]);
  const countedFrom = (deadLetteredAt: number, expiredAt: number) => interpolate("{dlq.lastExpiryCountedFrom}", expired(deadLetteredAt, expiredAt), expiredAt);

  it("reads a dead-lettered message expiring one period after its first send as counted from that send", () => {
    expect(countedFrom(16_000, 61_050)).toBe("first send");
  });

  it("reads one expiring one period after it reached the dead-letter queue as counted from its arrival", () => {
    expect(countedFrom(16_000, 76_050)).toBe("arrival in the dead-letter queue");
  });

  it("gives the age at expiry in whole seconds, rounded", () => {
    expect(interpolate("{lastExpired.ageSeconds}", expired(16_000, 61_400), 61_400)).toBe("60");
  });
});

describe("a check with more conditions (a lab's verdict)", () => {
  const verdict = check({ and: [{ expect: "tasks.count", comparison: { atLeast: 2 } }] });

  it("passes only when every condition holds", () => {
    const two = foldEvents([at({ type: "task.created", taskId: 1, task: task("completed") }), at({ type: "task.created", taskId: 2, task: { ...task("completed"), id: 2 } })]);
    expect(evaluateCheck(verdict, two, 2000).status).toBe("passed");
  });

  it("waits while one condition does not hold, naming each in expected and actual", () => {
    expect(evaluateCheck(verdict, withTask("completed"), 2000)).toMatchObject({
      status: "waiting",
      expected: "lastTask.status = completed and tasks.count = at least 2",
      actual: "lastTask.status = completed, tasks.count = 1",
    });
  });
});

describe("the labs' states", () => {
  const sent = (taskId: number, messageId: string): FlowEventBody => ({ type: "message.sent", queue: "interview-queue", messageId, taskId, body: "{}", bodyLength: 2, truncated: false });
  const received = (taskId: number, messageId: string): FlowEventBody => ({ type: "message.received", queue: "interview-queue", messageId, taskId, receiptHandle: "r", receiveCount: 1, visibleAt: 9e12, consumer: "lambda-trigger" });

  it("counts a task as lost when it is unfinished and its message was deleted", () => {
    const state = foldEvents([at({ type: "task.created", taskId: 1, task: task("pending") }), at(sent(1, "m1")), at({ type: "message.deleted", queue: "interview-queue", messageId: "m1", taskId: 1 })]);
    expect(evaluateCheck(check({ expect: "tasks.lost", comparison: { equals: 1 } }), state, 2000).status).toBe("passed");
  });

  it("does not count a task whose message still waits as lost", () => {
    const state = foldEvents([at({ type: "task.created", taskId: 1, task: task("pending") }), at(sent(1, "m1"))]);
    expect(evaluateCheck(check({ expect: "tasks.lost", comparison: { equals: 0 } }), state, 2000).status).toBe("passed");
  });

  it("counts a trial's tasks only from the task after the trial began", () => {
    const state = foldEvents([at({ type: "task.created", taskId: 1, task: task("pending") }), at({ type: "trial.started", afterTaskId: 1 }), at({ type: "task.created", taskId: 2, task: { ...task("completed"), id: 2 } })]);
    expect(evaluateCheck(check({ expect: "trial.allCompleted", comparison: { equals: true } }), state, 2000).status).toBe("passed");
  });

  it("keeps the receives of a task's message after the message is deleted", () => {
    const state = foldEvents([at({ type: "task.created", taskId: 1, task: task("completed") }), at(sent(1, "m1")), at(received(1, "m1")), at(received(1, "m1")), at({ type: "message.deleted", queue: "interview-queue", messageId: "m1", taskId: 1 })]);
    expect(evaluateCheck(check({ expect: "trial.mostReceives", comparison: { equals: 2 } }), state, 2000).status).toBe("passed");
  });

  it("counts the charges of the trial's orders only, and forgets them at a world reset", () => {
    const charged = (taskId: number, charges: number): FlowEventBody => ({ type: "charge.made", taskId, charges });
    const events = [
      at({ type: "task.created", taskId: 1, task: task("completed") }),
      at(charged(1, 1)),
      at(charged(1, 2)),
      at({ type: "trial.started", afterTaskId: 1 }),
      at({ type: "task.created", taskId: 2, task: { ...task("completed"), id: 2 } }),
      at({ type: "task.created", taskId: 3, task: { ...task("completed"), id: 3 } }),
      at(charged(2, 1)),
      at(charged(3, 1)),
      at(charged(3, 2)),
    ];
    const state = foldEvents(events);
    expect(evaluateCheck(check({ expect: "trial.charges", comparison: { equals: 3 } }), state, 2000).actual).toBe("trial.charges = 3");
    expect(evaluateCheck(check({ expect: "trial.mostCharges", comparison: { equals: 2 } }), state, 2000).status).toBe("passed");
    const reset = foldEvents([at({ type: "world.reset" })], state);
    expect(reset.chargesByTask).toEqual({});
  });
});

describe("lab 5's order states", () => {
  const event = (id: number, name: string): FlowEventBody => ({ type: "task.created", taskId: id, task: { ...task("completed"), id, title: `order-7: ${name}`, queue: "fifo", messageGroupId: "g", completedAt: new Date(5000 + id).toISOString() } });
  const invoked = (invocationId: string, taskIds: number[]): FlowEventBody => ({ type: "lambda.invoked", invocationId, functionName: "f", messageIds: taskIds.map((id) => `m${id}`), taskIds });
  const completed = (invocationId: string, durationMs: number): FlowEventBody => ({ type: "lambda.completed", invocationId, durationMs, failedMessageIds: [] });
  const inSequence = (events: FlowEvent[]) => evaluateCheck(check({ expect: "orders.inSequence", comparison: { equals: true } }), foldEvents(events), 9000).actual;

  it("reads an order's events handled in one batch, in the order sent, as in sequence", () => {
    expect(inSequence([at(event(1, "created")), at(event(2, "paid")), at(invoked("a", [1, 2]), 1000), at(completed("a", 500), 1500)])).toBe("orders.inSequence = true");
  });

  it("reads an order's events handled by batches one after the other as in sequence", () => {
    expect(inSequence([at(event(1, "created")), at(event(2, "paid")), at(invoked("a", [1]), 1000), at(completed("a", 500), 1500), at(invoked("b", [2]), 1600), at(completed("b", 500), 2100)])).toBe("orders.inSequence = true");
  });

  it("reads an order's events handled at the same time by two batches as not in sequence", () => {
    expect(inSequence([at(event(1, "created")), at(event(2, "paid")), at(invoked("a", [1]), 1000), at(invoked("b", [2]), 1010), at(completed("a", 500), 1500), at(completed("b", 500), 1510)])).toBe("orders.inSequence = false");
  });
});

describe("lesson 7's first check, while the poison message waits for its first receive", () => {
  it("does not say 'receive 0 of 3' (read as a receive numbered 0): it counts the receives so far", async () => {
    const lesson = loadLessons(`${ROOT}lessons`, ROOT).find((l) => l.id === "retries-and-dlq");
    const first = lesson?.steps[0]?.parts.find((p): p is CheckBlock => p.kind === "check");
    expect(first).toBeDefined();
    const sent = foldEvents([at({ type: "message.sent", queue: "interview-queue", messageId: "p", taskId: null, body: "this is not JSON", bodyLength: 16, truncated: false })]);
    const result = evaluateCheck(first as CheckBlock, sent, 2000);
    expect(result.status).toBe("waiting");
    expect(result.why).toBe("the message comes back after each 5 s visibility timeout — received 0 of 3 times so far; after the third, the dead-letter queue");
  });
});

describe("lesson 7's redrive check, pressed before the repair", () => {
  it("says the handler still fails and the repair comes first, then what Redrive does once repaired", () => {
    const lesson = loadLessons(`${ROOT}lessons`, ROOT).find((l) => l.id === "retries-and-dlq");
    const redriven = (lesson?.steps ?? []).flatMap((step) => step.parts).find((p): p is CheckBlock => p.kind === "check" && p.label === "the redriven task completed");
    expect(redriven).toBeDefined();
    const failing = foldEvents([at({ type: "faults.changed", faults: { ...NO_FAULTS, failRate: 1 } }), at({ type: "task.created", taskId: 1, task: task("failed") })]);
    expect(evaluateCheck(redriven as CheckBlock, failing, 2000).why).toBe("the handler still fails every task (fail rate 1): apply the repair above first, then press Redrive again (now: failed)");
    const repaired = foldEvents([at({ type: "faults.changed", faults: NO_FAULTS }), at({ type: "task.created", taskId: 1, task: task("failed") })]);
    expect(evaluateCheck(redriven as CheckBlock, repaired, 2000).why).toBe("press Redrive: the message goes back to the queue and the repaired handler completes the task (now: failed)");
  });
});

describe("lesson 21's checks on a world an earlier lesson left", () => {
  const lesson = loadLessons(`${ROOT}lessons`, ROOT).find((l) => l.id === "write-the-handler");
  const completedChecks = (lesson?.steps ?? []).flatMap((step) => step.parts).filter((p): p is CheckBlock => p.kind === "check" && p.expect === "lastTask.status");
  const completed = (id: number): FlowEventBody[] => [
    { type: "task.created", taskId: id, task: { ...task("pending"), id } },
    { type: "task.updated", taskId: id, from: "pending", task: { ...task("completed"), id } },
  ];

  it("has the two checks that a task completed", () => expect(completedChecks).toHaveLength(2));

  const deployed: FlowEventBody = { type: "function.deployed", version: 1, language: "nodejs" };

  it.each([0, 1])("check %i waits while the last task completed is older than the version deployed", (n) => {
    const check = completedChecks[n] as CheckBlock;
    const deployedAfterAnOldTask = foldEvents([...completed(41), deployed].map((e) => at(e)));
    const result = evaluateCheck(check, deployedAfterAnOldTask, 2000);
    expect(result.status).toBe("waiting");
    expect(evaluateCheck(check, foldEvents([...completed(41), deployed, ...completed(42)].map((e) => at(e))), 2000).status).toBe("passed");
  });

  it.each([0, 1])("check %i waits after a world reset put the playground's own handler back, whatever completes then", (n) => {
    const check = completedChecks[n] as CheckBlock;
    const ownHandler: FlowEventBody[] = [deployed, { type: "world.reset" }, { type: "function.deployed", version: 0, language: "nodejs" }, ...completed(42)];
    expect(evaluateCheck(check, foldEvents(ownHandler.map((e) => at(e))), 2000).status).toBe("waiting");
  });

  const failedInvocation = (id: string): FlowEventBody[] => [
    { type: "lambda.invoked", invocationId: id, functionName: "f", messageIds: ["m1"], taskIds: [1] },
    { type: "lambda.failed", invocationId: id, durationMs: 5, error: "TypeError: event.records is not iterable", messageIds: ["m1"] },
  ];
  const typoCheck = (lesson?.steps ?? []).flatMap((step) => step.parts).find((p): p is CheckBlock => p.kind === "check" && p.label === "the invocation failed");
  const typoVersion: FlowEventBody = { type: "function.deployed", version: 2, language: "nodejs" };

  it("waits in the typo part while only an earlier version's invocations failed", () => {
    const earlierFailures = foldEvents([deployed, ...failedInvocation("a"), ...failedInvocation("b"), typoVersion].map((e) => at(e)));
    expect(evaluateCheck(typoCheck as CheckBlock, earlierFailures, 2000)).toMatchObject({ status: "waiting", why: expect.stringContaining("version 2 now, and 0 of its invocations failed") });
  });

  it("passes in the typo part once an invocation of the version deployed there failed", () => {
    const typoFailed = foldEvents([deployed, ...failedInvocation("a"), typoVersion, ...failedInvocation("c")].map((e) => at(e)));
    expect(evaluateCheck(typoCheck as CheckBlock, typoFailed, 2000).status).toBe("passed");
  });

  it("waits in the typo part when the invocation that failed was the playground's own handler's", () => {
    const ownHandler: FlowEventBody = { type: "function.deployed", version: 0, language: "nodejs" };
    const ownHandlerFailed = foldEvents([deployed, ownHandler, ...failedInvocation("d")].map((e) => at(e)));
    expect(evaluateCheck(typoCheck as CheckBlock, ownHandlerFailed, 2000).status).toBe("waiting");
  });

  it("says, while part 3's task waits, that the deployed version is failing and how often, not to press Run", () => {
    const created: FlowEventBody = { type: "task.created", taskId: 42, task: { ...task("pending"), id: 42 } };
    const failing = foldEvents([deployed, created, ...failedInvocation("e"), ...failedInvocation("f")].map((e) => at(e)));
    const why = evaluateCheck(completedChecks[0] as CheckBlock, failing, 2000).why;
    expect(why).toMatch(/^your version 1 is failing \(failed invocations so far: 2\)/);
    expect(why).not.toContain("press Run");
    const notYet = foldEvents([deployed, created].map((e) => at(e)));
    expect(evaluateCheck(completedChecks[0] as CheckBlock, notYet, 2000).why).toMatch(/^press Run above/);
  });
});

describe("lesson 1's stepped-task check", () => {
  const lesson = loadLessons(`${ROOT}lessons`, ROOT).find((l) => l.id === "the-whole-flow");
  const stepped = (lesson?.steps ?? []).flatMap((step) => step.parts).find((p): p is CheckBlock => p.kind === "check" && p.label === "the stepped task is completed");
  const created: FlowEventBody = { type: "task.created", taskId: 1, task: task("pending") };
  const completed: FlowEventBody = { type: "task.updated", taskId: 1, from: "processing", task: task("completed") };
  const pausedAtUpdate: FlowEventBody = { type: "step.paused", pauseId: 1, step: "update", stepNumber: 5, taskId: 1, messageIds: ["m1"], detail: "" };

  it("passes for a task that step mode held before its update", () => {
    expect(evaluateCheck(stepped as CheckBlock, foldEvents([created, pausedAtUpdate, completed].map((e) => at(e))), 2000).status).toBe("passed");
  });

  it("fails, naming the cause, for a task that ran through with step mode off (it passed before)", () => {
    const result = evaluateCheck(stepped as CheckBlock, foldEvents([created, completed].map((e) => at(e))), 2000);
    expect(result).toMatchObject({ status: "failed", why: expect.stringContaining("step mode was off") });
  });

  it("waits while the stepped task is still on its way", () => {
    expect(evaluateCheck(stepped as CheckBlock, foldEvents([created, pausedAtUpdate].map((e) => at(e))), 2000).status).toBe("waiting");
  });
});

describe("a check's words beside its ✓", () => {
  it("say what was measured, with the state's value, once it passes, and nothing is said while it waits", () => {
    const measured = check({ expect: "lastTask.status", passed: "task {lastTask.status} in the end" });
    expect(evaluateCheck(measured, withTask("completed"), 2000).why).toBe("task completed in the end");
    expect(evaluateCheck(measured, withTask("pending"), 2000).why).not.toContain("in the end");
  });
});

describe("lesson 16's 'one message, two records in one invocation'", () => {
  const lesson = loadLessons(`${ROOT}lessons`, ROOT).find((l) => l.id === "batch-traps");
  const twice = (lesson?.steps ?? []).flatMap((step) => step.parts).find((p): p is CheckBlock => p.kind === "check" && p.label === "one message, two records in one invocation");
  const invoked = (messageIds: string[]) => foldEvents([at({ type: "lambda.invoked", invocationId: "a", functionName: "f", messageIds, taskIds: messageIds.map(() => 1) })]);

  it("passes when the last invocation carried one message twice", () => {
    expect(twice).toBeDefined();
    expect(evaluateCheck(twice as CheckBlock, invoked(["m1", "m1"]), 2000).status).toBe("passed");
  });

  it("keeps waiting on two tasks posted into one window: two records, no message twice", () => {
    const result = evaluateCheck(twice as CheckBlock, invoked(["m1", "m2"]), 2000);
    expect(result.status).toBe("waiting");
    expect(result.why).toContain("the last invocation had 2 record(s), none of them a message twice");
  });
});

describe("lesson 19's long job, done from the terminal", () => {
  const lesson = loadLessons(`${ROOT}lessons`, ROOT).find((l) => l.id === "tuning-visibility-and-backoff");
  const deleted = (lesson?.steps ?? []).flatMap((step) => step.parts).find((p): p is CheckBlock => p.kind === "check" && p.label === "the job finished and deleted its message");
  const call = (caller: string, error: SqsCall["error"] = null): FlowEventBody => ({ type: "sqs.call", call: { caller, operation: "DeleteMessage", target: "AmazonSQS.DeleteMessage", request: {}, response: {}, error, durationMs: 1, messageIds: ["m1"] } });
  const messageDeleted: FlowEventBody = { type: "message.deleted", queue: "interview-queue", messageId: "m1", taskId: 1 };

  it("passes on the terminal's own DeleteMessage, not on a refused one", () => {
    expect(deleted).toBeDefined();
    expect(evaluateCheck(deleted as CheckBlock, foldEvents([at(call("other-client")), at(messageDeleted)]), 2000).status).toBe("passed");
    expect(evaluateCheck(deleted as CheckBlock, foldEvents([at(call("other-client", { code: "ReceiptHandleIsInvalid", message: "bad" }))]), 2000).status).toBe("waiting");
  });

  it("fails, saying why, when the trigger was left on and its handler took the message first", () => {
    const trigger = [at({ type: "lambda.invoked", invocationId: "a", functionName: "f", messageIds: ["m1"], taskIds: [1] }), at(call("lambda-trigger")), at(messageDeleted)];
    const result = evaluateCheck(deleted as CheckBlock, foldEvents(trigger), 2000);
    expect(result.status).toBe("failed");
    expect(result.why).toContain("the trigger was on and took the message first");
  });
});
