import { describe, expect, it } from "vitest";
import type { SqsCall, Task } from "../../common/events.js";
import { isType, playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();

describe("the wire inspector", () => {
  it("records every SQS call of one flow with its target, request, response and the message it concerned", async () => {
    const playground = await playgrounds.start();
    const task = (await (await playground.post("/tasks", { title: "on the wire" })).json()) as Task;
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === task.messageId));
    await playground.waitForEvent(isType("sqs.call", (e) => e.call.operation === "DeleteMessageBatch" && e.call.messageIds.includes(task.messageId ?? "")));
    const calls = playground.events.recent().flatMap((e) => (e.type === "sqs.call" && e.call.messageIds.includes(task.messageId ?? "") ? [e.call] : []));
    expect(calls.map((c) => [c.caller, c.target])).toEqual([
      ["api", "AmazonSQS.SendMessage"],
      ["lambda-trigger", "AmazonSQS.ReceiveMessage"],
      ["lambda-trigger", "AmazonSQS.DeleteMessageBatch"],
    ]);
    const send = calls[0] as SqsCall;
    expect(send.request).toEqual({ QueueUrl: playground.queues.queueUrl, MessageBody: JSON.stringify({ task_id: task.id, title: "on the wire" }) });
    expect(send.response).toMatchObject({ MessageId: task.messageId });
    expect(send.durationMs).toBeGreaterThan(0);
  });

  it("records a failed call with its error", async () => {
    const playground = await playgrounds.start();
    playground.controls.setFaults({ sqsUnavailable: true });
    await playground.post("/tasks", { title: "refused" });
    const failed = await playground.waitForEvent(isType("sqs.call", (e) => e.call.operation === "SendMessage" && e.call.error !== null));
    expect(failed.call.error?.code).toMatch(/ServiceUnavailable/);
  });
});
