import type { MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";

const NAME = "__proto__";
/** Where the raw values travel from the inner middleware to the outer one (one command's context). */
const STASH = Symbol("protoNamedAttributes");
type Stash = Map<string, unknown>;
type Context = Record<PropertyKey, unknown> & { commandName?: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON-protocol attribute value as the SDK would have deserialized it (blobs from base64). */
function sdkValue(raw: unknown): MessageAttributeValue | undefined {
  if (!isRecord(raw)) return undefined;
  const value: MessageAttributeValue = { DataType: typeof raw.DataType === "string" ? raw.DataType : undefined };
  if (typeof raw.StringValue === "string") value.StringValue = raw.StringValue;
  if (typeof raw.BinaryValue === "string") value.BinaryValue = Buffer.from(raw.BinaryValue, "base64");
  if (Array.isArray(raw.StringListValues)) value.StringListValues = raw.StringListValues.filter((v): v is string => typeof v === "string");
  if (Array.isArray(raw.BinaryListValues)) value.BinaryListValues = raw.BinaryListValues.filter((v): v is string => typeof v === "string").map((v) => Buffer.from(v, "base64"));
  return value;
}

/**
 * SQS allows a message attribute named `__proto__` (its name rules admit letters, digits, `_`,
 * `-`, `.`), but the AWS SDK for JavaScript v3 loses its value on receive: @smithy/core's JSON
 * deserializer redefines a `__proto__` map key as an own property holding `undefined` before it
 * reads the value. This client then hands such a message on with `undefined` there, and a
 * consumer that reads it (awslocal printing the message) would fail. Two middlewares
 * put the value back: one keeps ReceiveMessage's raw body (bytes the SDK reads anyway), and when
 * that body names `__proto__`, the other restores the value from it after deserialization.
 */
export function keepProtoNamedAttributes(client: SQSClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const ctx = context as Context;
      if (ctx.commandName !== "ReceiveMessageCommand") return result;
      const response = result.response as { body?: unknown };
      const body = response.body;
      if (!body || body instanceof Uint8Array || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== "function") return result;
      const chunks: Buffer[] = [];
      for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
      const bytes = Buffer.concat(chunks);
      response.body = bytes;
      if (bytes.includes(`"${NAME}"`)) ctx[STASH] = rawProtoValues(bytes.toString("utf8"));
      return result;
    },
    // Inside the deserializer: this middleware sees the raw HTTP response before it is read.
    { step: "deserialize", priority: "low", name: "queueFlowKeepRawReceiveBody" },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const stash = (context as Context)[STASH] as Stash | undefined;
      const messages = (result.output as { Messages?: { MessageId?: string; MessageAttributes?: Record<string, MessageAttributeValue> }[] }).Messages;
      if (!stash || !messages) return result;
      for (const message of messages) {
        const raw = message.MessageId === undefined ? undefined : stash.get(message.MessageId);
        const value = sdkValue(raw);
        if (value && message.MessageAttributes && Object.hasOwn(message.MessageAttributes, NAME)) {
          Object.defineProperty(message.MessageAttributes, NAME, { value, enumerable: true, writable: true, configurable: true });
        }
      }
      return result;
    },
    { step: "initialize", priority: "high", name: "queueFlowRestoreProtoNamedAttributes" },
  );
}

/** Each received message's raw `__proto__` attribute value, by message id (JSON.parse keeps it as an own key). */
function rawProtoValues(text: string): Stash {
  const stash: Stash = new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return stash;
  }
  const messages = isRecord(parsed) && Array.isArray(parsed.Messages) ? parsed.Messages : [];
  for (const message of messages) {
    if (!isRecord(message) || typeof message.MessageId !== "string" || !isRecord(message.MessageAttributes)) continue;
    if (Object.hasOwn(message.MessageAttributes, NAME)) stash.set(message.MessageId, message.MessageAttributes[NAME]);
  }
  return stash;
}
