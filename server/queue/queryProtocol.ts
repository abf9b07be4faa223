// SQS's older query protocol (form-encoded request, XML response), translated to and from the
// JSON protocol fauxqs speaks. Older AWS CLIs still use it for SQS — Debian's aws-cli 2.9 among
// them — and the playground's terminal must work with whatever CLI the learner has.
import { XMLBuilder } from "fast-xml-parser";

export const SQS_QUERY_ACTIONS = new Set([
  "CreateQueue", "DeleteQueue", "GetQueueUrl", "ListQueues", "GetQueueAttributes", "SetQueueAttributes",
  "PurgeQueue", "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
  "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "TagQueue", "UntagQueue", "ListQueueTags",
]);

const NUMERIC = new Set(["MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds", "DelaySeconds", "MaxResults"]);
const LISTS: Record<string, string> = {
  AttributeName: "AttributeNames",
  MessageAttributeName: "MessageAttributeNames",
  MessageSystemAttributeName: "MessageSystemAttributeNames",
  TagKey: "TagKeys",
};

type Tree = { [key: string]: Tree | Tree[] | string };
type Json = Record<string, unknown>;

/** `A.1.B=x` → `{A: [{B: "x"}]}`: the query protocol's flattened members, nested again. */
function unflatten(params: Record<string, string>): Tree {
  const root: Tree = {};
  for (const [key, value] of Object.entries(params)) {
    const path = key.split(".");
    let node: Tree | Tree[] = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const index = Number(segment) - 1;
      const container = node as Record<string | number, Tree | Tree[] | string>;
      const slot = Array.isArray(node) ? index : segment;
      if (last) {
        container[slot] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[i + 1] ?? "");
      container[slot] ??= nextIsIndex ? [] : {};
      node = container[slot] as Tree | Tree[];
    });
  }
  return root;
}

const entries = (value: unknown): Tree[] => (Array.isArray(value) ? value.filter(Boolean) : []);

function convertMembers(tree: Tree, action: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(tree)) {
    if (key === "Action" || key === "Version") continue;
    if (key in LISTS) out[LISTS[key] as string] = entries(value);
    else if (key === "Attribute") out.Attributes = Object.fromEntries(entries(value).map((a) => [a.Name, a.Value]));
    else if (key === "Tag") out[action === "CreateQueue" ? "tags" : "Tags"] = Object.fromEntries(entries(value).map((t) => [t.Key, t.Value]));
    else if (key === "MessageAttribute" || key === "MessageSystemAttribute") {
      out[`${key}s`] = Object.fromEntries(entries(value).map((a) => [a.Name, a.Value]));
    } else if (key.endsWith("RequestEntry")) out.Entries = entries(value).map((entry) => convertMembers(entry, action));
    else if (NUMERIC.has(key) && typeof value === "string") out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

/** A query-protocol request as the JSON protocol's action and input. */
export function queryToJson(params: Record<string, string>): { action: string; input: Json } {
  const action = params.Action ?? "";
  return { action, input: convertMembers(unflatten(params), action) };
}

const nameValue = (map: unknown, valueKey = "Value") =>
  Object.entries((map ?? {}) as Json).map(([Name, Value]) => ({ Name, [valueKey]: Value }));

function resultMembers(action: string, output: Json): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(output)) {
    if (value === undefined || value === null) continue;
    if (key === "Messages") {
      result.Message = (value as Json[]).map((message) => {
        const { Attributes, MessageAttributes, ...rest } = message;
        return { ...rest, Attribute: nameValue(Attributes), MessageAttribute: nameValue(MessageAttributes) };
      });
    } else if (key === "Attributes") result.Attribute = nameValue(value);
    else if (key === "QueueUrls") result.QueueUrl = value;
    else if (key === "Tags") result.Tag = Object.entries(value as Json).map(([Key, Value]) => ({ Key, Value }));
    else if (key === "Successful") result[`${action}ResultEntry`] = value;
    else if (key === "Failed") result.BatchResultErrorEntry = value;
    else result[key] = value;
  }
  return result;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: true });
const NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

/** A JSON-protocol success as the query protocol's XML document. */
export function jsonToXml(action: string, output: Json, requestId: string): string {
  const result = resultMembers(action, output);
  const body: Json = { "@_xmlns": NAMESPACE };
  if (Object.keys(result).length > 0) body[`${action}Result`] = result;
  body.ResponseMetadata = { RequestId: requestId };
  return builder.build({ [`${action}Response`]: body }) as string;
}

/**
 * A JSON-protocol error as the query protocol's ErrorResponse. The legacy code (for example
 * `AWS.SimpleQueueService.NonExistentQueue`) comes from the `x-amzn-query-error` header, as AWS does.
 */
export function errorToXml(json: Json, queryErrorHeader: string | undefined, requestId: string): string {
  const [legacyCode, fault] = (queryErrorHeader ?? "").split(";");
  const modelled = String(json.__type ?? "InternalError").split("#").pop();
  const error = { Type: fault || "Sender", Code: legacyCode || modelled, Message: json.message ?? json.Message ?? "" };
  return builder.build({ ErrorResponse: { "@_xmlns": NAMESPACE, Error: error, RequestId: requestId } }) as string;
}
