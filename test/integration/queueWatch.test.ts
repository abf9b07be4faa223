import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FlowEventBody } from "../../common/events.js";
import { EventLog } from "../../server/events/eventLog.js";
import { QueueWatch } from "../../server/backends/queueWatch.js";
import { startEmbeddedSqs } from "../../server/backends/embeddedSqs.js";
import type { EmbeddedSqs } from "../../server/sqs/embedded.js";
import { TaskQueue, type QueueAddresses } from "../../server/queue/taskQueue.js";

// The LocalStack queue watch, run here against the embedded SQS, which serves the same
// developer endpoint (/_aws/sqs/messages) LocalStack does. LocalStack itself cannot run here.
describe("the queue watch (LocalStack's /_aws/sqs/messages, served by the embedded SQS)", () => {
  let sqs: EmbeddedSqs;
  let queue: TaskQueue;
  let queues: QueueAddresses;
  let other: SQSClient;
  let events: FlowEventBody[];
  let watch: QueueWatch;
  /** The trigger's batching window (ms), or null while no trigger polls the queue. */
  let triggerWindowMs: number | null;
  /** Added to the watch's clock: how a test lets seconds pass without waiting for them. */
  let skewMs: number;

  beforeEach(async () => {
    sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, region: "us-east-1", publish: new EventLog(100).publish });
    const connection = { endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
    queue = new TaskQueue(connection, { queueName: "watch-queue", deadLetterQueueName: "watch-dlq", visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
    queues = await queue.provision();
    other = new SQSClient(connection);
    events = [];
    triggerWindowMs = null;
    skewMs = 0;
    watch = new QueueWatch({
      endpoint: sqs.endpoint,
      queue: { name: "watch-queue", url: queues.queueUrl },
      deadLetterQueue: { name: "watch-dlq", url: queues.deadLetterQueueUrl },
      publish: (event) => {
        events.push(event);
        return { ...event, seq: events.length, at: Date.now() };
      },
      visibilityTimeoutSeconds: () => 1,
      triggerWindowMs: () => triggerWindowMs,
      clock: () => Date.now() + skewMs,
    });
  });

  afterEach(async () => {
    queue.destroy();
    other.destroy();
    await sqs.stop();
  });

  const types = () => events.map((e) => e.type);
  const receive = async (VisibilityTimeout?: number) =>
    (await other.send(new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 1, ...(VisibilityTimeout ? { VisibilityTimeout } : {}) }))).Messages ?? [];
  const pollUntil = async (done: () => boolean) => {
    for (let i = 0; i < 100 && !done(); i++) {
      await watch.poll();
      if (!done()) await new Promise((r) => setTimeout(r, 100));
    }
    expect(done()).toBe(true);
  };

  it("lists messages like ReceiveMessage without receiving them, for curl and the SDK alike", async () => {
    const messageId = await queue.send(JSON.stringify({ task_id: 7, title: "look, don't touch" }));
    for (let i = 0; i < 3; i++) {
      const listed = await fetch(`${sqs.endpoint}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(queues.queueUrl)}&ShowInvisible=true`);
      const body = (await listed.json()) as { Messages: { MessageId: string; Attributes: Record<string, string> }[] };
      expect(body.Messages).toEqual([expect.objectContaining({ MessageId: messageId, Attributes: expect.objectContaining({ ApproximateReceiveCount: "0", IsVisible: "true" }) })]);
    }
    expect((await receive())[0]?.MessageId).toBe(messageId);
  });

  it("answers QueueDoesNotExist for an unknown queue", async () => {
    const response = await fetch(`${sqs.endpoint}/_aws/sqs/messages?QueueUrl=${encodeURIComponent("http://localhost:4566/000000000000/nope")}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: expect.stringContaining("QueueDoesNotExist") });
  });

  it("turns what it sees into sent, received by another client, visible again and deleted", async () => {
    const messageId = await queue.send(JSON.stringify({ task_id: 1, title: "watched" }));
    await pollUntil(() => types().includes("message.sent"));
    const [message] = await receive();
    await pollUntil(() => types().includes("message.received"));
    expect(events.find((e) => e.type === "message.received")).toMatchObject({ messageId, taskId: 1, receiveCount: 1, consumer: "other-client" });
    await pollUntil(() => types().includes("message.visible-again"));
    const [again] = await receive(30);
    expect(again?.MessageId).toBe(message?.MessageId);
    await pollUntil(() => types().filter((t) => t === "message.received").length === 2);
    await other.send(new DeleteMessageCommand({ QueueUrl: queues.queueUrl, ReceiptHandle: again?.ReceiptHandle ?? "" }));
    await pollUntil(() => types().includes("message.deleted"));
    expect(types()).toEqual(["message.sent", "message.received", "message.visible-again", "message.received", "message.deleted"]);
  });

  it("credits the trigger with a receive its invocation reported, and sees the move to the dead-letter queue", async () => {
    const messageId = await queue.send(JSON.stringify({ task_id: 2, title: "poison" }));
    watch.noteSent(messageId, JSON.stringify({ task_id: 2, title: "poison" }));
    await receive();
    watch.noteInvoked([messageId], [1]);
    expect(events.filter((e) => e.type === "message.received")).toEqual([expect.objectContaining({ consumer: "lambda-trigger", receiveCount: 1 })]);
    await new Promise((r) => setTimeout(r, 1100));
    await receive();
    await new Promise((r) => setTimeout(r, 1100));
    // The third receive finds the message past maxReceiveCount and moves it instead.
    await receive();
    await pollUntil(() => types().includes("message.dead-lettered"));
    expect(events.find((e) => e.type === "message.dead-lettered")).toMatchObject({ messageId, deadLetterQueue: "watch-dlq", taskId: 2 });
    expect(events.filter((e) => e.type === "message.sent")).toHaveLength(1);
    expect(watch.views()[1]?.messages.map((m) => m.messageId)).toEqual([messageId]);
  });

  describe("while the trigger polls the queue, a receive waits for the invocation that may report it", () => {
    const received = () => events.filter((e) => e.type === "message.received");
    /** A task's message sent by the API (as the watch hears of it) and received by someone, seen by one poll. */
    const sentAndReceived = async (taskId: number, visibilitySeconds: number) => {
      const body = JSON.stringify({ task_id: taskId, title: `task ${taskId}` });
      const messageId = await queue.send(body);
      watch.noteSent(messageId, body);
      const [message] = await receive(visibilitySeconds);
      await watch.poll();
      return { messageId, receiptHandle: message?.ReceiptHandle ?? "" };
    };

    it("credits the trigger when the report comes after a cold start of several seconds", async () => {
      triggerWindowMs = 0;
      const { messageId } = await sentAndReceived(3, 30);
      // Five seconds on: the old fixed wait of 1.5 s would have called it another client's by now.
      skewMs = 5_000;
      await watch.poll();
      expect(received()).toEqual([]);
      watch.noteInvoked([messageId], [1]);
      expect(received()).toEqual([expect.objectContaining({ messageId, consumer: "lambda-trigger", receiveCount: 1 })]);
    });

    it("calls it another client's once no invocation could still report it (window + Lambda's 10 s init limit)", async () => {
      triggerWindowMs = 2_000;
      const { messageId } = await sentAndReceived(4, 60);
      skewMs = 13_000;
      await watch.poll();
      expect(received()).toEqual([]);
      skewMs = 14_500;
      await watch.poll();
      expect(received()).toEqual([expect.objectContaining({ messageId, consumer: "other-client" })]);
      // A report that comes later still does not move it: the event log says what was known.
      watch.noteInvoked([messageId], [1]);
      expect(received()).toHaveLength(1);
    });

    it("calls it another client's as soon as the message is deleted with no report (a function reports before it works)", async () => {
      triggerWindowMs = 0;
      const { messageId, receiptHandle } = await sentAndReceived(5, 30);
      expect(received()).toEqual([]);
      await other.send(new DeleteMessageCommand({ QueueUrl: queues.queueUrl, ReceiptHandle: receiptHandle }));
      await pollUntil(() => types().includes("message.deleted"));
      expect(types().slice(-2)).toEqual(["message.received", "message.deleted"]);
      expect(received()).toEqual([expect.objectContaining({ messageId, consumer: "other-client" })]);
    });
  });
});
