import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { md5OfAttributes } from "../../server/sqs/model/md5.js";
import { failure, useEngine } from "./engineHarness.js";

// Standard-queue behaviour beside the rules of aws-semantics.md §3 (those have one test each in
// conformance/), against the engine on a free port with its real timers and the real SDK (AWS JSON 1.0).
const sqs = useEngine();
const attributes = async (QueueUrl: string) =>
  (await sqs.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes!;
const receive = (QueueUrl: string, extra: Record<string, unknown> = {}) =>
  sqs.sqs.send(new ReceiveMessageCommand({ QueueUrl, ...extra }));

describe("SQS standard queue (engine, SDK v3)", () => {
  it("returns a body with an emoji and a carriage return unchanged over the JSON protocol", async () => {
    const QueueUrl = await sqs.queue();
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a\r\nb 😀" }));
    expect((await receive(QueueUrl)).Messages![0]!.Body).toBe("a\r\nb 😀");
  });

  it("answers MD5OfMessageAttributes of the attributes it returns: SendMessage's digest for All, the subset's for some", async () => {
    const QueueUrl = await sqs.queue({ VisibilityTimeout: "0" });
    const MessageAttributes = { kind: { DataType: "String", StringValue: "demo" }, size: { DataType: "Number", StringValue: "3" } };
    const sent = await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageAttributes }));
    const all = (await receive(QueueUrl, { MessageAttributeNames: ["All"] })).Messages![0]!;
    const some = (await receive(QueueUrl, { MessageAttributeNames: ["kind"] })).Messages![0]!;
    expect([all.MD5OfMessageAttributes, some.MD5OfMessageAttributes]).toEqual([sent.MD5OfMessageAttributes, md5OfAttributes({ kind: MessageAttributes.kind })]);
  });

  it("makes a message visible again on the wall clock, with no fake scheduler and nobody receiving", async () => {
    const QueueUrl = await sqs.queue({ VisibilityTimeout: "1" });
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    await receive(QueueUrl);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await attributes(QueueUrl)).ApproximateNumberOfMessages).toBe("1");
    expect(sqs.events.some((e) => e.type === "message.visible-again")).toBe(true);
  });

  it("gives a redriven message a new MessageId, a new SentTimestamp and a receive count from 1, as a new message", async () => {
    const dlqUrl = await sqs.queue({}, "dlq");
    const { QueueArn: dlqArn } = await attributes(dlqUrl);
    const QueueUrl = await sqs.queue({ VisibilityTimeout: "0", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const { MessageId } = await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "again" }));
    const first = (await sqs.sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["All"] }))).Messages![0]!;
    await receive(QueueUrl);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sqs.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    const redriven = (await sqs.sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["All"] }))).Messages![0]!;
    expect(redriven.MessageId).not.toBe(MessageId);
    expect(Number(redriven.Attributes!.SentTimestamp)).toBeGreaterThan(Number(first.Attributes!.SentTimestamp));
    expect(redriven.Attributes!.ApproximateReceiveCount).toBe("1");
  });

  it("refuses a redrive policy whose dead-letter queue does not exist", async () => {
    const QueueUrl = await sqs.queue();
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:missing", maxReceiveCount: 3 });
    const error = await failure(sqs.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy } })));
    expect(error.message).toMatch(/Reason: Dead letter target does not exist\.$/);
  });

  it("makes a message visible at once when its visibility is changed to 0", async () => {
    const QueueUrl = await sqs.queue();
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    const { ReceiptHandle } = (await receive(QueueUrl)).Messages![0]!;
    await sqs.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 }));
    expect((await receive(QueueUrl)).Messages).toHaveLength(1);
  });

  it("wakes a long poll when a message arrives", async () => {
    const QueueUrl = await sqs.queue();
    const poll = receive(QueueUrl, { WaitTimeSeconds: 20 });
    await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    expect((await poll).Messages![0]!.Body).toBe("x");
  });
});
