import { SqsError } from "../errors.js";

/**
 * The JSON protocol's member types, checked before an action reads its input: a member of the
 * wrong JSON type (MessageBody as an object, Entries as an object, VisibilityTimeout as text) is
 * AWS's SerializationException, answered before any SQS rule is applied. Members the model does
 * not know are ignored and null means absent, as AWS's JSON services read them. Only the shapes of
 * the actions that take structured input are listed; the others' members are all strings or are
 * checked by the action. Source: the SQS service model (2012-11-05), AWS JSON 1.0 protocol.
 */
type Kind = "string" | "integer" | "boolean" | "strings" | "stringMap" | "attributes" | { entries: Shape };
type Shape = Record<string, Kind>;

const SEND: Shape = {
  QueueUrl: "string",
  MessageBody: "string",
  DelaySeconds: "integer",
  MessageAttributes: "attributes",
  MessageSystemAttributes: "attributes",
  MessageDeduplicationId: "string",
  MessageGroupId: "string",
};
const ATTRIBUTE_VALUE: Shape = { DataType: "string", StringValue: "string", BinaryValue: "string", StringListValues: "strings", BinaryListValues: "strings" };
const withEntries = (entry: Shape): Shape => ({ QueueUrl: "string", Entries: { entries: { Id: "string", ...entry } } });

const SHAPES: Record<string, Shape> = {
  CreateQueue: { QueueName: "string", Attributes: "stringMap", tags: "stringMap" },
  GetQueueUrl: { QueueName: "string", QueueOwnerAWSAccountId: "string" },
  ListQueues: { QueueNamePrefix: "string", NextToken: "string", MaxResults: "integer" },
  GetQueueAttributes: { QueueUrl: "string", AttributeNames: "strings" },
  SetQueueAttributes: { QueueUrl: "string", Attributes: "stringMap" },
  SendMessage: SEND,
  SendMessageBatch: withEntries(SEND),
  ReceiveMessage: {
    QueueUrl: "string",
    AttributeNames: "strings",
    MessageSystemAttributeNames: "strings",
    MessageAttributeNames: "strings",
    MaxNumberOfMessages: "integer",
    VisibilityTimeout: "integer",
    WaitTimeSeconds: "integer",
    ReceiveRequestAttemptId: "string",
  },
  DeleteMessage: { QueueUrl: "string", ReceiptHandle: "string" },
  DeleteMessageBatch: withEntries({ ReceiptHandle: "string" }),
  ChangeMessageVisibility: { QueueUrl: "string", ReceiptHandle: "string", VisibilityTimeout: "integer" },
  ChangeMessageVisibilityBatch: withEntries({ ReceiptHandle: "string", VisibilityTimeout: "integer" }),
  TagQueue: { QueueUrl: "string", Tags: "stringMap" },
  UntagQueue: { QueueUrl: "string", TagKeys: "strings" },
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const jsonType = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`);
const wrong = (path: string, expected: string, value: unknown) => new SqsError("SerializationException", `${path} must be ${expected}, not ${jsonType(value)}.`);

/** Throws SerializationException for a member of the wrong JSON type; returns when the types are right. */
export function checkJsonTypes(action: string, input: Record<string, unknown>): void {
  const shape = SHAPES[action];
  if (shape) checkShape(shape, input, "");
}

function checkShape(shape: Shape, value: Record<string, unknown>, prefix: string): void {
  for (const name of Object.keys(value)) {
    const kind = shape[name];
    const member = value[name];
    if (kind !== undefined && member !== null && member !== undefined) checkKind(kind, member, `${prefix}${name}`);
  }
}

function checkKind(kind: Kind, value: unknown, path: string): void {
  if (kind === "string") {
    if (typeof value !== "string") throw wrong(path, "a string", value);
  } else if (kind === "integer") {
    if (typeof value !== "number" || !Number.isSafeInteger(value)) throw wrong(path, "a whole number", value);
  } else if (kind === "boolean") {
    if (typeof value !== "boolean") throw wrong(path, "true or false", value);
  } else if (kind === "strings") {
    if (!Array.isArray(value)) throw wrong(path, "a list of strings", value);
    value.forEach((item, i) => checkKind("string", item, `${path}.${i + 1}`));
  } else if (kind === "stringMap") {
    if (!isObject(value)) throw wrong(path, "an object of strings", value);
    for (const key of Object.keys(value)) checkKind("string", value[key], `${path}.${key}`);
  } else if (kind === "attributes") {
    if (!isObject(value)) throw wrong(path, "an object of message attributes", value);
    for (const name of Object.keys(value)) {
      const attribute = value[name];
      if (attribute === null) continue;
      if (!isObject(attribute)) throw wrong(`${path}.${name}`, "an object", attribute);
      checkShape(ATTRIBUTE_VALUE, attribute, `${path}.${name}.`);
    }
  } else {
    if (!Array.isArray(value)) throw wrong(path, "a list of entries", value);
    value.forEach((item, i) => {
      if (!isObject(item)) throw wrong(`${path}.${i + 1}`, "an object", item);
      checkShape(kind.entries, item, `${path}.${i + 1}.`);
    });
  }
}
