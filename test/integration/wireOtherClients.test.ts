// The wire inspector records the SQS calls of clients other than the playground (a terminal's
// awslocal, a script), so a lesson can count a learner's empty receives instead of trusting them.
import { ChangeMessageVisibilityCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { callsFor, foldEvents } from "../../common/state.js";
import { LAB_SELECTORS } from "../../server/lessons/labSelectors.js";
import { WIRE_SELECTORS } from "../../server/lessons/wireSelectors.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const clients: SQSClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

/** An SQS client that is not the playground's: no playground User-Agent, as a terminal's. */
function otherClient(playground: TestPlayground): SQSClient {
  const client = new SQSClient({ endpoint: playground.backend.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  clients.push(client);
  return client;
}

const select = (playground: TestPlayground, name: string) => WIRE_SELECTORS[name]?.(foldEvents(playground.events.recent()), Date.now());

describe("other clients' SQS calls on the wire", () => {
  it("records a terminal's ReceiveMessage that found nothing as other-client's, and counts it as an empty receive", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const client = otherClient(playground);
    await client.send(new ReceiveMessageCommand({ QueueUrl: playground.queues.queueUrl, WaitTimeSeconds: 0 }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: playground.queues.queueUrl, WaitTimeSeconds: 0 }));
    const call = await playground.waitForEvent(isType("sqs.call", (e) => e.call.caller === "other-client" && e.call.operation === "ReceiveMessage"));
    expect(call.call).toMatchObject({ target: "AmazonSQS.ReceiveMessage", request: { QueueUrl: playground.queues.queueUrl, WaitTimeSeconds: 0 }, error: null, messageIds: [] });
    expect(select(playground, "wire.otherClientReceives")).toBe(2);
    expect(select(playground, "wire.otherClientEmptyReceives")).toBe(2);
  });

  it("links a terminal's receive and its ChangeMessageVisibility to the message (the receipt handle names it)", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const task = (await (await playground.post("/tasks", { title: "held from a terminal" })).json()) as Task;
    const client = otherClient(playground);
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: playground.queues.queueUrl, WaitTimeSeconds: 1 }));
    const receipt = received.Messages?.[0]?.ReceiptHandle ?? "";
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: playground.queues.queueUrl, ReceiptHandle: receipt, VisibilityTimeout: 30 }));
    const change = await playground.waitForEvent(isType("sqs.call", (e) => e.call.caller === "other-client" && e.call.operation === "ChangeMessageVisibility"));
    expect(change.call.messageIds).toEqual([task.messageId]);
    const state = foldEvents(playground.events.recent());
    // The fold follows the new deadline: 30 s from the call, not 5 s from the receive.
    expect(state.messages[task.messageId ?? ""]?.visibleAt).toBeGreaterThan(change.at + 25_000);
    expect(select(playground, "wire.otherClientEmptyReceives")).toBe(0);
    expect(select(playground, "wire.otherClientVisibilityChanges")).toBe(1);
  });

  it("does not record the playground's own calls a second time", async () => {
    const playground = await playgrounds.start();
    const task = (await (await playground.post("/tasks", { title: "only once on the wire" })).json()) as Task;
    await playground.waitForEvent(isType("sqs.call", (e) => e.call.operation === "DeleteMessageBatch" && e.call.messageIds.includes(task.messageId ?? "")));
    expect(playground.events.recent().filter(isType("sqs.call", (e) => e.call.caller === "other-client"))).toEqual([]);
  });

  it("tells each message a terminal's PurgeQueue removed as purged by another client, its row opening on that PurgeQueue call", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const task = (await (await playground.post("/tasks", { title: "purged before anyone took it", queue: "fifo", messageGroupId: "g" })).json()) as Task;
    const queueUrl = playground.backend.fifo.queues.queueUrl;
    await otherClient(playground).send(new PurgeQueueCommand({ QueueUrl: queueUrl }));

    const deleted = await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === task.messageId));
    expect(deleted).toMatchObject({ queue: "interview-queue.fifo", taskId: task.id, purgedBy: "other-client" });
    await playground.waitForEvent(isType("sqs.call", (e) => e.call.operation === "PurgeQueue"));
    const state = foldEvents(playground.events.recent());
    expect(callsFor(state, deleted)[0]).toMatchObject({ caller: "other-client", operation: "PurgeQueue", request: { QueueUrl: queueUrl } });
    // Nothing will process the task now: a lab's verdict still counts it lost.
    expect(LAB_SELECTORS["tasks.lost"]?.(state, Date.now())).toBe(1);
  });
});
