import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EventLog } from "../../server/events/eventLog.js";
import { startEmbeddedSqs } from "../../server/backends/embeddedSqs.js";
import type { EmbeddedSqs } from "../../server/sqs/embedded.js";
import { TaskQueue, type QueueAddresses } from "../../server/queue/taskQueue.js";

// The clock is stubbed so that every reading is a millisecond later, as in a process stalled
// half-way through a batch: one receive must still give its messages one deadline.
describe("the embedded SQS's visibility timeout", () => {
  let sqs: EmbeddedSqs;
  let queue: TaskQueue;
  let queues: QueueAddresses;
  let client: SQSClient;

  beforeEach(async () => {
    sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, region: "us-east-1", publish: new EventLog(100).publish });
    const connection = { endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
    queue = new TaskQueue(connection, { queueName: "together", deadLetterQueueName: "together-dlq", visibilityTimeoutSeconds: 5, maxReceiveCount: 10 });
    queues = await queue.provision();
    client = new SQSClient(connection);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    queue.destroy();
    client.destroy();
    await sqs.stop();
  });

  const receiveTen = async () => (await client.send(new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))).Messages ?? [];

  it("makes the messages of one receive visible again at the same instant, so they come back as one batch", async () => {
    for (let i = 0; i < 10; i++) await queue.send(`message ${i}`);
    let now = Date.now();
    vi.spyOn(Date, "now").mockImplementation(() => now++);
    expect(await receiveTen()).toHaveLength(10);

    const deadlines = new Set(sqs.inspect("together")?.messages.map((m) => m.visibleAt));
    expect(deadlines.size).toBe(1);
    // The first moment any of them is visible again: all ten are.
    const [deadline] = [...deadlines];
    vi.spyOn(Date, "now").mockImplementation(() => deadline ?? 0);
    expect(await receiveTen()).toHaveLength(10);
  });
});
