import { SqsError, errors } from "../errors.js";

/**
 * The query protocol's request (`Action=SendMessage&MessageAttribute.1.Name=a&…`, form body or URL
 * query) as the JSON protocol's input, so one set of actions serves both. Objects are built with no
 * prototype, names that would reach one (`__proto__`, `constructor`, `prototype`) are refused, and
 * list indices are capped, so a hostile request cannot grow memory or touch Object.prototype.
 * Source: SQS developer guide, "Making query API requests".
 */

type Node = { [key: string]: Node | string };
export type QueryInput = Record<string, unknown>;

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
/** The highest index each flattened list may use; AWS's own limits (10 batch entries, 10 message attributes). */
const MAX_INDEX: Record<string, number> = { Attribute: 20, AttributeName: 20, MessageSystemAttributeName: 20, Tag: 50, TagKey: 50 };
const DEFAULT_MAX_INDEX = 10;

const nullObject = (): Node => Object.create(null) as Node;

/** `A.1.B=x` → nested null-prototype objects keyed by segment. */
function unflatten(params: Iterable<[string, string]>): Node {
  const root = nullObject();
  for (const [key, value] of params) {
    const path = key.split(".");
    let node = root;
    for (const [i, segment] of path.entries()) {
      if (FORBIDDEN.has(segment) || segment === "") throw errors.invalidParameterValue(`Parameter name ${key} is invalid.`);
      if (/^\d+$/.test(segment)) checkIndex(path[i - 1] ?? "", segment);
      if (i === path.length - 1) {
        node[segment] = value;
        break;
      }
      const next = node[segment];
      node = typeof next === "object" ? next : (node[segment] = nullObject());
    }
  }
  return root;
}

/** A list index is a whole number from 1 written without leading zeros (`.0.` and `.01.` name no member). */
function checkIndex(list: string, digits: string): void {
  const index = Number(digits);
  const max = MAX_INDEX[list] ?? DEFAULT_MAX_INDEX;
  if (!/^[1-9]/.test(digits)) throw errors.invalidParameterValue(`Index ${digits} of parameter ${list} is not a valid list index.`);
  if (index <= max) return;
  if (list.endsWith("RequestEntry")) {
    throw new SqsError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", `Maximum number of entries per request are 10. You have sent ${index}.`);
  }
  throw errors.invalidParameterValue(`Index ${index} of parameter ${list} is out of range (1 to ${max}).`);
}

/** A flattened list's members in index order. */
const members = (node: Node | string | undefined): Node[] =>
  typeof node === "object"
    ? Object.keys(node)
        .sort((a, b) => Number(a) - Number(b))
        .map((index) => node[index])
        .filter((member): member is Node => typeof member === "object")
    : [];
const strings = (node: Node | string | undefined): string[] =>
  typeof node === "object" ? Object.keys(node).sort((a, b) => Number(a) - Number(b)).map((i) => String(node[i])) : [];

/**
 * `X.N.Name` / `X.N.Value` pairs as a null-prototype map. `anyName`: message attributes may be
 * named `__proto__` (SQS's name rules allow it); in a map with no prototype it is a plain key.
 */
function pairs(node: Node | string | undefined, keyName: string, valueName: string, anyName = false): Record<string, unknown> {
  const map = Object.create(null) as Record<string, unknown>;
  for (const member of members(node)) {
    const key = member[keyName];
    if (typeof key === "string" && (anyName || !FORBIDDEN.has(key))) map[key] = member[valueName];
  }
  return map;
}

const LISTS: Record<string, string> = {
  AttributeName: "AttributeNames",
  MessageAttributeName: "MessageAttributeNames",
  MessageSystemAttributeName: "MessageSystemAttributeNames",
  TagKey: "TagKeys",
  AWSAccountId: "AWSAccountIds",
  ActionName: "Actions",
};

/** Members the SQS model types as integers, in any action: their text must be a whole number. */
const INTEGER_MEMBERS = new Set(["DelaySeconds", "VisibilityTimeout", "MaxNumberOfMessages", "WaitTimeSeconds", "MaxResults"]);

// As written, not trimmed: " 0" is text around a number, not a whole number (AWS's query parser
// parses integers strictly, and the JSON protocol's number type has no such text at all).
function wholeNumber(name: string, value: Node | string): string {
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return value;
  throw errors.invalidValue(typeof value === "string" ? value : "", name, "The value must be a whole number.");
}

function convert(node: Node, action: string): QueryInput {
  const input = Object.create(null) as QueryInput;
  for (const [key, value] of Object.entries(node)) {
    if (key === "Action" || key === "Version") continue;
    const list = LISTS[key];
    if (list) input[list] = strings(value);
    else if (key === "Attribute") input.Attributes = pairs(value, "Name", "Value");
    else if (key === "Tag") input[action === "CreateQueue" ? "tags" : "Tags"] = pairs(value, "Key", "Value");
    else if (key === "MessageAttribute" || key === "MessageSystemAttribute") input[`${key}s`] = pairs(value, "Name", "Value", true);
    else if (INTEGER_MEMBERS.has(key)) input[key] = wholeNumber(key, value);
    else if (key.endsWith("RequestEntry")) input.Entries = members(value).map((entry) => convert(entry, action));
    else input[key] = value;
  }
  return input;
}

/**
 * More than ten batch entries, or message attributes, are refused before parsing, counted as AWS
 * counts them and worded as AWS words them (an eleventh attribute is not "index out of range").
 */
function checkEntryCount(params: URLSearchParams): void {
  const entries = new Set<string>();
  const attributes = new Set<string>();
  for (const key of params.keys()) {
    const match = /^\w+RequestEntry\.(\d+)\./.exec(key);
    if (match) entries.add(match[1]!);
    const attribute = /^MessageAttribute\.(\d+)\./.exec(key);
    if (attribute) attributes.add(attribute[1]!);
  }
  if (attributes.size > 10) {
    throw errors.invalidParameterValue(`Number of message attributes [${attributes.size}] exceeds the allowed maximum [10].`);
  }
  if (entries.size > 10) {
    throw new SqsError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", `Maximum number of entries per request are 10. You have sent ${entries.size}.`);
  }
}

/** The action name and its input in the JSON protocol's shape. Raises InvalidParameterValue for a hostile name. */
export function parseQuery(params: URLSearchParams): { action: string; input: QueryInput } {
  checkEntryCount(params);
  const tree = unflatten(params.entries());
  const action = typeof tree.Action === "string" ? tree.Action : "";
  return { action, input: convert(tree, action) };
}
