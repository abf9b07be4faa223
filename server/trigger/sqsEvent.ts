import { createHash } from "node:crypto";
import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from "aws-lambda";

/** Where the records come from, and how the mapping gathers them. */
export interface EventSource {
  queueArn: string;
  region: string;
  /**
   * The mapping's MaximumBatchingWindowInSeconds (s). AWS's records say `"md5OfMessageAttributes": null`
   * for a message without attributes when the mapping has a window, and leave the key out without
   * one (LocalStack's AWS-validated snapshots, test_lambda_integration_sqs.snapshot.json).
   */
  batchingWindowSeconds?: number;
}

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/**
 * The event Lambda hands a handler for a batch of SQS messages, field for field as AWS builds it
 * (aws-semantics.md §1): every attribute a string, lower-case message-attribute keys with both
 * list fields always present, md5OfMessageAttributes when there are attributes (null without
 * them when the mapping has a batching window, absent otherwise).
 */
export function buildSqsEvent(messages: Message[], source: EventSource): SQSEvent {
  return { Records: messages.map((message) => buildSqsRecord(message, source)) };
}

export function buildSqsRecord(message: Message, source: EventSource): SQSRecord {
  const body = message.Body ?? "";
  const system = message.Attributes ?? {};
  // A FIFO record's three extra attributes sit where AWS's with-sqs.html example puts them.
  const fifo = system.MessageGroupId !== undefined;
  const attributes: SQSRecord["attributes"] = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? "1",
    SentTimestamp: system.SentTimestamp ?? "",
    ...(fifo ? { SequenceNumber: system.SequenceNumber ?? "", MessageGroupId: system.MessageGroupId } : {}),
    SenderId: system.SenderId ?? "",
    ...(fifo ? { MessageDeduplicationId: system.MessageDeduplicationId ?? "" } : {}),
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? system.SentTimestamp ?? "",
  };
  if (system.AWSTraceHeader) attributes.AWSTraceHeader = system.AWSTraceHeader;
  if (system.DeadLetterQueueSourceArn) attributes.DeadLetterQueueSourceArn = system.DeadLetterQueueSourceArn;

  // Built from own entries (Object.fromEntries defines keys, never assigns them), so an attribute
  // named `__proto__`, which SQS allows, is a plain key here as it is in Lambda's JSON event.
  const messageAttributes: Record<string, SQSMessageAttribute> = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) => (typeof value === "object" && value !== null ? [[name, lambdaAttribute(value)]] : [])),
  );

  const record: SQSRecord = {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body,
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? md5(body),
    eventSource: "aws:sqs",
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
  const withAttributes = Object.keys(messageAttributes).length > 0 && message.MD5OfMessageAttributes;
  if (!withAttributes && !(source.batchingWindowSeconds ?? 0)) return record;
  // @types/aws-lambda types the key as an optional string, but AWS sends a JSON null here.
  const md5OfMessageAttributes = (withAttributes || null) as string;
  // Lambda puts this key between the body's digest and eventSource; key order is kept for fidelity.
  const { eventSource, eventSourceARN, awsRegion, ...head } = record;
  return { ...head, md5OfMessageAttributes, eventSource, eventSourceARN, awsRegion };
}

function lambdaAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const attribute: SQSMessageAttribute = { stringListValues: [], binaryListValues: [], dataType: value.DataType ?? "String" };
  if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined) attribute.binaryValue = base64(value.BinaryValue);
  // Lambda orders the value first, then the two lists, then dataType.
  const { stringListValues, binaryListValues, dataType, ...valueFirst } = attribute;
  return { ...valueFirst, stringListValues, binaryListValues, dataType };
}
