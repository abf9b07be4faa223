// The event source mapping on a FIFO queue follows AWS's FIFO rules (aws-semantics.md §2, "FIFO
// source queues"): one `it` per rule, against the real engine. The trigger-level rules use the
// trigger harness with a recording handler; the settings and the handler's own rule use the whole
// playground over HTTP.
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowEvent, Task, TriggerView } from "../../common/events.js";
import { startTriggerHarness } from "../helpers/triggerHarness.js";
import { isType, playgroundPerTest } from "../helpers/playground.js";
import { FIFO_BATCH_SIZE, FIFO_NO_WINDOW } from "../../server/trigger/mappingSettings.js";

type Harness = Awaited<ReturnType<typeof startTriggerHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const groupOf = (record: SQSRecord) => record.attributes.MessageGroupId ?? "";

/** A handler that records every batch it gets and how many batches of each group run at once. */
function recordingHandler(options: { workMs?: number; fail?: (record: SQSRecord) => boolean } = {}) {
  const batches: SQSRecord[][] = [];
  const running = new Map<string, number>();
  const most = { perGroup: 0, atOnce: 0 };
  let atOnce = 0;
  const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    batches.push(event.Records);
    const groups = [...new Set(event.Records.map(groupOf))];
    atOnce += 1;
    most.atOnce = Math.max(most.atOnce, atOnce);
    for (const g of groups) {
      running.set(g, (running.get(g) ?? 0) + 1);
      most.perGroup = Math.max(most.perGroup, running.get(g) ?? 0);
    }
    await wait(options.workMs ?? 0);
    for (const g of groups) running.set(g, (running.get(g) ?? 1) - 1);
    atOnce -= 1;
    const first = event.Records.findIndex((r) => options.fail?.(r) ?? false);
    return { batchItemFailures: first < 0 ? [] : event.Records.slice(first).map((r) => ({ itemIdentifier: r.messageId })) };
  };
  const handled = () => batches.flat().map((r) => r.body);
  return { handler, batches, most, handled };
}

describe("the trigger on a FIFO queue", () => {
  it("delivers the records of one group in the order they were sent", { timeout: 30_000 }, async () => {
    const recorder = recordingHandler();
    harness = await startTriggerHarness({ fifo: true, handler: recorder.handler, settings: { BatchSize: 3 } });
    const bodies = Array.from({ length: 8 }, (_, i) => `a${i + 1}`);
    await harness.sendToGroup("A", ...bodies);
    harness.trigger.start();
    await expect.poll(() => recorder.handled().length, { timeout: 20_000 }).toBe(8);
    expect(recorder.handled()).toEqual(bodies);
  });

  it("keeps at most one batch of a group in flight at a time", { timeout: 30_000 }, async () => {
    const recorder = recordingHandler({ workMs: 50 });
    harness = await startTriggerHarness({ fifo: true, handler: recorder.handler, settings: { BatchSize: 2 } });
    for (const group of ["A", "B", "C"]) await harness.sendToGroup(group, `${group}1`, `${group}2`, `${group}3`, `${group}4`);
    harness.trigger.start();
    await expect.poll(() => recorder.handled().length, { timeout: 20_000 }).toBe(12);
    expect(recorder.most.perGroup).toBe(1);
  });

  it("gives each invocation the records of one group only", { timeout: 30_000 }, async () => {
    const recorder = recordingHandler();
    harness = await startTriggerHarness({ fifo: true, handler: recorder.handler });
    for (const group of ["A", "B", "C"]) await harness.sendToGroup(group, `${group}1`, `${group}2`);
    harness.trigger.start();
    await expect.poll(() => recorder.handled().length, { timeout: 20_000 }).toBe(6);
    for (const batch of recorder.batches) expect(new Set(batch.map(groupOf)).size).toBe(1);
  });

  it("runs as many batches at once as there are active groups", { timeout: 30_000 }, async () => {
    const recorder = recordingHandler({ workMs: 400 });
    harness = await startTriggerHarness({ fifo: true, handler: recorder.handler });
    for (const group of ["A", "B", "C", "D"]) await harness.sendToGroup(group, `${group}1`, `${group}2`);
    harness.trigger.start();
    await expect.poll(() => recorder.handled().length, { timeout: 20_000 }).toBe(8);
    expect(recorder.most.atOnce).toBe(4);
    const concurrency = harness.events.recent().filter(isType("lambda.concurrency"));
    expect(Math.max(...concurrency.map((e) => e.running))).toBe(4);
    expect(concurrency.every((e) => e.mapping === "fifo")).toBe(true);
  });

  it("lets a failing group block only itself while the other groups go on", { timeout: 30_000 }, async () => {
    const recorder = recordingHandler({ fail: (r) => r.body === "poison" });
    harness = await startTriggerHarness({ fifo: true, handler: recorder.handler, visibilityTimeoutSeconds: 1, maxReceiveCount: 2, settings: { BatchSize: 1 } });
    const [poison] = await harness.sendToGroup("A", "poison", "a2");
    await harness.sendToGroup("B", "b1", "b2", "b3");
    harness.trigger.start();
    await expect.poll(() => recorder.handled().filter((b) => b.startsWith("b")).length, { timeout: 20_000 }).toBe(3);
    // Group B finished while group A's next message waited behind its poison message.
    expect(recorder.handled()).not.toContain("a2");
    const deadLettered = await harness.waitFor(isType("message.dead-lettered", (e) => e.messageId === poison));
    await expect.poll(() => recorder.handled(), { timeout: 20_000 }).toContain("a2");
    // a2 came only once the poison message had left the group for the dead-letter queue.
    const a2Invoked = harness.invocations().find((e) => harness!.events.recent().some((m) => m.type === "message.received" && m.messageId === e.messageIds[0] && m.seq > deadLettered.seq));
    expect(a2Invoked).toBeDefined();
  });

  it("puts MessageGroupId, MessageDeduplicationId and SequenceNumber in each record's attributes, in AWS's order", { timeout: 30_000 }, async () => {
    const recorder = recordingHandler();
    harness = await startTriggerHarness({ fifo: true, handler: recorder.handler });
    await harness.sendToGroup("customer-7", "one", "two");
    harness.trigger.start();
    await expect.poll(() => recorder.handled().length, { timeout: 20_000 }).toBe(2);
    const [first, second] = recorder.batches.flat();
    expect(Object.keys(first?.attributes ?? {})).toEqual([
      "ApproximateReceiveCount",
      "SentTimestamp",
      "SequenceNumber",
      "MessageGroupId",
      "SenderId",
      "MessageDeduplicationId",
      "ApproximateFirstReceiveTimestamp",
    ]);
    expect(first?.attributes).toMatchObject({ MessageGroupId: "customer-7", MessageDeduplicationId: expect.stringMatching(/^[0-9a-f-]{36}$/), SequenceNumber: expect.stringMatching(/^\d{20}$/) });
    expect(BigInt(second?.attributes.SequenceNumber ?? "0")).toBeGreaterThan(BigInt(first?.attributes.SequenceNumber ?? "0"));
  });
});

describe("the FIFO mapping's settings and the handler (whole playground)", () => {
  const playgrounds = playgroundPerTest();

  it("refuses a BatchSize above 10 with Lambda's InvalidParameterValueException and keeps its settings", async () => {
    const p = await playgrounds.start();
    const refused = await p.send("PATCH", "/api/trigger/fifo", { BatchSize: 11 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "InvalidParameterValueException", message: FIFO_BATCH_SIZE } });
    expect(((await (await p.get("/api/trigger/fifo")).json()) as TriggerView).BatchSize).toBe(10);
  });

  it("refuses a batching window with Lambda's error text, while the standard queue's mapping still takes one", async () => {
    const p = await playgrounds.start();
    const refused = await p.send("PATCH", "/api/trigger/fifo", { MaximumBatchingWindowInSeconds: 1 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "InvalidParameterValueException", message: "Batching window is not supported for FIFO queues" } });
    expect(FIFO_NO_WINDOW).toBe("Batching window is not supported for FIFO queues");
    expect((await p.send("PATCH", "/api/trigger", { MaximumBatchingWindowInSeconds: 1 })).status).toBe(200);
    expect(((await (await p.get("/api/trigger/fifo")).json()) as TriggerView).MaximumBatchingWindowInSeconds).toBe(0);
  });

  it("marks a FIFO task failed once its message is moved to the FIFO dead-letter queue", { timeout: 30_000 }, async () => {
    const p = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "2", FUNCTION_TIMEOUT_SECONDS: "1", MAX_RECEIVE_COUNT: "2" });
    expect((await p.send("PUT", "/api/faults", { failRate: 1 })).status).toBe(200);
    const task = (await (await p.post("/tasks", { title: "always fails", queue: "fifo", messageGroupId: "g" })).json()) as Task;
    await p.waitForEvent(isType("message.dead-lettered", (e) => e.taskId === task.id && e.deadLetterQueue === "interview-queue-dlq.fifo"), 20_000);
    await expect.poll(() => p.store.get(task.id)?.status, { timeout: 10_000 }).toBe("failed");
  });

  it("with ReportBatchItemFailures, the handler stops at a group's first failure and reports it and every later record", { timeout: 30_000 }, async () => {
    const p = await playgrounds.start();
    expect((await p.send("PATCH", "/api/trigger/fifo", { Enabled: false })).status).toBe(200);
    await p.waitForEvent(isType("trigger.state", (e) => e.mapping === "fifo" && e.state === "disabled"));
    const fifoTask = async (title: string) => (await (await p.post("/tasks", { title, queue: "fifo", messageGroupId: "g" })).json()) as Task;
    const before = await fifoTask("before the poison");
    // A message for a task that does not exist: the handler fails it.
    const sqs = new SQSClient({ endpoint: p.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
    const poison = await sqs.send(new SendMessageCommand({ QueueUrl: p.backend.fifo.queues.queueUrl, MessageBody: '{"task_id": 999999, "title": "poison"}', MessageGroupId: "g", MessageDeduplicationId: "poison" }));
    sqs.destroy();
    const after = await fifoTask("after the poison");
    expect((await p.send("PATCH", "/api/trigger/fifo", { Enabled: true })).status).toBe(200);

    const invoked = await p.waitForEvent(isType("lambda.invoked", (e) => e.messageIds.includes(poison.MessageId ?? "")));
    expect(invoked.messageIds).toEqual([before.messageId, poison.MessageId, after.messageId]);
    const completed = (await p.waitForEvent((e: FlowEvent) => e.type === "lambda.completed" && e.invocationId === invoked.invocationId)) as Extract<FlowEvent, { type: "lambda.completed" }>;
    expect(completed.failedMessageIds).toEqual([poison.MessageId, after.messageId]);
    expect(p.store.get(before.id)?.status).toBe("completed");
    // The record after the failure was not even attempted in that invocation.
    expect(p.store.get(after.id)?.attempts).toBe(0);
  });
});
