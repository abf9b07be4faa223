import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect } from "vitest";
import { rule, useConformance } from "./clients.js";

// aws-semantics.md §3: what a queue counts, how time changes the counts, and emptying it.
const world = useConformance();
const COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] as const;
/** [visible, in flight, delayed] as the SDK reads them. */
async function counts(QueueUrl: string): Promise<string[]> {
  const { Attributes } = await world.sdk.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
  return COUNTS.map((name) => Attributes![name]!);
}

describe("§3 counts and purge", () => {
  rule("ApproximateNumberOfMessages counts visible messages, …NotVisible in-flight ones, …Delayed delayed ones", ["aws-cli"], async () => {
    const QueueUrl = await world.queue();
    for (const DelaySeconds of [0, 0, 60]) await world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", DelaySeconds }));
    expect((await world.aws("receive-message", "--queue-url", QueueUrl)).status).toBe(0);
    const read = await world.aws("get-queue-attributes", "--queue-url", QueueUrl, "--attribute-names", ...COUNTS);
    expect(read.json).toEqual({ Attributes: { ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "1", ApproximateNumberOfMessagesDelayed: "1" } });
  });

  rule("Counts change when time passes, not only on a receive: a message whose visibility timeout or delay ran out counts as visible at once", ["sdk"], async () => {
    const QueueUrl = await world.queue({ VisibilityTimeout: "10" });
    await world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "in flight" }));
    await world.sdk.send(new ReceiveMessageCommand({ QueueUrl }));
    await world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "delayed", DelaySeconds: 5 }));
    expect(await counts(QueueUrl)).toEqual(["0", "1", "1"]);
    world.advance(5_000);
    expect(await counts(QueueUrl)).toEqual(["1", "1", "0"]);
    world.advance(5_000);
    expect(await counts(QueueUrl)).toEqual(["2", "0", "0"]);
  });

  rule("PurgeQueue is allowed once per 60 s: a second one within 60 s fails with PurgeQueueInProgress", ["boto3"], async () => {
    const QueueUrl = await world.queue();
    await world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    expect((await world.boto3("own", "PurgeQueue", { QueueUrl })).error).toBeUndefined();
    expect(await counts(QueueUrl)).toEqual(["0", "0", "0"]);
    world.advance(59_000);
    const second = await world.boto3("own", "PurgeQueue", { QueueUrl });
    expect(second.error).toMatchObject({ code: "AWS.SimpleQueueService.PurgeQueueInProgress", status: 403 });
    world.advance(1_000);
    expect((await world.boto3("own", "PurgeQueue", { QueueUrl })).error).toBeUndefined();
  });
});
