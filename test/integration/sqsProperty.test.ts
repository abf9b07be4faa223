// The SQS port's bad-input matrix, property-based (fast-check) as POST /tasks has one: any
// malformed request, in either wire protocol, aimed at the lesson's own queue, gets SQS's 4xx
// error in its protocol's shape, and leaves the server healthy with nothing changed.
import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { isType, playgroundPerFile } from "../helpers/playground.js";
import { readWorld } from "../helpers/sqsWorld.js";

const playground = playgroundPerFile();
const QUEUE = "<queue>";

// The members each action takes and their JSON types, from AWS's SQS API reference (2012-11-05).
type Kind = "string" | "integer" | "list" | "map";
const ACTIONS: Record<string, Record<string, Kind>> = {
  SendMessage: { QueueUrl: "string", MessageBody: "string", DelaySeconds: "integer", MessageAttributes: "map", MessageGroupId: "string" },
  SendMessageBatch: { QueueUrl: "string", Entries: "list" },
  ReceiveMessage: { QueueUrl: "string", MaxNumberOfMessages: "integer", VisibilityTimeout: "integer", WaitTimeSeconds: "integer", AttributeNames: "list", MessageAttributeNames: "list" },
  DeleteMessage: { QueueUrl: "string", ReceiptHandle: "string" },
  DeleteMessageBatch: { QueueUrl: "string", Entries: "list" },
  ChangeMessageVisibility: { QueueUrl: "string", ReceiptHandle: "string", VisibilityTimeout: "integer" },
  PurgeQueue: { QueueUrl: "string" },
  DeleteQueue: { QueueUrl: "string" },
  SetQueueAttributes: { QueueUrl: "string", Attributes: "map" },
  CreateQueue: { QueueName: "string", Attributes: "map", tags: "map" },
  GetQueueAttributes: { QueueUrl: "string", AttributeNames: "list" },
  TagQueue: { QueueUrl: "string", Tags: "map" },
  UntagQueue: { QueueUrl: "string", TagKeys: "list" },
};
const actionName = fc.constantFrom(...Object.keys(ACTIONS));

/** A JSON value that is NOT of this kind (null is left out: for JSON it means "absent"). */
function wrongFor(kind: Kind): fc.Arbitrary<unknown> {
  const string = fc.string({ maxLength: 20 });
  const object = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 0, maxKeys: 3 });
  const list = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
  const choices: Record<Kind, fc.Arbitrary<unknown>[]> = {
    string: [fc.integer(), fc.boolean(), object, list],
    integer: [string, fc.boolean(), object, list, fc.double({ min: -1e6, max: 1e6, noInteger: true, noNaN: true })],
    list: [string, fc.integer(), fc.boolean(), object],
    map: [string, fc.integer(), fc.boolean(), list],
  };
  return fc.oneof(...choices[kind]);
}

const jsonRequests: fc.Arbitrary<{ action: string; body: string }> = fc.oneof(
  // A body that is not a JSON object, or not JSON at all.
  fc.record({ action: actionName, body: fc.oneof(fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)), fc.string({ unit: "binary", minLength: 1 }).filter((s) => { try { const v: unknown = JSON.parse(s); return typeof v !== "object" || v === null || Array.isArray(v); } catch { return s.trim() !== ""; } })) }),
  // A well-aimed request with one member of the wrong JSON type.
  actionName.chain((action) => {
    const members = ACTIONS[action] as Record<string, Kind>;
    return fc.constantFrom(...Object.keys(members)).chain((member) =>
      wrongFor(members[member] as Kind).map((wrong) => ({ action, body: JSON.stringify({ QueueUrl: QUEUE, QueueName: "interview-queue", MessageBody: "b", ReceiptHandle: "r", VisibilityTimeout: 1, [member]: wrong }) })),
    );
  }),
  // More entries or message attributes than SQS allows, or attributes without a usable value.
  fc.record({ action: fc.constantFrom("SendMessageBatch", "DeleteMessageBatch"), count: fc.integer({ min: 11, max: 40 }) }).map(({ action, count }) => ({
    action,
    body: JSON.stringify({ QueueUrl: QUEUE, Entries: Array.from({ length: count }, (_, i) => ({ Id: `e${i}`, MessageBody: "b", ReceiptHandle: "r" })) }),
  })),
  fc.oneof(
    fc.integer({ min: 11, max: 30 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]))),
    fc
      .dictionary(fc.constantFrom("a", "__proto__", "constructor", "prototype"), fc.oneof(fc.constant(null), fc.constant({}), fc.record({ DataType: fc.constantFrom("String", "Binary", "") }), fc.string()), { minKeys: 1, maxKeys: 3 })
      .filter((attributes) => Object.keys(attributes).length > 0),
  ).map((attributes) => ({ action: "SendMessage", body: JSON.stringify({ QueueUrl: QUEUE, MessageBody: "b", MessageAttributes: attributes }) })),
);

// A part no list takes: a prototype's key, index 0, a leading zero, or past every SQS limit (50).
const segment = fc.constantFrom("__proto__", "constructor", "prototype", "0", "00", "011", "4294967295", "99999999999", "51");
// Lists of ten (batch entries, message attributes) refuse the 11th too.
const listAndSegment = fc.oneof(
  fc.record({ list: fc.constantFrom("Attribute", "AttributeName", "Tag", "TagKey", "Foo"), bad: segment }),
  fc.record({ list: fc.constantFrom("SendMessageBatchRequestEntry", "DeleteMessageBatchRequestEntry", "MessageAttribute"), bad: fc.oneof(segment, fc.constantFrom("11", "12", "99")) }),
);
const queryRequests: fc.Arbitrary<string> = fc.oneof(
  // A name with a prototype's key or an index SQS would never take, anywhere in it.
  fc.record({ action: actionName, where: listAndSegment, before: fc.boolean(), tail: fc.constantFrom("", ".Id", ".Name", ".Value.DataType") }).map(({ action, where: { list, bad }, before, tail }) => {
    const name = before ? `${bad}.${list}.1${tail}` : `${list}.${bad}${tail}`;
    return `Action=${action}&QueueUrl=${encodeURIComponent(QUEUE)}&MessageBody=b&${encodeURIComponent(name)}=x`;
  }),
  // An action this endpoint does not serve (SNS's and STS's among them).
  fc.oneof(fc.constantFrom("Publish", "CreateTopic", "GetCallerIdentity", "DeleteTopic"), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !(s in ACTIONS) && !["ListQueues", "GetQueueUrl", "ListQueueTags", "ChangeMessageVisibilityBatch"].includes(s))).map((action) => `Action=${encodeURIComponent(action)}&QueueUrl=${encodeURIComponent(QUEUE)}`),
  // A number that is not a whole number.
  fc.record({ field: fc.constantFrom("DelaySeconds", "VisibilityTimeout", "MaxNumberOfMessages", "WaitTimeSeconds"), value: fc.oneof(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !/^-?\d+$/.test(s)), fc.constant("1e3"), fc.constant("99999999999999999999")) }).map(({ field, value }) => `Action=SendMessage&QueueUrl=${encodeURIComponent(QUEUE)}&MessageBody=b&${field}=${encodeURIComponent(value)}`),
);

const INTERNALS = /Cannot read|is not iterable|is not a function|argument must be|Unexpected token|\bat \w+ \(|\.js:\d|Internal Server Error/;
const ownKeysOfObjectPrototype = () => Object.getOwnPropertyNames(Object.prototype).sort();

describe("the SQS port with any malformed request (property-based)", () => {
  const prototypeKeys = ownKeysOfObjectPrototype();

  it("answers each JSON-protocol request with SQS's 4xx JSON error and changes nothing", { timeout: 120_000 }, async () => {
    const { sqsEndpoint, url, queues } = playground();
    // The world after one run is the world before the next: read once a run, not twice (each read
    // is ten requests, and reading twice made the file minutes long on a loaded machine). It is
    // read before any assertion, so a failing run's world is what the shrinking runs start from.
    let world = await readWorld(url, sqsEndpoint);
    await fc.assert(
      fc.asyncProperty(jsonRequests, async ({ action, body }) => {
        const before = world;
        const response = await fetch(`${sqsEndpoint}/`, { method: "POST", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` }, body: body.replaceAll(QUEUE, queues.queueUrl) });
        const text = await response.text();
        world = await readWorld(url, sqsEndpoint);
        expect(response.status, text).toBeGreaterThanOrEqual(400);
        expect(response.status, text).toBeLessThan(500);
        expect(JSON.parse(text)).toEqual({ __type: expect.stringMatching(/^com\.amazon(aws\.sqs|\.coral\.service)#\w+$/), message: expect.any(String) });
        expect(text).not.toMatch(INTERNALS);
        expect(world).toEqual(before);
        expect(ownKeysOfObjectPrototype()).toEqual(prototypeKeys);
      }),
      { numRuns: 250 },
    );
  });

  it("answers each query-protocol request with SQS's 4xx XML error and changes nothing", { timeout: 120_000 }, async () => {
    const { sqsEndpoint, url, queues } = playground();
    const xml = new XMLParser();
    // Read once a run, before any assertion, as in the JSON test.
    let world = await readWorld(url, sqsEndpoint);
    await fc.assert(
      fc.asyncProperty(queryRequests, async (body) => {
        const before = world;
        const response = await fetch(`${sqsEndpoint}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.replaceAll(encodeURIComponent(QUEUE), encodeURIComponent(queues.queueUrl)) });
        const text = await response.text();
        world = await readWorld(url, sqsEndpoint);
        expect(response.status, text).toBeGreaterThanOrEqual(400);
        expect(response.status, text).toBeLessThan(500);
        expect((xml.parse(text) as { ErrorResponse?: { Error?: { Code?: unknown } } }).ErrorResponse?.Error?.Code, text).toEqual(expect.any(String));
        expect(text).not.toMatch(INTERNALS);
        expect(world).toEqual(before);
        expect(ownKeysOfObjectPrototype()).toEqual(prototypeKeys);
      }),
      // Always tried first: seed 111 (path 67:0:3:1) found "0 " taken as a whole number and the
      // message sent (the engine trimmed the text); random runs meet it about once in a hundred.
      { numRuns: 250, examples: [[`Action=SendMessage&QueueUrl=${encodeURIComponent(QUEUE)}&MessageBody=b&DelaySeconds=0%20`], [`Action=SendMessage&QueueUrl=${encodeURIComponent(QUEUE)}&MessageBody=b&VisibilityTimeout=%201`]] },
    );
  });

  it("is still healthy afterwards: /health answers and a fresh task completes", async () => {
    expect((await playground().get("/health")).status).toBe(200);
    const task = (await (await playground().post("/tasks", { title: "after the matrix" })).json()) as Task;
    await playground().waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "completed"));
  });
});
