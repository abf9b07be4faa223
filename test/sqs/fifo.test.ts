import { createHash } from "node:crypto";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { failure, useEngine } from "./engineHarness.js";

// FIFO behaviour beside the rules of aws-semantics.md §3 (those have one test each in conformance/).
const sqs = useEngine();

describe("SQS FIFO queue (engine, SDK v3)", () => {
  it("requires a MessageDeduplicationId unless deduplication is content-based", async () => {
    const QueueUrl = await sqs.queue({ FifoQueue: "true" });
    const error = await failure(sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g" })));
    expect(error.message).toBe("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  });

  it("answers a duplicate with the first message's id and sequence number but the MD5 of the duplicate's own body, so the SDK accepts it", async () => {
    const QueueUrl = await sqs.queue({ FifoQueue: "true" });
    const first = await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "first", MessageGroupId: "g", MessageDeduplicationId: "same" }));
    const duplicate = await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "second", MessageGroupId: "g", MessageDeduplicationId: "same" }));
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(duplicate.SequenceNumber).toBe(first.SequenceNumber);
    expect(duplicate.MD5OfMessageBody).toBe(createHash("md5").update("second").digest("hex"));
  });
});
