import { ReceiveMessageCommand, SendMessageCommand, type SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { describe, expect } from "vitest";
import { awsCliError, rule, useConformance } from "./clients.js";

// aws-semantics.md §3, FIFO queues (`.fifo`): one test per rule.
const world = useConformance();
const fifoQueue = (extra: Record<string, string> = {}) => world.queue({ FifoQueue: "true", ...extra });
const contentBased = () => fifoQueue({ ContentBasedDeduplication: "true" });
type Received = { Body: string; ReceiptHandle: string; Attributes?: Record<string, string> };
const messagesOf = (reply: { result?: Record<string, unknown> }) => (reply.result?.Messages ?? []) as Received[];

describe("§3 FIFO queues", () => {
  rule("A FIFO message needs a MessageGroupId: without one SendMessage fails with MissingParameter", ["aws-cli"], async () => {
    const QueueUrl = await contentBased();
    const reply = await world.aws("send-message", "--queue-url", QueueUrl, "--message-body", "x");
    expect(awsCliError(reply)).toEqual({ code: "MissingParameter", message: "The request must contain the parameter MessageGroupId." });
  });

  rule("Deduplication drops a message whose MessageDeduplicationId, or body with ContentBasedDeduplication, was sent in the last 5 minutes", ["sdk"], async () => {
    const byId = await fifoQueue();
    const byBody = await contentBased();
    const send = (input: SendMessageCommandInput) => world.sdk.send(new SendMessageCommand({ MessageGroupId: "g", ...input }));
    const sendBoth = () => Promise.all([send({ QueueUrl: byId, MessageBody: "new body", MessageDeduplicationId: "d" }), send({ QueueUrl: byBody, MessageBody: "same" })]);
    const first = await sendBoth();
    world.advance(299_000);
    const within = await sendBoth();
    expect(within.map((reply) => reply.MessageId)).toEqual(first.map((reply) => reply.MessageId));
    world.advance(1_000);
    const after = await sendBoth();
    expect(after.map((reply, i) => reply.MessageId !== first[i]!.MessageId)).toEqual([true, true]);
    for (const QueueUrl of [byId, byBody]) {
      expect((await world.sdk.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages).toHaveLength(2);
    }
  });

  rule("A FIFO queue keeps the order of messages within a group", ["boto3"], async () => {
    const QueueUrl = await contentBased();
    const sent = ["1", "2", "3", "4", "5"];
    for (const MessageBody of sent) await world.boto3("own", "SendMessage", { QueueUrl, MessageBody, MessageGroupId: "g" });
    const received: string[] = [];
    for (let round = 0; round < sent.length; round += 1) {
      const [message] = messagesOf(await world.boto3("own", "ReceiveMessage", { QueueUrl }));
      received.push(message!.Body);
      await world.boto3("own", "DeleteMessage", { QueueUrl, ReceiptHandle: message!.ReceiptHandle });
    }
    expect(received).toEqual(sent);
  });

  rule("A message group is locked while one of its messages is in flight; other groups go on", ["boto3 query"], async () => {
    const QueueUrl = await contentBased();
    for (const [MessageBody, MessageGroupId] of [["a1", "a"], ["a2", "a"], ["b1", "b"]]) {
      await world.boto3("query", "SendMessage", { QueueUrl, MessageBody, MessageGroupId });
    }
    const bodies = async () => messagesOf(await world.boto3("query", "ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 1 }));
    const [a1] = await bodies();
    expect(a1!.Body).toBe("a1");
    expect((await bodies()).map((m) => m.Body)).toEqual(["b1"]);
    expect(await bodies()).toEqual([]);
    await world.boto3("query", "DeleteMessage", { QueueUrl, ReceiptHandle: a1!.ReceiptHandle });
    expect((await bodies()).map((m) => m.Body)).toEqual(["a2"]);
  });

  rule("Each FIFO message gets a SequenceNumber, larger for each later message, returned on send and on receive", ["boto3 query"], async () => {
    const QueueUrl = await contentBased();
    const sent: string[] = [];
    for (const MessageBody of ["1", "2"]) {
      sent.push((await world.boto3("query", "SendMessage", { QueueUrl, MessageBody, MessageGroupId: "g" })).result!.SequenceNumber as string);
    }
    expect(sent.every((n) => /^\d{20}$/.test(n)) && BigInt(sent[1]!) > BigInt(sent[0]!)).toBe(true);
    const [received] = messagesOf(await world.boto3("query", "ReceiveMessage", { QueueUrl, AttributeNames: ["SequenceNumber"] }));
    expect(received!.Attributes).toEqual({ SequenceNumber: sent[0] });
  });

  rule("A FIFO queue takes no per-message DelaySeconds (only the queue's DelaySeconds)", ["boto3"], async () => {
    const QueueUrl = await fifoQueue({ ContentBasedDeduplication: "true", DelaySeconds: "5" });
    const refused = await world.boto3("own", "SendMessage", { QueueUrl, MessageBody: "x", MessageGroupId: "g", DelaySeconds: 2 });
    expect(refused.error).toMatchObject({
      code: "InvalidParameterValue",
      message: "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
    });
    expect((await world.boto3("own", "SendMessage", { QueueUrl, MessageBody: "x", MessageGroupId: "g" })).error).toBeUndefined();
    expect(world.engine.inspect(QueueUrl.split("/").pop()!)).toMatchObject({ visible: 0, delayed: 1 });
  });
});
