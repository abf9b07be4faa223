// The FIFO queue beside the standard one (issue #17, "FIFO queues"): provisioned at start with its
// FIFO dead-letter queue, re-created by reset, and POST /tasks with "queue": "fifo" and a message
// group. Real server, real engine, real lowdb, real HTTP.
import { DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueueView, Task } from "../../common/events.js";
import { removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

let p: TestPlayground;
let sqs: SQSClient;
beforeAll(async () => {
  p = await startTestPlayground();
  sqs = new SQSClient({ endpoint: p.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
});
afterAll(async () => {
  sqs.destroy();
  await p.stop();
  await removeDataDir(p.dataDir);
});

const attributesOf = async (QueueName: string) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName }));
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
};
const taskOf = async (response: Response) => (await response.json()) as Task;
const fifoTask = (title: string, extra: Record<string, unknown> = {}) => p.post("/tasks", { title, queue: "fifo", messageGroupId: "customer-1", ...extra });

describe("the FIFO queue", () => {
  it("is provisioned at start as interview-queue.fifo with a FIFO dead-letter queue and the same maxReceiveCount", async () => {
    const queue = await attributesOf("interview-queue.fifo");
    const dlq = await attributesOf("interview-queue-dlq.fifo");
    expect(queue.FifoQueue).toBe("true");
    expect(dlq.FifoQueue).toBe("true");
    expect(JSON.parse(queue.RedrivePolicy ?? "{}")).toEqual({ deadLetterTargetArn: dlq.QueueArn, maxReceiveCount: 3 });
    expect(queue.VisibilityTimeout).toBe("5");
  });

  it("is re-created by reset after someone deleted it", async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "interview-queue.fifo" }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    expect((await p.send("POST", "/api/reset")).status).toBe(200);
    expect((await attributesOf("interview-queue.fifo")).FifoQueue).toBe("true");
  });

  it("takes a task with a message group, and the task records its queue, group and deduplication id", { timeout: 20_000 }, async () => {
    const response = await fifoTask("ship order 1");
    expect(response.status).toBe(201);
    const task = await taskOf(response);
    expect(task).toMatchObject({ queue: "fifo", messageGroupId: "customer-1", deduplicationId: `task-${task.id}` });
    await expect.poll(async () => (await taskOf(await p.get(`/tasks/${task.id}`))).status, { timeout: 15_000 }).toBe("completed");
    const invoked = p.events.recent().find((e) => e.type === "lambda.invoked" && e.taskIds.includes(task.id));
    expect(invoked).toBeDefined();
  });

  it("lists the FIFO queue and its dead-letter queue in GET /api/queues", async () => {
    const names = ((await (await p.get("/api/queues")).json()) as QueueView[]).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(["interview-queue.fifo", "interview-queue-dlq.fifo"]));
  });

  it("drops a second task sent with the same deduplicationId within five minutes, and says so on that task", { timeout: 20_000 }, async () => {
    const first = await taskOf(await fifoTask("charge card", { deduplicationId: "order-42" }));
    const second = await taskOf(await fifoTask("charge card again", { deduplicationId: "order-42" }));
    expect(second).toMatchObject({ status: "failed", duplicateOf: first.id, messageId: first.messageId });
    expect(second.lastError).toContain("same MessageDeduplicationId");
    await expect.poll(async () => (await taskOf(await p.get(`/tasks/${first.id}`))).status, { timeout: 15_000 }).toBe("completed");
  });
});

describe("POST /tasks refuses bad FIFO input with a 400 and creates nothing", () => {
  const refusals: [string, Record<string, unknown>, string][] = [
    ["a FIFO task without messageGroupId", { title: "t", queue: "fifo" }, "messageGroupId is required"],
    ["a messageGroupId with a space", { title: "t", queue: "fifo", messageGroupId: "customer 1" }, "messageGroupId must be 1 to 128 characters"],
    ["a messageGroupId of 129 characters", { title: "t", queue: "fifo", messageGroupId: "g".repeat(129) }, "messageGroupId must be 1 to 128 characters"],
    ["an empty messageGroupId", { title: "t", queue: "fifo", messageGroupId: "" }, "messageGroupId must be 1 to 128 characters"],
    ["a deduplicationId with a non-ASCII letter", { title: "t", queue: "fifo", messageGroupId: "g", deduplicationId: "été" }, "deduplicationId must be 1 to 128 characters"],
    ["a messageGroupId on the standard queue", { title: "t", messageGroupId: "g" }, 'only go with "queue": "fifo"'],
    ["an unknown queue", { title: "t", queue: "priority", messageGroupId: "g" }, 'queue must be "standard" or "fifo"'],
  ];
  for (const [what, body, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const before = ((await (await p.get("/tasks")).json()) as Task[]).length;
      const response = await p.post("/tasks", body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "InvalidTask", message: expect.stringContaining(message) } });
      expect(((await (await p.get("/tasks")).json()) as Task[]).length).toBe(before);
    });
  }
});
