import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
let sdk: SQSClient | undefined;
afterEach(() => {
  sdk?.destroy();
  sdk = undefined;
});

/** A learner's SDK client, sending straight to the queue, past the API and its checks. */
function sqs(playground: TestPlayground): SQSClient {
  sdk = new SQSClient({ region: "us-east-1", endpoint: playground.sqsEndpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  return sdk;
}

const MAX_BODY = 1024 * 1024;
const BAD_BODIES: [string, string][] = [
  ["text that is not JSON", "this is not JSON"],
  ["a JSON list", '[{"task_id": 1, "title": "x"}]'],
  ["JSON null", "null"],
  ["a task_id that is a string", '{"task_id": "1", "title": "x"}'],
  ["a task_id that is not whole", '{"task_id": 1.5, "title": "x"}'],
  ["a negative task_id", '{"task_id": -1, "title": "x"}'],
  ["no task_id", '{"title": "x"}'],
  ["a title that is not a string", '{"task_id": 1, "title": 7}'],
  ["a task that does not exist", '{"task_id": 424242, "title": "ghost"}'],
  ["a body of almost 1 MiB that is not JSON", "x".repeat(MAX_BODY - 100)],
  ["a task message of almost 1 MiB for a missing task", JSON.stringify({ task_id: 424243, title: "y".repeat(MAX_BODY - 100) })],
];

describe("queue bodies the API would never send", () => {
  it("are each reported failed by the handler and moved to the DLQ; no task changes and the playground keeps working", { timeout: 60_000 }, async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    const kept = (await (await playground.post("/tasks", { title: "kept as it is" })).json()) as { id: number };
    await playground.waitForEvent(isType("task.updated", (e) => e.task.id === kept.id && e.task.status === "completed"));
    const tasksBefore = playground.store.list();

    const client = sqs(playground);
    const sent = await Promise.all(BAD_BODIES.map(([, body]) => client.send(new SendMessageCommand({ QueueUrl: playground.queues.queueUrl, MessageBody: body }))));
    const ids = sent.map((s) => s.MessageId ?? "");
    await Promise.all(ids.map((id) => playground.waitForEvent(isType("message.dead-lettered", (e) => e.messageId === id), 45_000)));

    const events = playground.events.recent();
    for (const [index, id] of ids.entries()) {
      const name = BAD_BODIES[index]?.[0];
      const reported = events.filter(isType("lambda.completed", (e) => e.failedMessageIds.includes(id)));
      expect(reported.length, `${name}: reported in batchItemFailures on every receive`).toBe(3);
      expect(events.some(isType("message.deleted", (e) => e.messageId === id)), `${name}: never deleted as done`).toBe(false);
    }
    expect(playground.store.list()).toEqual(tasksBefore);
    const dlq = playground.snapshot().queues.find((q) => q.name === "interview-queue-dlq");
    expect(dlq?.messages.map((m) => m.messageId).sort()).toEqual([...ids].sort());

    const after = (await (await playground.post("/tasks", { title: "still working" })).json()) as { id: number };
    await playground.waitForEvent(isType("task.updated", (e) => e.task.id === after.id && e.task.status === "completed"));
  });

  it("says why, in the failed invocation, when the handler must throw (without ReportBatchItemFailures)", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1", REPORT_BATCH_ITEM_FAILURES: "false" });
    const { MessageId } = await sqs(playground).send(new SendMessageCommand({ QueueUrl: playground.queues.queueUrl, MessageBody: "z".repeat(MAX_BODY - 100) }));
    const failed = await playground.waitForEvent(isType("lambda.failed", (e) => e.messageIds.includes(MessageId ?? "")));
    expect(failed.error).toBe("unreadable message: body is not JSON");
    await playground.waitForEvent(isType("message.dead-lettered", (e) => e.messageId === MessageId), 20_000);
  });

  it("refuses a body over 1 MiB at SendMessage, as SQS does, and nothing reaches the queue", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const seq = playground.events.lastSeq;
    const sending = sqs(playground).send(new SendMessageCommand({ QueueUrl: playground.queues.queueUrl, MessageBody: "x".repeat(MAX_BODY + 1) }));
    await expect(sending).rejects.toThrow(/Message must be shorter than 1048576 bytes/);
    expect(playground.events.recent().filter((e) => e.seq > seq && e.type === "message.sent")).toEqual([]);
    expect(playground.snapshot().queues.every((q) => q.messages.length === 0)).toBe(true);
  });
});
