// The trigger's in-process queue client (server/backends/engineQueue.ts) against the real engine,
// side by side with the SDK client it replaces: same messages, same errors, same wire record.
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FlowEvent, SqsCall } from "../../common/events.js";
import { EventLog } from "../../server/events/eventLog.js";
import { EngineQueue } from "../../server/backends/engineQueue.js";
import { startEmbeddedSqs } from "../../server/backends/embeddedSqs.js";
import type { EmbeddedEngine } from "../../server/sqs/embedded.js";
import { QueueError, TaskQueue, type QueueAddresses } from "../../server/queue/taskQueue.js";

const settings = { queueName: "engine-queue", deadLetterQueueName: "engine-queue-dlq", visibilityTimeoutSeconds: 30, maxReceiveCount: 5 };

describe("the trigger's in-process queue client", () => {
  let sqs: EmbeddedEngine;
  let log: EventLog;
  let sdkQueue: TaskQueue;
  let client: SQSClient;
  let queues: QueueAddresses;
  let engineQueue: EngineQueue;

  beforeEach(async () => {
    log = new EventLog(1000);
    sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, region: "us-east-1", publish: log.publish });
    const connection = { endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
    sdkQueue = new TaskQueue(connection, settings);
    queues = await sdkQueue.provision();
    client = new SQSClient(connection);
    engineQueue = new EngineQueue(sqs, settings, queues);
  });

  afterEach(async () => {
    sdkQueue.destroy();
    client.destroy();
    await sqs.stop();
  });

  const sendWithAttributes = () =>
    client.send(
      new SendMessageCommand({
        QueueUrl: queues.queueUrl,
        MessageBody: '{"task_id": 1, "title": "t"}',
        MessageAttributes: { kind: { DataType: "String", StringValue: "order" }, blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 250]) } },
      }),
    );

  it("receives a message as the SDK hands it over: attributes, binary values as bytes, the same MD5s", async () => {
    await sendWithAttributes();
    const [viaEngine] = await engineQueue.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(viaEngine?.Body).toBe('{"task_id": 1, "title": "t"}');
    expect(viaEngine?.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(viaEngine?.MessageAttributes?.kind).toEqual({ DataType: "String", StringValue: "order" });
    expect(Buffer.from(viaEngine?.MessageAttributes?.blob?.BinaryValue ?? [])).toEqual(Buffer.from([1, 2, 250]));

    // The same message received again by the SDK (made visible at once) carries the same fields.
    await engineQueue.changeVisibilityBatch([{ id: "0", receiptHandle: viaEngine?.ReceiptHandle ?? "" }], 0);
    const [viaSdk] = (await client.send(new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }))).Messages ?? [];
    expect(viaSdk?.MessageId).toBe(viaEngine?.MessageId);
    expect(viaSdk?.MD5OfMessageAttributes).toBe(viaEngine?.MD5OfMessageAttributes);
    expect(viaSdk?.MD5OfBody).toBe(viaEngine?.MD5OfBody);
    expect(Object.keys(viaSdk?.Attributes ?? {}).sort()).toEqual(Object.keys(viaEngine?.Attributes ?? {}).sort());
  });

  it("deletes by receipt, reporting a refused entry with SQS's reason instead of rejecting", async () => {
    await sendWithAttributes();
    const [message] = await engineQueue.receive({ maxMessages: 10, waitSeconds: 0 });
    const failed = await engineQueue.deleteBatch([
      { id: "0", receiptHandle: message?.ReceiptHandle ?? "" },
      { id: "1", receiptHandle: "not-a-receipt" },
    ]);
    expect(failed).toEqual([{ id: "1", reason: expect.stringMatching(/ReceiptHandleIsInvalid/) }]);
    expect(sqs.inspect(settings.queueName)?.messages).toHaveLength(0);
  });

  it("names SQS's errors as the SDK does, and fails while SQS is made unavailable", async () => {
    const missing = `${sqs.endpoint}/000000000000/no-such-queue`;
    const gone = new EngineQueue(sqs, settings, { ...queues, queueUrl: missing });
    const sdkName = await client.send(new ReceiveMessageCommand({ QueueUrl: missing })).then(() => "answered", (error: Error) => error.name);
    const codeOf = (promise: Promise<unknown>) => promise.then(() => "answered", (error: unknown) => (error instanceof QueueError ? error.code : String(error)));
    expect(sdkName).toBe("QueueDoesNotExist");
    expect(await codeOf(gone.receive({ maxMessages: 1, waitSeconds: 0 }))).toBe(sdkName);
    sqs.setUnavailable(true);
    expect(await codeOf(engineQueue.receive({ maxMessages: 1, waitSeconds: 0 }))).toBe("ServiceUnavailable");
    sqs.setUnavailable(false);
    expect(await codeOf(engineQueue.receive({ maxMessages: 1, waitSeconds: 0 }))).toBe("answered");
  });

  it("ends a long poll when its signal aborts: an AbortError, and no message taken in flight", async () => {
    const stop = new AbortController();
    const polling = engineQueue.receive({ maxMessages: 10, waitSeconds: 20, signal: stop.signal });
    stop.abort();
    await expect(polling).rejects.toMatchObject({ name: "AbortError" });
    await sendWithAttributes();
    expect(sqs.inspect(settings.queueName)?.messages.map((m) => m.state)).toEqual(["visible"]);
    await expect(engineQueue.receive({ maxMessages: 10, waitSeconds: 0, signal: stop.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(sqs.inspect(settings.queueName)?.messages.map((m) => m.state)).toEqual(["visible"]);
  });

  it("is answered by a long poll as soon as a message arrives", async () => {
    const polling = engineQueue.receive({ maxMessages: 10, waitSeconds: 20 });
    const { MessageId } = await sendWithAttributes();
    expect((await polling).map((m) => m.MessageId)).toEqual([MessageId]);
  });

  it("is not held by the journal's fsync, which a reply on the port waits for", async () => {
    // A disk whose fsync never ends: SendMessage over HTTP waits for it (acknowledged = on disk);
    // the trigger's receive and delete, which acknowledge nothing, do not.
    const { engine } = sqs;
    engine.durability = { record: () => {}, committed: () => new Promise<void>(() => {}) } as unknown as typeof engine.durability;
    const sending = sendWithAttributes().then(() => "sent", () => "failed");
    const answered = await Promise.race([sending, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 300))]);
    expect(answered).toBe("still waiting");
    const [message] = await engineQueue.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(await engineQueue.deleteBatch([{ id: "0", receiptHandle: message?.ReceiptHandle ?? "" }])).toEqual([]);
    engine.durability = undefined;
  });

  it("puts each call on the wire inspector as the trigger's, with the messages it concerned", async () => {
    const { MessageId } = await sendWithAttributes();
    const [message] = await engineQueue.receive({ maxMessages: 10, waitSeconds: 0 });
    await engineQueue.deleteBatch([{ id: "0", receiptHandle: message?.ReceiptHandle ?? "" }]);
    const calls = log.recent().flatMap((e: FlowEvent) => (e.type === "sqs.call" ? [e.call as SqsCall] : []));
    const trigger = calls.filter((c) => c.caller === "lambda-trigger");
    expect(trigger.map((c) => [c.target, c.messageIds])).toEqual([
      ["AmazonSQS.ReceiveMessage", [MessageId]],
      ["AmazonSQS.DeleteMessageBatch", [MessageId]],
    ]);
    expect(trigger[0]?.request).toMatchObject({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] });
  });
});
