import { createHash } from "node:crypto";
import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from "aws-lambda";

export interface EventSource {
  queueArn: string;
  region: string;
}

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/**
 * The event Lambda hands a handler for a batch of SQS messages, field for field as AWS builds it
 * (aws-semantics.md §1): every attribute a string, lower-case message-attribute keys with both
 * list fields always present, md5OfMessageAttributes only when there are attributes.
 */
export function buildSqsEvent(messages: Message[], source: EventSource): SQSEvent {
  return { Records: messages.map((message) => buildSqsRecord(message, source)) };
}

export function buildSqsRecord(message: Message, source: EventSource): SQSRecord {
  const body = message.Body ?? "";
  const system = message.Attributes ?? {};
  const attributes: SQSRecord["attributes"] = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? "1",
    SentTimestamp: system.SentTimestamp ?? "",
    SenderId: system.SenderId ?? "",
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? system.SentTimestamp ?? "",
  };
  if (system.AWSTraceHeader) attributes.AWSTraceHeader = system.AWSTraceHeader;
  if (system.DeadLetterQueueSourceArn) attributes.DeadLetterQueueSourceArn = system.DeadLetterQueueSourceArn;

  const messageAttributes: Record<string, SQSMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = lambdaAttribute(value);
  }

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
  if (Object.keys(messageAttributes).length > 0 && message.MD5OfMessageAttributes) {
    // Lambda puts this key between the body's digest and eventSource; key order is kept for fidelity.
    const { eventSource, eventSourceARN, awsRegion, ...head } = record;
    return { ...head, md5OfMessageAttributes: message.MD5OfMessageAttributes, eventSource, eventSourceARN, awsRegion };
  }
  return record;
}

function lambdaAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const attribute: SQSMessageAttribute = { stringListValues: [], binaryListValues: [], dataType: value.DataType ?? "String" };
  if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined) attribute.binaryValue = base64(value.BinaryValue);
  // Lambda orders the value first, then the two lists, then dataType.
  const { stringListValues, binaryListValues, dataType, ...valueFirst } = attribute;
  return { ...valueFirst, stringListValues, binaryListValues, dataType };
}
