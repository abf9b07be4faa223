import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { failure, useEngine } from "./engineHarness.js";

// The interface the playground uses: inspection that never receives, and
// the controls "reset the world", step mode and fault injection need.
const sqs = useEngine();
const nameOf = (url: string) => url.split("/").pop()!;

describe("the embedded engine's controls", () => {
  it("inspects a queue's messages by state without receiving them", async () => {
    const QueueUrl = await sqs.queue();
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"task_id": 7, "title": "t"}' }));
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 30 }));
    const view = sqs.engine.inspect(nameOf(QueueUrl))!;
    expect(view).toMatchObject({ visible: 1, inFlight: 0, delayed: 1 });
    expect(view.messages.map((m) => [m.taskId, m.state, m.receiveCount])).toEqual([[7, "visible", 0], [null, "delayed", 0]]);
  });

  it("empties every queue at once, however recently one was purged", async () => {
    const QueueUrl = await sqs.queue();
    await sqs.sqs.send(new PurgeQueueCommand({ QueueUrl }));
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    sqs.engine.purgeAll();
    expect(sqs.engine.inspect(nameOf(QueueUrl))!.visible).toBe(0);
  });

  it("ends the long polls waiting on a queue, empty", async () => {
    const QueueUrl = await sqs.queue();
    const poll = sqs.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    sqs.engine.endLongPolls(nameOf(QueueUrl));
    expect((await poll).Messages).toBeUndefined();
  });

  it("answers every call 503 ServiceUnavailable while SQS is made unavailable", async () => {
    const QueueUrl = await sqs.queue();
    sqs.engine.setUnavailable(true);
    const error = await failure(sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })));
    sqs.engine.setUnavailable(false);
    expect(error.$metadata?.httpStatusCode).toBe(503);
  });
});

describe("LocalStack's developer endpoint on the engine", () => {
  it("lists a queue's in-flight messages without receiving them", async () => {
    const QueueUrl = await sqs.queue();
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    await sqs.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const response = await fetch(`${sqs.engine.endpoint}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(QueueUrl)}&ShowInvisible=true`);
    const { Messages } = (await response.json()) as { Messages: { Body: string; Attributes: Record<string, string> }[] };
    expect(Messages.map((m) => [m.Body, m.Attributes.IsVisible, m.Attributes.ApproximateReceiveCount])).toEqual([["x", "false", "1"]]);
  });
});

describe("long polls and closed connections", () => {
  it("gives no message to a long poll whose client went away", async () => {
    const QueueUrl = await sqs.queue();
    const abort = new AbortController();
    const poll = sqs.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }), { abortSignal: abort.signal }).catch(() => "aborted");
    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    expect(await poll).toBe("aborted");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    expect(sqs.engine.inspect(nameOf(QueueUrl))).toMatchObject({ visible: 1, inFlight: 0 });
  });
});
