import { FIFO_ID } from "../../../common/fifo.js";
import { SqsError, errors } from "../errors.js";
import type { Attributes } from "../model/md5.js";
import type { NewMessage } from "../model/message.js";
import type { Queue } from "../model/queue.js";
import type { ActionContext } from "./context.js";
import { optionalInteger, optionalMap, optionalString, type Input } from "./validate.js";

/**
 * The checks SendMessage and each SendMessageBatch entry make, in AWS's words. Source: SendMessage
 * API reference (body characters, sizes, FIFO parameters) and the developer guide's "Amazon SQS
 * message attributes".
 */

/** Characters a body or string attribute may hold: #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000–#x10FFFF. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** The same set without the surrogate pairs: a text with none of these is valid, checked without the slower `u` mode. */
const OUTSIDE_BASIC_PLANE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;

/** The first character SQS refuses in a text, if any. */
function invalidCharacter(text: string): string | undefined {
  if (!OUTSIDE_BASIC_PLANE.test(text)) return undefined;
  return INVALID_CHARACTER.exec(text)?.[0];
}
const ATTRIBUTE_NAME = /^[\p{L}\p{N}_.-]{1,256}$/u;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s]{1,256})?$/;

/**
 * Checks one message and returns it ready for the queue, with its size in bytes for batch totals.
 * The sender's X-Amzn-Trace-Id header becomes AWSTraceHeader unless the message carries its own.
 */
export function checkMessage(input: Input, queue: Queue, context: ActionContext, inBatch = false): { message: NewMessage; bytes: number } {
  const body = input.MessageBody;
  if (body === undefined || body === null || body === "") throw errors.missingParameter("MessageBody");
  if (typeof body !== "string") throw errors.invalidParameterValue("Value for parameter MessageBody is invalid.");
  const invalid = invalidCharacter(body);
  if (invalid !== undefined) {
    throw new SqsError(
      "InvalidMessageContents",
      `Invalid binary character '#x${invalid.codePointAt(0)!.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  const delaySeconds = optionalInteger(input, "DelaySeconds", 0, 900, "Must be >= 0 and <= 900, if provided.");
  const attributes = checkAttributes(optionalMap(input, "MessageAttributes"), "user");
  const systemAttributes = checkSystemAttributes(optionalMap(input, "MessageSystemAttributes"));
  if (context.traceHeader && !systemAttributes.AWSTraceHeader) systemAttributes.AWSTraceHeader = { DataType: "String", StringValue: context.traceHeader };
  const bytes = Buffer.byteLength(body, "utf8") + attributesSize(attributes);
  const maximum = Number(queue.attributes.MaximumMessageSize);
  if (bytes > maximum) {
    // AWS words it differently for a batch entry.
    const verdict = inBatch ? "cannot be validated" : "are invalid";
    throw errors.invalidParameterValue(`One or more parameters ${verdict}. Reason: Message must be shorter than ${maximum} bytes.`);
  }
  const groupId = checkFifoId(input, "MessageGroupId");
  const deduplicationId = checkFifoId(input, "MessageDeduplicationId");
  if (queue.fifo) {
    if (delaySeconds !== undefined && delaySeconds !== 0) {
      throw errors.invalidValue(delaySeconds, "DelaySeconds", "The request include parameter that is not valid for this queue type.");
    }
    checkFifoEntry(input, queue, inBatch);
  } else if (deduplicationId !== undefined) {
    throw errors.invalidValue(deduplicationId, "MessageDeduplicationId", "The request includes a parameter that is not valid for this queue type.");
  }
  const message: NewMessage = {
    body,
    attributes,
    systemAttributes,
    senderId: context.senderId,
    ...(queue.fifo ? {} : delaySeconds !== undefined ? { delaySeconds } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    ...(deduplicationId !== undefined ? { deduplicationId } : {}),
  };
  return { message, bytes };
}

/**
 * A FIFO message needs a group id, and a deduplication id unless the queue derives it from the body.
 * A missing group id is MissingParameter for SendMessage, InvalidParameterValue in a batch (AWS's codes).
 */
export function checkFifoEntry(input: Input, queue: Queue, inBatch: boolean): void {
  if (input.MessageGroupId === undefined) {
    if (!inBatch) throw errors.missingParameter("MessageGroupId");
    throw errors.invalidParameterValue("The request must contain the parameter MessageGroupId.");
  }
  if (input.MessageDeduplicationId === undefined && queue.attributes.ContentBasedDeduplication !== "true") {
    throw errors.invalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  }
}

function checkFifoId(input: Input, name: string): string | undefined {
  const value = optionalString(input, name);
  if (value !== undefined && !FIFO_ID.test(value)) {
    throw errors.invalidValue(value, name, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return value;
}

/** Message attributes: at most 10, names and types as AWS allows, a non-empty value of the type. */
export function checkAttributes(raw: Record<string, unknown>, kind: "user" | "system"): Attributes {
  const names = Object.keys(raw);
  if (names.length > 10) {
    throw errors.invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  }
  const checked: Attributes = Object.create(null);
  for (const name of names) {
    const value = (raw[name] ?? {}) as Record<string, unknown>;
    if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.|\.)/i.test(name) || name.endsWith(".") || name.includes("..")) {
      throw errors.invalidParameterValue(`Message (${kind}) attribute name '${name}' is invalid.`);
    }
    const dataType = value.DataType;
    if (typeof dataType !== "string" || !DATA_TYPE.test(dataType)) {
      throw errors.invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const binary = dataType.startsWith("Binary");
    const field = binary ? value.BinaryValue : value.StringValue;
    if (field === undefined || field === null || field === "") {
      throw errors.invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a non-empty value of type '${binary ? "Binary" : dataType.split(".")[0]}'.`);
    }
    if (binary) {
      checked[name] = { DataType: dataType, BinaryValue: typeof field === "string" ? field : Buffer.from(field as Uint8Array).toString("base64") };
      continue;
    }
    const text = String(field);
    if (invalidCharacter(text) !== undefined) throw errors.invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a valid value: Invalid characters found.`);
    if (dataType.startsWith("Number") && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
      throw errors.invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    checked[name] = { DataType: dataType, StringValue: text };
  }
  return checked;
}

/** The only message system attribute is AWSTraceHeader, a String. */
function checkSystemAttributes(raw: Record<string, unknown>): Attributes {
  for (const name of Object.keys(raw)) {
    if (name !== "AWSTraceHeader") throw errors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
  }
  const checked = checkAttributes(raw, "system");
  if (checked.AWSTraceHeader && checked.AWSTraceHeader.DataType !== "String") {
    throw errors.invalidParameterValue("Message system attribute 'AWSTraceHeader' must be of type 'String'.");
  }
  return checked;
}

/** Bytes attributes count toward the message size: name, type and value of each. */
function attributesSize(attributes: Attributes): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    bytes += value.BinaryValue !== undefined ? Buffer.from(value.BinaryValue, "base64").length : Buffer.byteLength(value.StringValue ?? "");
  }
  return bytes;
}
