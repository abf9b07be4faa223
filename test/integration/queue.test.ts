import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { foldEvents, messageStateAt } from "../../common/state.js";
import { TaskQueue } from "../../server/queue/taskQueue.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const run = promisify(execFile);
const playgrounds = playgroundPerTest();
let sdk: SQSClient | undefined;

afterEach(async () => {
  sdk?.destroy();
  sdk = undefined;
});

/** An SDK client as a learner would make one: endpoint in code, the original localhost queue URL. */
function learnerClient(p: TestPlayground): { client: SQSClient; queueUrl: string } {
  const port = new URL(p.sqsEndpoint).port;
  const client = new SQSClient({ region: "us-east-1", endpoint: `http://localhost:${port}`, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  return { client, queueUrl: `http://localhost:${port}/000000000000/interview-queue` };
}

describe("the embedded SQS", () => {
  it("gives queues the original LocalStack URL form and answers GetQueueUrl with it", async () => {
    const playground = await playgrounds.start();
    const { client, queueUrl } = learnerClient(playground);
    sdk = client;
    expect(playground.queues.queueUrl).toBe(queueUrl);
    const found = await client.send(new GetQueueUrlCommand({ QueueName: "interview-queue" }));
    expect(found.QueueUrl).toBe(queueUrl);
  });

  it("provisions idempotently: a re-run finds the same queues and brings changed attributes back in line", async () => {
    const playground = await playgrounds.start();
    const settings = { queueName: "interview-queue", deadLetterQueueName: "interview-queue-dlq", maxReceiveCount: 3 };
    const again = new TaskQueue({ endpoint: playground.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } }, { ...settings, visibilityTimeoutSeconds: 7 });
    try {
      expect(await again.provision()).toEqual(playground.queues);
      const { client, queueUrl } = learnerClient(playground);
      sdk = client;
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["VisibilityTimeout", "RedrivePolicy"] }));
      expect(Attributes?.VisibilityTimeout).toBe("7");
      expect(JSON.parse(Attributes?.RedrivePolicy ?? "{}")).toEqual({ deadLetterTargetArn: playground.queues.deadLetterQueueArn, maxReceiveCount: 3 });
    } finally {
      again.destroy();
    }
  });

  it("accepts the original queue URL from the SDK and from curl, and the trigger processes what they send", async () => {
    const playground = await playgrounds.start();
    const { client, queueUrl } = learnerClient(playground);
    sdk = client;
    const task = (await (await playground.post("/tasks", { title: "via sdk" })).json()) as Task;
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "completed"));

    // A duplicate of the task's message, sent by hand: acknowledged without redoing the work.
    const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ task_id: task.id, title: task.title }) }));
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === sent.MessageId));

    const { stdout } = await run("curl", [
      "-sS", "-X", "POST", `${new URL(queueUrl).origin}/`,
      "-H", "Content-Type: application/x-amz-json-1.0",
      "-H", "X-Amz-Target: AmazonSQS.SendMessage",
      "-d", JSON.stringify({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ task_id: task.id, title: task.title }) }),
    ]);
    const { MessageId } = JSON.parse(stdout) as { MessageId: string };
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === MessageId));
    expect(playground.store.get(task.id)).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("speaks the query protocol older CLIs use: form-encoded in, XML out, errors with the legacy code", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const { queueUrl } = learnerClient(playground);
    const form = (params: Record<string, string>) =>
      fetch(`${new URL(queueUrl).origin}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body: new URLSearchParams({ Version: "2012-11-05", ...params }) });

    const sent = await form({ Action: "SendMessage", QueueUrl: queueUrl, MessageBody: "a & b" });
    expect(sent.status).toBe(200);
    const xml = await sent.text();
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(xml)?.[1];
    expect(xml).toMatch(/^(<\?xml version="1.0"\?>)?<SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult>/);
    expect(playground.snapshot().queues[0]?.messages.map((m) => [m.messageId, m.body])).toEqual([[messageId, "a & b"]]);

    const missing = await form({ Action: "GetQueueUrl", QueueName: "nope" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/<Code>AWS.SimpleQueueService.NonExistentQueue<\/Code>/);
  });

  it("announces a delayed message, and inspection and the fold agree it is delayed, then visible", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const { client, queueUrl } = learnerClient(playground);
    sdk = client;
    const before = Date.now();
    const { MessageId } = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "later", DelaySeconds: 2 }));
    const delayed = await playground.waitForEvent(isType("message.delayed", (e) => e.messageId === MessageId));
    expect(delayed.visibleAt).toBeGreaterThanOrEqual(before + 2000);
    const inspected = playground.snapshot().queues[0]?.messages.find((m) => m.messageId === MessageId);
    expect(inspected?.state).toBe("delayed");
    const folded = foldEvents(playground.events.recent()).messages[MessageId ?? ""];
    expect(folded && messageStateAt(folded, Date.now())).toBe("delayed");
    expect(folded && messageStateAt(folded, delayed.visibleAt)).toBe("visible");
  });

  it("retries a malformed message and moves it to the dead-letter queue after 3 receives", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    const { client, queueUrl } = learnerClient(playground);
    sdk = client;
    const { MessageId } = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "this is not JSON" }));

    const moved = await playground.waitForEvent(isType("message.dead-lettered", (e) => e.messageId === MessageId));
    expect(moved).toMatchObject({ queue: "interview-queue", deadLetterQueue: "interview-queue-dlq", receiveCount: 3, taskId: null });
    const receives = playground.events.recent().filter(isType("message.received", (e) => e.messageId === MessageId));
    expect(receives.map((e) => e.receiveCount)).toEqual([1, 2, 3]);
    const returns = playground.events.recent().filter(isType("message.visible-again", (e) => e.messageId === MessageId));
    expect(returns.map((e) => e.receiveCount)).toEqual([1, 2, 3]);
    expect(playground.events.recent().some(isType("message.deleted", (e) => e.messageId === MessageId))).toBe(false);

    const dlq = playground.snapshot().queues.find((q) => q.name === "interview-queue-dlq");
    expect(dlq?.messages.map((m) => m.messageId)).toEqual([MessageId]);
    expect(dlq?.messages[0]?.body).toBe("this is not JSON");
  });

  it("marks a task failed when its message is dead-lettered after every attempt failed", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    playground.controls.setFaults({ failRate: 1 });
    const task = (await (await playground.post("/tasks", { title: "always fails" })).json()) as Task;
    const failed = await playground.waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "failed"));
    expect(failed.task.lastError).toMatch(/moved to interview-queue-dlq after 3 receives/);
    expect(failed.task.attempts).toBe(3);
    const receives = playground.events.recent().filter(isType("message.received", (e) => e.messageId === task.messageId));
    expect(receives.map((e) => e.receiveCount)).toEqual([1, 2, 3]);
  });

  it("records a failed send on the task (202) and the reconciler sends it once SQS is back", async () => {
    const playground = await playgrounds.start();
    playground.backend.setSqsUnavailable(true);
    const response = await playground.post("/tasks", { title: "while SQS is down" });
    expect(response.status).toBe(202);
    const task = (await response.json()) as Task;
    expect(task).toMatchObject({ status: "pending", messageId: null });
    expect(task.sendError).toMatch(/ServiceUnavailable/);

    playground.backend.setSqsUnavailable(false);
    // Completed, and its send recorded: the trigger may complete the task before the API has
    // recorded the message id (each change is reported as it left the task), so wait for both.
    const done = await playground.waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "completed" && e.task.messageId !== null));
    expect(done.task.sendError).toBeNull();
    expect(((await (await playground.get(`/tasks/${task.id}`)).json()) as Task)).toMatchObject({ status: "completed", sendError: null, messageId: done.task.messageId });
  });
});
