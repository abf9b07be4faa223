// One test per rule of ../shared/docs/aws-semantics.md §2 (the Lambda SQS trigger), each against
// the real embedded SQS engine, named after the rule. Validation rules are checked in test/unit/mappingSettings,
// the scaling arithmetic in test/unit/scaler; here is what the running trigger does.
import type { SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import type { LambdaHandler } from "../../server/trigger/lambdaTrigger.js";
import { isType } from "../helpers/playground.js";
import { startTriggerHarness, type HarnessOptions, type TriggerHarness } from "../helpers/triggerHarness.js";

let harness: TriggerHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: HarnessOptions): Promise<TriggerHarness> {
  harness = await startTriggerHarness(options);
  return harness;
}

const ok: LambdaHandler = async () => ({ batchItemFailures: [] });
const deletedIds = (h: TriggerHarness) => h.events.recent().filter(isType("message.deleted")).map((e) => e.messageId);
const returnedIds = (h: TriggerHarness) => h.events.recent().filter(isType("message.visible-again")).map((e) => e.messageId);
/** Waits until each id has been deleted or has come back once (visibility timeout 1 s in the harness). */
const settled = (h: TriggerHarness, ids: string[]) =>
  Promise.all(ids.map((id) => h.waitFor((e: FlowEvent): e is FlowEvent => (e.type === "message.deleted" || e.type === "message.visible-again") && e.messageId === id)));

describe("aws-semantics §2: the Lambda SQS trigger", () => {
  it("invokes when the batching window expires, with what it gathered", async () => {
    const h = await start({ handler: ok, visibilityTimeoutSeconds: 30, settings: { BatchSize: 100, MaximumBatchingWindowInSeconds: 1 } });
    const ids = await h.send("a", "b", "c");
    h.trigger.start();
    const invoked = await h.waitFor(isType("lambda.invoked"));
    expect(invoked.messageIds.sort()).toEqual([...ids].sort());
  });

  it("invokes as soon as BatchSize is reached, without waiting out the window", async () => {
    const h = await start({ handler: ok, visibilityTimeoutSeconds: 30, settings: { BatchSize: 20, MaximumBatchingWindowInSeconds: 300 } });
    const ids = await h.send(...Array.from({ length: 25 }, (_, i) => `m${i}`));
    h.trigger.start();
    // A 300 s window would time this test out: only a full batch can trigger the invoke.
    const invoked = await h.waitFor(isType("lambda.invoked"));
    expect(invoked.messageIds).toHaveLength(20);
    expect(invoked.messageIds.every((id) => ids.includes(id))).toBe(true);
  });

  it("never lets a batch pass 6 MB: the message that would is kept for the next batch", async () => {
    const h = await start({ handler: ok, visibilityTimeoutSeconds: 30, settings: { BatchSize: 100, MaximumBatchingWindowInSeconds: 300 } });
    const megabyte = "x".repeat(1_000_000);
    await h.send(...Array.from({ length: 7 }, () => megabyte));
    h.trigger.start();
    const invoked = await h.waitFor(isType("lambda.invoked"));
    expect(invoked.messageIds).toHaveLength(6);
    expect(new Set(invoked.messageIds).size).toBe(6);
  });

  it("invokes once per batch and waits for the result before deleting", async () => {
    let release: () => void = () => {};
    const handler: LambdaHandler = async () => new Promise((resolve) => (release = () => resolve({ batchItemFailures: [] })));
    const h = await start({ handler, settings: { BatchSize: 10 } });
    const ids = await h.send("a", "b", "c");
    h.trigger.start();
    const invoked = await h.waitFor(isType("lambda.invoked"));
    expect(invoked.messageIds.sort()).toEqual([...ids].sort());
    await new Promise((r) => setTimeout(r, 200));
    expect(deletedIds(h)).toEqual([]);
    release();
    await settled(h, ids);
    expect(deletedIds(h).sort()).toEqual([...ids].sort());
    expect(h.invocations()).toHaveLength(1);
  });

  it("hands the handler the SQS event with every record's attributes as strings", async () => {
    let seen: SQSEvent | undefined;
    const h = await start({ handler: async (event) => void (seen = event), settings: { BatchSize: 1 } });
    const [id] = await h.send('{"task_id": 1, "title": "x"}');
    h.trigger.start();
    await h.waitFor(isType("message.deleted"));
    const record = seen?.Records[0];
    expect(record).toMatchObject({ messageId: id, body: '{"task_id": 1, "title": "x"}', eventSource: "aws:sqs", eventSourceARN: h.urls.queueArn, awsRegion: "us-east-1", messageAttributes: {} });
    expect(record?.attributes.ApproximateReceiveCount).toBe("1");
    expect(record?.attributes.SentTimestamp).toMatch(/^\d{13}$/);
    expect(record?.attributes.SenderId).toBe("000000000000");
  });

  it("deletes the whole batch on success", async () => {
    const h = await start({ handler: async () => undefined, settings: { BatchSize: 10 } });
    const ids = await h.send("a", "b", "c", "d");
    h.trigger.start();
    await settled(h, ids);
    expect(deletedIds(h).sort()).toEqual([...ids].sort());
  });

  it("deletes nothing when the handler throws: every message reappears after its visibility timeout", async () => {
    let calls = 0;
    const h = await start({ handler: async () => (++calls === 1 ? Promise.reject(new Error("boom")) : undefined), settings: { BatchSize: 10 } });
    const ids = await h.send("a", "b", "c");
    h.trigger.start();
    const failed = await h.waitFor(isType("lambda.failed"));
    expect(failed.error).toBe("boom");
    await settled(h, ids);
    expect(returnedIds(h).sort()).toEqual([...ids].sort());
    // …and they are delivered again, in a later batch: at least once.
    await Promise.all(ids.map((id) => h.waitFor(isType("message.deleted", (e) => e.messageId === id))));
  });

  it("deletes nothing when the handler runs past its timeout", async () => {
    const h = await start({ handler: () => new Promise(() => {}), timeoutMs: 300, settings: { BatchSize: 10 } });
    const ids = await h.send("a", "b");
    h.trigger.start();
    const failed = await h.waitFor(isType("lambda.failed"));
    expect(failed.error).toBe("Task timed out after 0.30 seconds");
    await settled(h, ids);
    expect(deletedIds(h)).toEqual([]);
    expect(returnedIds(h).sort()).toEqual([...ids].sort());
  });

  it("with ReportBatchItemFailures, deletes all but the messages listed in batchItemFailures", async () => {
    let failId = "";
    const h = await start({ handler: async () => ({ batchItemFailures: failId ? [{ itemIdentifier: failId }] : [] }), settings: { BatchSize: 10 } });
    const ids = await h.send("a", "b", "c");
    failId = ids[1] ?? "";
    h.trigger.start();
    await settled(h, ids);
    expect(deletedIds(h).sort()).toEqual([ids[0], ids[2]].sort());
    expect(returnedIds(h)).toEqual([ids[1]]);
  });

  it.each([
    ["an empty list", { batchItemFailures: [] }],
    ["a null list", { batchItemFailures: null }],
    ["null", null],
    ["{}", {}],
    ["a response without the batchItemFailures key (BatchItemFailures, capitalised)", { BatchItemFailures: [{ itemIdentifier: "any" }] }],
    ["a response without the batchItemFailures key (batchItemFailure)", { batchItemFailure: [] }],
  ])("treats %s as total success", async (_name, response) => {
    const h = await start({ handler: async () => response, settings: { BatchSize: 10 } });
    const ids = await h.send("a", "b");
    h.trigger.start();
    await settled(h, ids);
    expect(deletedIds(h).sort()).toEqual([...ids].sort());
  });

  it.each([
    ["an unknown itemIdentifier", { batchItemFailures: [{ itemIdentifier: "not-in-this-batch" }] }],
    ["an empty itemIdentifier", { batchItemFailures: [{ itemIdentifier: "" }] }],
    ["an entry without itemIdentifier", { batchItemFailures: [{ ItemIdentifier: "m" }] }],
  ])("fails the whole batch on %s", async (_name, response) => {
    const h = await start({ handler: async () => response, settings: { BatchSize: 10 } });
    const ids = await h.send("a", "b");
    h.trigger.start();
    await h.waitFor(isType("lambda.failed"));
    await settled(h, ids);
    expect(deletedIds(h)).toEqual([]);
  });

  it("fails the whole batch on a thrown error even with ReportBatchItemFailures", async () => {
    const h = await start({ handler: async () => Promise.reject(new Error("crash")), settings: { BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] } });
    const ids = await h.send("a", "b");
    h.trigger.start();
    await settled(h, ids);
    expect(deletedIds(h)).toEqual([]);
  });

  it("ignores the response without ReportBatchItemFailures: a returned failure list still deletes everything", async () => {
    let firstId = "";
    const h = await start({ handler: async () => ({ batchItemFailures: [{ itemIdentifier: firstId }] }), settings: { BatchSize: 10, FunctionResponseTypes: [] } });
    const ids = await h.send("a", "b");
    firstId = ids[0] ?? "";
    h.trigger.start();
    await settled(h, ids);
    expect(deletedIds(h).sort()).toEqual([...ids].sort());
  });

  it("leaves the DLQ to the queue: a message moves once its receive count would exceed maxReceiveCount", async () => {
    const h = await start({ handler: async () => Promise.reject(new Error("always")), maxReceiveCount: 2, settings: { BatchSize: 1 } });
    const [id] = await h.send("poison");
    h.trigger.start();
    const moved = await h.waitFor(isType("message.dead-lettered", (e) => e.messageId === id));
    expect(moved).toMatchObject({ queue: "q", deadLetterQueue: "q-dlq", receiveCount: 2 });
    expect(h.invocations()).toHaveLength(2);
  });

  it("starts at 5 concurrent batches and adds more while a backlog remains, up to MaximumConcurrency", async () => {
    const slow: LambdaHandler = () => new Promise((resolve) => setTimeout(() => resolve(undefined), 400));
    const h = await start({ handler: slow, visibilityTimeoutSeconds: 30, scalingSpeed: 20, settings: { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 12 } } });
    await h.send(...Array.from({ length: 150 }, (_, i) => `m${i}`));
    h.trigger.start();
    await h.waitFor(isType("lambda.concurrency", (e) => e.limit === 12));
    const limits = h.events.recent().filter(isType("lambda.concurrency")).map((e) => e.limit);
    expect(limits[0]).toBe(5);
    expect(Math.max(...limits)).toBe(12);
    expect(Math.max(...h.events.recent().filter(isType("lambda.concurrency")).map((e) => e.running))).toBeLessThanOrEqual(12);
    // Once drained, it scales back toward 5.
    await h.waitFor(isType("lambda.concurrency", (e) => e.limit === 5 && e.running === 0), 30_000);
  });

  it("backs off after function errors when ReportBatchItemFailures is off", async () => {
    const failing: LambdaHandler = () => new Promise((_, reject) => setTimeout(() => reject(new Error("down")), 50));
    const h = await start({ handler: failing, visibilityTimeoutSeconds: 30, scalingSpeed: 20, settings: { BatchSize: 1, FunctionResponseTypes: [] } });
    await h.send(...Array.from({ length: 40 }, (_, i) => `m${i}`));
    h.trigger.start();
    const reduced = await h.waitFor(isType("lambda.concurrency", (e) => e.limit < 5));
    expect(reduced.limit).toBeGreaterThanOrEqual(2);
  });
});
