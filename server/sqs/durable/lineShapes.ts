import type { EntryParser } from "../../store/journal.js";
import type { Message } from "../model/message.js";

// What each line of sqs.jsonl and sqs.journal.jsonl must be, checked when they are read back.
// Checked here field by field rather than with zod (which the rest of the server uses): these lines
// are the engine's own output and there are tens of thousands of them at a start, where zod's
// parse (and, for the engine alone, its import) cost about 200 ms of CPU for 10,000 messages, half
// of the 500 ms start-up budget. A check also never copies a line, so a message attribute named
// `__proto__` (which SQS allows) stays an attribute.

/** A message as written: everything but `version`, which only orders this process's own timers. */
export type StoredMessage = Omit<Message, "version">;
type ReceiveState = Pick<Message, "state" | "visibleAt" | "receiveCount" | "firstReceivedAt" | "receiptHandle">;
interface Where {
  region: string;
  queue: string;
}

/** One line: a change (see EngineChange), or part of the state a compaction wrote. */
export type SqsRecord = Where &
  (
    | {
        op: "queue";
        attributes: Record<string, string>;
        tags: Record<string, string>;
        createdAt: number;
        lastModifiedAt: number;
        perGroupDeduplication: boolean;
        /** Written by a compaction only: what the state file knows that no change line repeats. */
        lastPurgeAt?: number | null;
        lastSequenceNumber?: string | null;
      }
    | { op: "queue-deleted" }
    | { op: "message"; message: StoredMessage; deduplicationKey?: string }
    | ({ op: "message-state"; id: string } & ReceiveState)
    | { op: "message-gone"; id: string }
    | { op: "purged"; at: number | null }
    | { op: "deduplication"; key: string; until: number; message: StoredMessage }
  );

/** A field's check: undefined when it is right, else what is wrong, naming where (`message.sentAt`). */
type Check = (value: unknown, path: string) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const kind =
  (expected: string, ok: (value: unknown) => boolean): Check =>
  (value, path) =>
    ok(value) ? undefined : `${path}: expected ${expected}`;
const string = kind("a string", (v) => typeof v === "string");
const time = kind("a number", (v) => typeof v === "number" && Number.isFinite(v));
const boolean = kind("true or false", (v) => typeof v === "boolean");
const count = kind("a whole number ≥ 0", (v) => Number.isInteger(v) && (v as number) >= 0);
const messageState = kind(`"delayed", "visible" or "in-flight"`, (v) => v === "delayed" || v === "visible" || v === "in-flight");
const orNull =
  (check: Check): Check =>
  (value, path) =>
    value === null ? undefined : check(value, path);
const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined ? undefined : check(value, path);

/** An object whose listed fields pass their checks (other fields are left alone). */
function shape(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (value, path) => {
    if (!isObject(value)) return `${path || "the line"}: expected an object`;
    for (const [name, check] of entries) {
      const problem = check(value[name], path ? `${path}.${name}` : name);
      if (problem) return problem;
    }
    return undefined;
  };
}
const mapOf =
  (check: Check): Check =>
  (value, path) => {
    if (!isObject(value)) return `${path}: expected an object`;
    for (const [name, item] of Object.entries(value)) {
      const problem = check(item, `${path}.${name}`);
      if (problem) return problem;
    }
    return undefined;
  };

const attributes = mapOf(shape({ DataType: string, StringValue: optional(string), BinaryValue: optional(string) }));
const receiveState = { state: messageState, visibleAt: orNull(time), receiveCount: count, firstReceivedAt: orNull(time), receiptHandle: orNull(string) };
const message = shape({
  id: string,
  body: string,
  md5OfBody: string,
  attributes,
  md5OfAttributes: optional(string),
  systemAttributes: attributes,
  md5OfSystemAttributes: optional(string),
  senderId: string,
  sentAt: time,
  expiresAt: time,
  ...receiveState,
  deadLetterSourceArn: optional(string),
  groupId: optional(string),
  deduplicationId: optional(string),
  sequenceNumber: optional(string),
});
const where = { region: string, queue: string };
const strings = mapOf(string);

const SHAPES: Record<SqsRecord["op"], Check> = {
  queue: shape({
    ...where,
    attributes: strings,
    tags: strings,
    createdAt: time,
    lastModifiedAt: time,
    perGroupDeduplication: boolean,
    lastPurgeAt: optional(orNull(time)),
    lastSequenceNumber: optional(orNull(string)),
  }),
  "queue-deleted": shape(where),
  message: shape({ ...where, message, deduplicationKey: optional(string) }),
  "message-state": shape({ ...where, id: string, ...receiveState }),
  "message-gone": shape({ ...where, id: string }),
  purged: shape({ ...where, at: orNull(time) }),
  deduplication: shape({ ...where, key: string, until: time, message }),
};

/** Reads a parsed line as a record, or names its first wrong field. */
export const parseRecord: EntryParser<SqsRecord> = (value) => {
  if (!isObject(value)) return { problem: "the line: expected an object" };
  const check = typeof value.op === "string" && Object.hasOwn(SHAPES, value.op) ? SHAPES[value.op as SqsRecord["op"]] : undefined;
  if (!check) return { problem: `op: expected one of ${Object.keys(SHAPES).join(", ")}` };
  const problem = check(value, "");
  return problem ? { problem } : { entry: value as unknown as SqsRecord };
};

/** How a line looks, for the error that asks a person to fix one by hand. */
export const LINE_SHAPE = `{"op": "${Object.keys(SHAPES).join('" | "')}", "region": …, "queue": …, …}`;
