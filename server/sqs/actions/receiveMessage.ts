import { md5OfAttributes, type Attributes } from "../model/md5.js";
import type { Message } from "../model/message.js";
import { queueOf, type Action } from "./context.js";
import { optionalInteger, optionalList } from "./validate.js";

const SYSTEM_ATTRIBUTES = [
  "SenderId",
  "SentTimestamp",
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "SequenceNumber",
  "MessageDeduplicationId",
  "MessageGroupId",
  "AWSTraceHeader",
  "DeadLetterQueueSourceArn",
] as const;

/**
 * ReceiveMessage: up to MaxNumberOfMessages (1–10) visible messages, waiting up to WaitTimeSeconds
 * (0–20, default the queue's ReceiveMessageWaitTimeSeconds) for one to arrive. Attributes and
 * message attributes come back only when asked for. Source: ReceiveMessage API reference.
 */
export const receiveMessage: Action = async (input, context) => {
  const queue = queueOf(input, context);
  const max = optionalInteger(input, "MaxNumberOfMessages", 1, 10, "Must be between 1 and 10, if provided.") ?? 1;
  const visibilityTimeout = optionalInteger(input, "VisibilityTimeout", 0, 43_200, "Must be >= 0 and <= 43200, if provided.");
  const wait =
    optionalInteger(input, "WaitTimeSeconds", 0, 20, "Must be >= 0 and <= 20, if provided.") ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
  const systemNames = new Set([...optionalList(input, "AttributeNames"), ...optionalList(input, "MessageSystemAttributeNames")].map(String));
  const attributeNames = optionalList(input, "MessageAttributeNames").map(String);
  const options = { max, consumer: context.consumer, ...(visibilityTimeout !== undefined ? { visibilityTimeout } : {}) };
  const messages = await queue.receiveWaiting(options, wait, context.callerGone);
  if (messages.length === 0) return {};
  return { Messages: messages.map((message) => reply(message, systemNames, attributeNames)) };
};

function reply(message: Message, systemNames: Set<string>, attributeNames: string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {
    MessageId: message.id,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  // Most receivers ask for no attributes: then none are looked at (the common case, kept cheap).
  if (systemNames.size > 0) {
    const attributes = systemAttributes(message, systemNames);
    if (Object.keys(attributes).length > 0) result.Attributes = attributes;
  }
  if (attributeNames.length > 0) {
    const chosen = chooseAttributes(message.attributes, attributeNames);
    const chosenAll = Object.keys(chosen).length === Object.keys(message.attributes).length;
    // The digest of all of them was taken when the message was sent; only a subset needs its own.
    const md5 = chosenAll ? message.md5OfAttributes : md5OfAttributes(chosen);
    if (md5) Object.assign(result, { MD5OfMessageAttributes: md5, MessageAttributes: chosen });
  }
  return result;
}

function systemAttributes(message: Message, names: Set<string>): Record<string, string> {
  const all = names.has("All");
  const values: Record<(typeof SYSTEM_ATTRIBUTES)[number], string | undefined> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: message.firstReceivedAt === null ? undefined : String(message.firstReceivedAt),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.deduplicationId,
    MessageGroupId: message.groupId,
    AWSTraceHeader: message.systemAttributes.AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: message.deadLetterSourceArn,
  };
  const result: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = values[name];
    if (value !== undefined && (all || names.has(name))) result[name] = value;
  }
  return result;
}

/** `All`, `*` and `.*` choose every attribute; `prefix.*` those starting with the prefix; others by name. */
function chooseAttributes(attributes: Attributes, names: string[]): Attributes {
  // No prototype: an attribute may be named `__proto__`, which must stay a plain key.
  const chosen: Attributes = Object.create(null);
  const all = names.some((name) => name === "All" || name === "*" || name === ".*");
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = all || names.some((pattern) => (pattern.endsWith(".*") ? name.startsWith(pattern.slice(0, -2)) : pattern === name));
    if (wanted) chosen[name] = value;
  }
  return chosen;
}
