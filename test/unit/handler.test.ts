import type { Context, SQSEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandler } from "../../lambda/handler.js";
import { LowdbTaskStore } from "../../server/store/lowdbTaskStore.js";
import { buildSqsEvent } from "../../server/trigger/sqsEvent.js";
import { createLambdaContext } from "../../server/trigger/lambdaContext.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";

let dataDir: string;
let store: LowdbTaskStore;
const fn = { functionName: "process-task", region: "us-east-1", accountId: "000000000000", timeoutMs: 3000, memoryMb: 128 };
const source = { queueArn: "arn:aws:sqs:us-east-1:000000000000:interview-queue", region: "us-east-1" };
const noWait = async () => {};

const eventOf = (...bodies: { id: string; body: string }[]): SQSEvent =>
  buildSqsEvent(
    bodies.map(({ id, body }) => ({ MessageId: id, ReceiptHandle: `r-${id}`, Body: body, Attributes: { ApproximateReceiveCount: "1" } })),
    source,
  );
const context = (): Context => createLambdaContext(fn, Date.now);

/** A task, its message body, and a handler that counts each time the work is really done. */
async function countingWork(title: string) {
  const task = await store.create(title);
  const counter = { work: 0 };
  const handler = createHandler({ store, workMs: 0, sleep: async () => void counter.work++ });
  return { task, counter, handler, body: JSON.stringify({ task_id: task.id, title: task.title }) };
}

beforeEach(async () => {
  dataDir = await makeDataDir();
  store = await LowdbTaskStore.open({ dataDir });
});
afterEach(async () => {
  await store.flush();
  await removeDataDir(dataDir);
});

describe("the task handler", () => {
  it("marks the task processing, then completed, and reports no failures", async () => {
    const task = await store.create("Test Task");
    const statuses: string[] = [];
    const handler = createHandler({ store, workMs: 0, sleep: async () => void statuses.push(store.get(task.id)!.status) });
    const result = await handler(eventOf({ id: "m1", body: JSON.stringify({ task_id: task.id, title: task.title }) }), context());
    expect(result).toEqual({ batchItemFailures: [] });
    expect(statuses).toEqual(["processing"]);
    expect(store.get(task.id)).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("acknowledges a redelivered message for a completed task without redoing the work", async () => {
    const { task, counter, handler, body } = await countingWork("once");
    await handler(eventOf({ id: "m1", body }), context());
    const again = await handler(eventOf({ id: "m1", body }), context());
    expect(again).toEqual({ batchItemFailures: [] });
    expect(counter.work).toBe(1);
    expect(store.get(task.id)).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("does the work once when the same task arrives twice in one batch, and acknowledges the duplicate", async () => {
    const { task, counter, handler, body } = await countingWork("twice in a batch");
    const result = await handler(eventOf({ id: "m1", body }, { id: "m2", body }), context());
    expect(counter.work).toBe(1);
    expect(result.batchItemFailures).toEqual([]);
    expect(store.get(task.id)?.status).toBe("completed");
  });

  it.each([
    ["not JSON", "hello"],
    ["not an object", "[1,2]"],
    ["without task_id", '{"title":"x"}'],
    ["with a task that does not exist", '{"task_id": 999, "title":"ghost"}'],
  ])("reports a poison message (%s) in batchItemFailures and still completes the good one", async (_name, poison) => {
    const task = await store.create("good");
    const handler = createHandler({ store, workMs: 0, sleep: noWait });
    const result = await handler(eventOf({ id: "good", body: JSON.stringify({ task_id: task.id, title: "good" }) }, { id: "bad", body: poison }), context());
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "bad" }]);
    expect(store.get(task.id)?.status).toBe("completed");
  });

  it("gives the task back as pending with the error when the work throws", async () => {
    const task = await store.create("fragile");
    const handler = createHandler({ store, workMs: 0, sleep: async () => Promise.reject(new Error("disk on fire")) });
    const result = await handler(eventOf({ id: "m1", body: JSON.stringify({ task_id: task.id, title: "fragile" }) }), context());
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(store.get(task.id)).toMatchObject({ status: "pending", lastError: "disk on fire", attempts: 1 });
  });

  it("does not complete a task after the function's time ran out", async () => {
    const task = await store.create("late");
    let now = 0;
    const handler = createHandler({ store, workMs: 0, sleep: async () => void (now += 4000) });
    const result = await handler(eventOf({ id: "m1", body: JSON.stringify({ task_id: task.id, title: "late" }) }), createLambdaContext(fn, () => now));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(store.get(task.id)?.status).toBe("pending");
  });

  it("starts no further record once the function's time has run out, as Lambda would have stopped it", async () => {
    const first = await store.create("in time");
    const second = await store.create("too late");
    let now = 0;
    const handler = createHandler({ store, workMs: 0, sleep: async () => void (now += 1000) });
    const event = eventOf(
      { id: "m1", body: JSON.stringify({ task_id: first.id, title: first.title }) },
      { id: "m2", body: JSON.stringify({ task_id: second.id, title: second.title }) },
    );
    const invocation = createLambdaContext({ ...fn, timeoutMs: 1000 }, () => now);
    await expect(handler(event, invocation)).rejects.toThrow(/ran out of time after 1 of 2 record/);
    expect(store.get(second.id)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("leaves a dead-lettered task failed when a late delivery of its message arrives, and asks for it back", async () => {
    const { task, counter, handler, body } = await countingWork("given up on");
    await store.markDeadLettered(task.id, "moved to the DLQ after 3 receives");
    const result = await handler(eventOf({ id: "late", body }), context());
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "late" }]);
    expect(counter.work).toBe(0);
    expect(store.get(task.id)).toMatchObject({ status: "failed", attempts: 0 });
  });

  it("tells onWorkDone once per task, however often its message arrives", async () => {
    const task = await store.create("counted");
    const done: number[] = [];
    const handler = createHandler({ store, workMs: 0, sleep: noWait, onWorkDone: (id) => void done.push(id) });
    const body = JSON.stringify({ task_id: task.id, title: task.title });
    await handler(eventOf({ id: "m1", body }, { id: "m2", body }), context());
    await handler(eventOf({ id: "m1", body }), context());
    expect(done).toEqual([task.id]);
  });
  it("crashes after crashAfter records' work: a redelivered batch does its new work, and a batch with none left finishes", async () => {
    const first = await store.create("done before the crash");
    const second = await store.create("not reached before the crash");
    const faults = { failRate: 0, delayMs: 0, timeout: false, crashAfter: 1 };
    const handler = createHandler({ store, workMs: 0, sleep: noWait, faults: () => faults });
    const batch = () => eventOf(...[first, second].map((t) => ({ id: `m${t.id}`, body: JSON.stringify({ task_id: t.id, title: t.title }) })));
    await expect(handler(batch(), context())).rejects.toThrow(/crashed after processing 1 record/);
    await expect(handler(batch(), context())).rejects.toThrow(/crashed after processing 1 record/);
    expect(await handler(batch(), context())).toEqual({ batchItemFailures: [] });
    expect([store.get(first.id), store.get(second.id)]).toMatchObject([{ status: "completed", attempts: 1 }, { status: "completed", attempts: 1 }]);
  });
});

describe("a record whose handling throws", () => {
  it("fails alone with ReportBatchItemFailures: the other records complete (a store that throws for one task, since the real one does not)", async () => {
    const good = await store.create("good");
    const bad = await store.create("bad");
    const throwing = Object.create(store) as LowdbTaskStore;
    throwing.claim = (taskId, ...rest) => (taskId === bad.id ? Promise.reject(new Error("the store is unreachable")) : store.claim(taskId, ...rest));
    const handler = createHandler({ store: throwing, workMs: 0, sleep: noWait });
    const result = await handler(eventOf({ id: "m-bad", body: JSON.stringify({ task_id: bad.id, title: "bad" }) }, { id: "m-good", body: JSON.stringify({ task_id: good.id, title: "good" }) }), context());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "m-bad" }] });
    expect(store.get(good.id)?.status).toBe("completed");
  });
});
