import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { describe, expect } from "vitest";
import { isType } from "../../helpers/playground.js";
import { startTriggerHarness } from "../../helpers/triggerHarness.js";
import { rule, useConformance } from "./clients.js";

// aws-semantics.md §3: what a message is and what comes back with it, one test per rule.
const world = useConformance();
type Received = { Body: string; ReceiptHandle: string; Attributes?: Record<string, string>; MessageAttributes?: Record<string, unknown> };
const messagesOf = (reply: { result?: Record<string, unknown> }) => (reply.result?.Messages ?? []) as Received[];
const TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

describe("§3 messages", () => {
  rule("Delivery is at least once: a message received and not deleted is delivered again", ["sdk"], async () => {
    const QueueUrl = await world.queue({ VisibilityTimeout: "30" });
    await world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "again" }));
    const first = (await world.sdk.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    world.advance(30_000);
    const second = (await world.sdk.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }))).Messages![0]!;
    expect([second.MessageId, second.Body, second.Attributes]).toEqual([first.MessageId, "again", { ApproximateReceiveCount: "2" }]);
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
  });

  rule("A body may hold #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000–#x10FFFF; any other character fails with InvalidMessageContents, in a batch only that entry", ["boto3 query"], async () => {
    const QueueUrl = await world.queue();
    const allowed = "\t\n\r\u0020\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF} é 😀";
    const Entries = [
      { Id: "allowed", MessageBody: allowed },
      { Id: "nul", MessageBody: "a\u0000b" },
      { Id: "fffe", MessageBody: "\uFFFE" },
    ];
    const reply = await world.boto3("query", "SendMessageBatch", { QueueUrl, Entries });
    expect((reply.result!.Successful as { Id: string }[]).map((entry) => entry.Id)).toEqual(["allowed"]);
    expect((reply.result!.Failed as { Id: string; Code: string }[]).map((entry) => [entry.Id, entry.Code])).toEqual([
      ["nul", "InvalidMessageContents"],
      ["fffe", "InvalidMessageContents"],
    ]);
    expect(messagesOf(await world.boto3("query", "ReceiveMessage", { QueueUrl }))[0]!.Body).toBe(allowed);
  });

  rule("Message attributes come back from ReceiveMessage only when asked for, by name or All", ["boto3"], async () => {
    const QueueUrl = await world.queue({ VisibilityTimeout: "0" });
    const MessageAttributes = { kind: { DataType: "String", StringValue: "demo" }, size: { DataType: "Number", StringValue: "3" } };
    await world.boto3("own", "SendMessage", { QueueUrl, MessageBody: "x", MessageAttributes });
    const asked = async (names?: string[]) =>
      messagesOf(await world.boto3("own", "ReceiveMessage", { QueueUrl, ...(names ? { MessageAttributeNames: names } : {}) }))[0]!.MessageAttributes;
    expect(await asked()).toBeUndefined();
    expect(await asked(["kind"])).toEqual({ kind: MessageAttributes.kind });
    expect(await asked(["All"])).toEqual(MessageAttributes);
  });

  rule("System attributes come back from ReceiveMessage only when asked for, by name or All", ["boto3 query"], async () => {
    const QueueUrl = await world.queue({ VisibilityTimeout: "0" });
    await world.boto3("query", "SendMessage", { QueueUrl, MessageBody: "x" });
    const asked = async (names?: string[]) =>
      messagesOf(await world.boto3("query", "ReceiveMessage", { QueueUrl, ...(names ? { AttributeNames: names } : {}) }))[0]!.Attributes;
    expect(await asked()).toBeUndefined();
    expect(await asked(["ApproximateReceiveCount"])).toEqual({ ApproximateReceiveCount: "2" });
    expect(Object.keys((await asked(["All"]))!).sort()).toEqual(["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"]);
  });

  rule("A message moved to a dead-letter queue carries DeadLetterQueueSourceArn", ["boto3 query"], async () => {
    const dlqUrl = await world.queue({}, "dlq");
    const dlqArn = (await world.sdk.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const QueueUrl = await world.queue({ VisibilityTimeout: "0", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const sourceArn = dlqArn.replace(/dlq-\d+$/, QueueUrl.split("/").pop()!);
    await world.boto3("query", "SendMessage", { QueueUrl, MessageBody: "poison" });
    expect(messagesOf(await world.boto3("query", "ReceiveMessage", { QueueUrl }))).toHaveLength(1);
    expect(messagesOf(await world.boto3("query", "ReceiveMessage", { QueueUrl }))).toHaveLength(0);
    const moved = messagesOf(await world.boto3("query", "ReceiveMessage", { QueueUrl: dlqUrl, AttributeNames: ["All"] }))[0]!;
    expect([moved.Body, moved.Attributes!.DeadLetterQueueSourceArn]).toEqual(["poison", sourceArn]);
  });

  rule("AWSTraceHeader sent as a system attribute comes back on receive", ["boto3"], async () => {
    const QueueUrl = await world.queue();
    const MessageSystemAttributes = { AWSTraceHeader: { DataType: "String", StringValue: TRACE } };
    await world.boto3("own", "SendMessage", { QueueUrl, MessageBody: "x", MessageSystemAttributes });
    const received = messagesOf(await world.boto3("own", "ReceiveMessage", { QueueUrl, AttributeNames: ["AWSTraceHeader"] }))[0]!;
    expect(received.Attributes).toEqual({ AWSTraceHeader: TRACE });
  });

  rule("AWSTraceHeader sent as a system attribute reaches the Lambda record", ["sdk"], async () => {
    const events: SQSEvent[] = [];
    const harness = await startTriggerHarness({ handler: async (event) => void events.push(event) });
    try {
      harness.trigger.start();
      const sdk = new SQSClient({ endpoint: harness.sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
      const MessageSystemAttributes = { AWSTraceHeader: { DataType: "String", StringValue: TRACE } };
      await sdk.send(new SendMessageCommand({ QueueUrl: harness.urls.queueUrl, MessageBody: "traced", MessageSystemAttributes }));
      sdk.destroy();
      await harness.waitFor(isType("lambda.completed"));
      expect(events[0]!.Records[0]!.attributes.AWSTraceHeader).toBe(TRACE);
    } finally {
      await harness.stop();
    }
  });

  rule("ReceiveMessage changes the queue: it hides the message and bumps its receive count, where inspecting does not", ["aws-cli"], async () => {
    const QueueUrl = await world.queue();
    const name = QueueUrl.split("/").pop()!;
    await world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "task" }));
    const inspect = async () => {
      const view = await fetch(`${world.engine.endpoint}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(QueueUrl)}&ShowInvisible=true`);
      const { Messages } = (await view.json()) as { Messages: { Attributes: Record<string, string> }[] };
      return Messages.map((m) => [m.Attributes.IsVisible, m.Attributes.ApproximateReceiveCount]);
    };
    expect([await inspect(), await inspect()]).toEqual([[["true", "0"]], [["true", "0"]]]);
    const received = await world.aws("receive-message", "--queue-url", QueueUrl);
    expect((received.json!.Messages as Received[])[0]!.Body).toBe("task");
    expect(await inspect()).toEqual([["false", "1"]]);
    expect(world.engine.inspect(name)).toMatchObject({ visible: 0, inFlight: 1 });
    expect((await world.sdk.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    await world.sdk.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: (received.json!.Messages as Received[])[0]!.ReceiptHandle }));
  });
});
