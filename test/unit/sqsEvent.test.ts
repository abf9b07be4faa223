import { createHash } from "node:crypto";
import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { buildSqsEvent, buildSqsRecord } from "../../server/trigger/sqsEvent.js";

const source = { queueArn: "arn:aws:sqs:us-east-1:000000000000:interview-queue", region: "us-east-1" };
const body = '{"task_id":1,"title":"Test Task"}';
const received: Message = {
  MessageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
  ReceiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
  MD5OfBody: createHash("md5").update(body).digest("hex"),
  Body: body,
  Attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1545082649183", SenderId: "000000000000", ApproximateFirstReceiveTimestamp: "1545082649185" },
};

describe("the SQS event the handler receives (aws-semantics.md §1)", () => {
  it("wraps records in Records, one per message, in order", () => {
    const event = buildSqsEvent([received, { ...received, MessageId: "second" }], source);
    expect(Object.keys(event)).toEqual(["Records"]);
    expect(event.Records.map((r) => r.messageId)).toEqual([received.MessageId, "second"]);
  });

  it("builds a record without message attributes exactly as Lambda does", () => {
    expect(buildSqsRecord(received, source)).toStrictEqual({
      messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
      receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
      body,
      attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1545082649183", SenderId: "000000000000", ApproximateFirstReceiveTimestamp: "1545082649185" },
      messageAttributes: {},
      md5OfBody: createHash("md5").update(body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:interview-queue",
      awsRegion: "us-east-1",
    });
  });

  it("keeps every attribute a string, in Lambda's key order", () => {
    const record = buildSqsRecord(received, source);
    expect(Object.keys(record)).toEqual(["messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion"]);
    expect(Object.values(record.attributes).every((v) => typeof v === "string")).toBe(true);
  });

  it("gives message attributes lower-case keys with both lists always present, and adds md5OfMessageAttributes", () => {
    const record = buildSqsRecord(
      {
        ...received,
        MD5OfMessageAttributes: "d25a6aea97eb8f585bfa92d314504a92",
        MessageAttributes: {
          Priority: { DataType: "Number", StringValue: "2" },
          Blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      },
      source,
    );
    expect(record.messageAttributes).toStrictEqual({
      Priority: { stringValue: "2", stringListValues: [], binaryListValues: [], dataType: "Number" },
      Blob: { binaryValue: "AQID", stringListValues: [], binaryListValues: [], dataType: "Binary" },
    });
    expect(record.md5OfMessageAttributes).toBe("d25a6aea97eb8f585bfa92d314504a92");
    expect(Object.keys(record).indexOf("md5OfMessageAttributes")).toBe(Object.keys(record).indexOf("md5OfBody") + 1);
  });

  it("says md5OfMessageAttributes null for a message without attributes when the mapping has a batching window, as AWS's records do", () => {
    const record = buildSqsRecord(received, { ...source, batchingWindowSeconds: 1 });
    expect(record.md5OfMessageAttributes).toBeNull();
    expect(Object.keys(record).indexOf("md5OfMessageAttributes")).toBe(Object.keys(record).indexOf("md5OfBody") + 1);
  });

  it("computes md5OfBody from the body when SQS did not send one", () => {
    const { MD5OfBody: _omit, ...withoutDigest } = received;
    expect(buildSqsRecord(withoutDigest, source).md5OfBody).toBe(createHash("md5").update(body).digest("hex"));
  });

  it("passes AWSTraceHeader and DeadLetterQueueSourceArn through when SQS has them", () => {
    const record = buildSqsRecord({ ...received, Attributes: { ...received.Attributes, AWSTraceHeader: "Root=1-abc", DeadLetterQueueSourceArn: "arn:x" } }, source);
    expect(record.attributes.AWSTraceHeader).toBe("Root=1-abc");
    expect(record.attributes.DeadLetterQueueSourceArn).toBe("arn:x");
  });
});
