// Lambda event filtering (FilterCriteria, EventBridge pattern syntax), one test per documented
// operator, matched against SQS records as Lambda matches them (aws-semantics.md §2).
import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ControlError } from "../../server/control/errors.js";
import { parseFilterCriteria, passesFilters } from "../../server/trigger/eventFilter.js";

const record = (body: string, messageAttributes: SQSRecord["messageAttributes"] = {}): SQSRecord => ({
  messageId: "m",
  receiptHandle: "r",
  body,
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1", SenderId: "s", ApproximateFirstReceiveTimestamp: "1" },
  messageAttributes,
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
  awsRegion: "us-east-1",
});

/** Whether a body passes one pattern. */
const passes = (pattern: unknown, body: string) => passesFilters(parseFilterCriteria({ Filters: [{ Pattern: JSON.stringify(pattern) }] }), record(body));
const task = (fields: Record<string, unknown>) => JSON.stringify({ task_id: 1, title: "t", ...fields });

describe("FilterCriteria patterns on an SQS record", () => {
  it("matches exact values, any of a list (an or-list)", () => {
    expect(passes({ body: { title: ["a", "b"] } }, task({ title: "b" }))).toBe(true);
    expect(passes({ body: { title: ["a", "b"] } }, task({ title: "c" }))).toBe(false);
  });

  it("matches a prefix", () => {
    expect(passes({ body: { title: [{ prefix: "urgent" }] } }, task({ title: "urgent: pay" }))).toBe(true);
    expect(passes({ body: { title: [{ prefix: "urgent" }] } }, task({ title: "not urgent" }))).toBe(false);
  });

  it("matches a suffix", () => {
    expect(passes({ body: { title: [{ suffix: ".png" }] } }, task({ title: "cat.png" }))).toBe(true);
    expect(passes({ body: { title: [{ suffix: ".png" }] } }, task({ title: "cat.jpg" }))).toBe(false);
  });

  it("matches anything but the values listed, and not a missing field", () => {
    expect(passes({ body: { title: [{ "anything-but": ["spam", "junk"] }] } }, task({ title: "real" }))).toBe(true);
    expect(passes({ body: { title: [{ "anything-but": ["spam", "junk"] }] } }, task({ title: "spam" }))).toBe(false);
    expect(passes({ body: { kind: [{ "anything-but": "spam" }] } }, task({}))).toBe(false);
    expect(passes({ body: { title: [{ "anything-but": { prefix: "test" } }] } }, task({ title: "test 1" }))).toBe(false);
  });

  it("matches numeric ranges", () => {
    expect(passes({ body: { task_id: [{ numeric: [">", 0, "<=", 5] }] } }, task({ task_id: 5 }))).toBe(true);
    expect(passes({ body: { task_id: [{ numeric: [">", 0, "<=", 5] }] } }, task({ task_id: 6 }))).toBe(false);
    expect(passes({ body: { task_id: [{ numeric: ["=", 6] }] } }, task({ task_id: "6" }))).toBe(false);
  });

  it("matches on whether a field exists", () => {
    expect(passes({ body: { priority: [{ exists: true }] } }, task({ priority: "high" }))).toBe(true);
    expect(passes({ body: { priority: [{ exists: true }] } }, task({}))).toBe(false);
    expect(passes({ body: { priority: [{ exists: false }] } }, task({}))).toBe(true);
  });

  it("matches ignoring case", () => {
    expect(passes({ body: { title: [{ "equals-ignore-case": "HELLO" }] } }, task({ title: "hello" }))).toBe(true);
    expect(passes({ body: { title: [{ "equals-ignore-case": "HELLO" }] } }, task({ title: "hell" }))).toBe(false);
  });

  it("matches wildcards", () => {
    expect(passes({ body: { title: [{ wildcard: "order-*-paid" }] } }, task({ title: "order-17-paid" }))).toBe(true);
    expect(passes({ body: { title: [{ wildcard: "order-*-paid" }] } }, task({ title: "order-17-open" }))).toBe(false);
  });

  it("matches either branch of $or", () => {
    const pattern = { body: { $or: [{ title: ["a"] }, { task_id: [{ numeric: [">", 100] }] }] } };
    expect(passes(pattern, task({ title: "a" }))).toBe(true);
    expect(passes(pattern, task({ task_id: 101 }))).toBe(true);
    expect(passes(pattern, task({ title: "b" }))).toBe(false);
  });

  it("matches a plain-string body only as a string: a JSON pattern drops it", () => {
    expect(passes({ body: ["bad record"] }, "bad record")).toBe(true);
    expect(passes({ body: { title: [{ exists: true }] } }, "bad record")).toBe(false);
  });

  it("matches message attributes too, and passes a record that matches any one filter", () => {
    const criteria = parseFilterCriteria({ Filters: [{ Pattern: '{"body": {"title": ["x"]}}' }, { Pattern: '{"messageAttributes": {"kind": {"stringValue": ["vip"]}}}' }] });
    expect(passesFilters(criteria, record(task({}), { kind: { stringValue: "vip", stringListValues: [], binaryListValues: [], dataType: "String" } }))).toBe(true);
    expect(passesFilters(criteria, record(task({})))).toBe(false);
  });
});

describe("FilterCriteria validation (UpdateEventSourceMapping)", () => {
  it.each([
    ["a pattern that is not JSON", { Filters: [{ Pattern: "{body" }] }, /not JSON/],
    ["a leaf that is not a list", { Filters: [{ Pattern: '{"body": {"title": "a"}}' }] }, /neither a value nor an operator|must be a non-empty JSON object/],
    ["an unknown operator", { Filters: [{ Pattern: '{"body": {"title": [{"contains": "a"}]}}' }] }, /the operators are/],
    ["a numeric operator without a number", { Filters: [{ Pattern: '{"body": {"n": [{"numeric": [">", "1"]}]}}' }] }, /"numeric" cannot take/],
    ["six filters", { Filters: Array.from({ length: 6 }, () => ({ Pattern: '{"body": {"a": [1]}}' })) }, /at most 5 filters/],
    ["a pattern over 4,096 characters", { Filters: [{ Pattern: `{"body": {"a": ["${"x".repeat(4100)}"]}}` }] }, /longer than 4096/],
    ["a filter without Pattern", { Filters: [{ pattern: "{}" }] }, /must be \{"Pattern"/],
  ])("refuses %s with InvalidParameterValueException, AWS's exact message and our reason in detail", (_name, criteria, reason) => {
    let error: unknown;
    try {
      parseFilterCriteria(criteria);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ControlError);
    expect(error).toMatchObject({ status: 400, code: "InvalidParameterValueException", message: "Invalid filter pattern definition.", detail: expect.stringMatching(reason) });
  });

  it("reads {} and an empty list as no filtering", () => {
    expect(parseFilterCriteria({})).toBeUndefined();
    expect(parseFilterCriteria({ Filters: [] })).toBeUndefined();
    expect(passesFilters(undefined, record("anything"))).toBe(true);
  });
});
