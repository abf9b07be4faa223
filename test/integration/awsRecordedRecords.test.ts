// The SQS event a handler receives, field by field against records AWS itself produced: LocalStack's
// AWS-validated snapshot of its SQS event-source-mapping tests (test/fixtures/aws-sqs-lambda-records.json
// names the file and commit). Messages like the recorded ones go through the real embedded SQS engine
// and our trigger; only what differs on every run is normalised (ids, receipt handles, timestamps,
// SenderId, the body's digest after checking it, the account, region and queue name in the ARN).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import type { TriggerSettings } from "../../common/events.js";
import type { LambdaHandler } from "../../server/trigger/lambdaTrigger.js";
import { startTriggerHarness, until, type TriggerHarness } from "../helpers/triggerHarness.js";

type RecordedRecord = Record<string, unknown> & { body: unknown };
interface Recording {
  from: string;
  mapping: Pick<TriggerSettings, "BatchSize" | "MaximumBatchingWindowInSeconds"> & Partial<Pick<TriggerSettings, "FunctionResponseTypes">>;
  record: RecordedRecord;
  /** A whole invocation's records (the FIFO recordings), and what the function returned. */
  records?: RecordedRecord[];
  result?: { batchItemFailures: { itemIdentifier: string }[] };
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/aws-sqs-lambda-records.json", import.meta.url), "utf8")) as { recordings: Record<string, Recording> };
const recording = (name: string): Recording => {
  const found = fixture.recordings[name];
  if (!found) throw new Error(`no recording named "${name}" in the fixture`);
  return found;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EPOCH_MS = /^\d{13}$/;
/** AWS's FIFO SequenceNumber: a large number as a string (20 digits in AWS's examples). */
const SEQUENCE_NUMBER = /^\d{20}$/;

/** The record with every per-run value checked for its form and replaced by the snapshot's placeholder. */
function normalise(record: SQSRecord, bodyAsRecorded: unknown): Record<string, unknown> {
  const { messageId, receiptHandle, body, attributes, md5OfBody, eventSourceARN, awsRegion } = record;
  expect(messageId).toMatch(UUID);
  expect(receiptHandle).not.toBe("");
  expect(attributes.SentTimestamp).toMatch(EPOCH_MS);
  expect(attributes.ApproximateFirstReceiveTimestamp).toMatch(EPOCH_MS);
  expect(attributes.SenderId).not.toBe("");
  expect(md5OfBody).toBe(createHash("md5").update(body, "utf8").digest("hex"));
  const arn = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([\w.-]+)$/.exec(eventSourceARN);
  expect(arn?.[1]).toBe(awsRegion);
  const fifo = "SequenceNumber" in attributes ? { SequenceNumber: "<sequence-number>" } : {};
  if (fifo.SequenceNumber) expect(attributes.SequenceNumber).toMatch(SEQUENCE_NUMBER);
  return {
    ...record,
    messageId: "<uuid>",
    receiptHandle: "<receipt-handle>",
    // The snapshot parses a JSON body; a body that is a string there is compared as sent.
    body: typeof bodyAsRecorded === "string" ? body : JSON.parse(body),
    attributes: { ...attributes, SentTimestamp: "sent-timestamp", SenderId: "sender-id", ApproximateFirstReceiveTimestamp: "<approximate-first-receive-timestamp>", ...fifo },
    md5OfBody: "<md5-of-body>",
    eventSourceARN: "arn:<partition>:sqs:<region>:111111111111:<resource>",
    awsRegion: "<region>",
  };
}

let harness: TriggerHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Starts the trigger with a recording's mapping and a handler that keeps every event; fails the first `failFirst` invocations. */
async function capture(mapping: Recording["mapping"], failFirst = 0) {
  const events: SQSEvent[] = [];
  const handler: LambdaHandler = async (event) => {
    events.push(structuredClone(event));
    if (events.length <= failFirst) throw new Error("failed attempt");
    return { batchItemFailures: [] };
  };
  const h = await startTriggerHarness({ handler, visibilityTimeoutSeconds: 1, settings: { ...mapping, FunctionResponseTypes: [] } });
  harness = h;
  const send = async (body: string, attributes?: Record<string, MessageAttributeValue>) => (attributes ? h.sendWithAttributes(body, attributes) : h.send(body));
  return { events, send };
}

describe("records as AWS recorded them (LocalStack's AWS-validated SQS event source mapping snapshot)", () => {
  it("matches the record of a message with three message attributes, md5OfMessageAttributes included", { timeout: 30_000 }, async () => {
    const { mapping, record } = recording("message attributes, no batching window");
    const run = await capture(mapping);
    harness?.trigger.start();
    await run.send(String(record.body), {
      Title: { DataType: "String", StringValue: "The Whistler" },
      Author: { DataType: "String", StringValue: "John Grisham" },
      WeeksOn: { DataType: "Number", StringValue: "6" },
    });
    await until(() => run.events.length === 1);
    expect(normalise(run.events[0]?.Records[0] as SQSRecord, record.body)).toEqual(record);
  });

  it("matches the records of a message without attributes, first and second receive after a failure (no md5OfMessageAttributes key)", { timeout: 30_000 }, async () => {
    const first = recording("no message attributes, no batching window, first receive");
    const second = recording("no message attributes, no batching window, second receive after a failure");
    const run = await capture(first.mapping, 1);
    harness?.trigger.start();
    await run.send(String(first.record.body));
    await until(() => run.events.length === 2);
    expect([run.events[0], run.events[1]].map((e) => normalise(e?.Records[0] as SQSRecord, first.record.body))).toEqual([first.record, second.record]);
  });

  it("matches the record of a message without attributes gathered in a batching window (md5OfMessageAttributes null)", { timeout: 30_000 }, async () => {
    const { mapping, record } = recording("no message attributes, batching window 1 s");
    const run = await capture(mapping);
    harness?.trigger.start();
    await run.send(JSON.stringify(record.body).replace(/":/g, '": '));
    await until(() => run.events.length === 1);
    expect(normalise(run.events[0]?.Records[0] as SQSRecord, record.body)).toEqual(record);
  });

  it("matches the records of a FIFO queue's two invocations, a partial batch response between them (test_report_batch_item_failures)", { timeout: 30_000 }, async () => {
    const first = recording("FIFO queue, partial batch response, first invocation");
    const second = recording("FIFO queue, partial batch response, second invocation");
    const events: SQSEvent[] = [];
    const ids: string[] = [];
    // The recording's function: a record fails while its receive count is at most its fail_attempts.
    const failing = (event: SQSEvent) => event.Records.filter((r) => Number(r.attributes.ApproximateReceiveCount) <= (JSON.parse(r.body) as { fail_attempts: number }).fail_attempts).map((r) => r.messageId);
    const handler: LambdaHandler = async (event) => {
      events.push(structuredClone(event));
      return { batchItemFailures: failing(event).map((itemIdentifier) => ({ itemIdentifier })) };
    };
    const h = await startTriggerHarness({ handler, fifo: true, visibilityTimeoutSeconds: 1, maxReceiveCount: 2, settings: first.mapping });
    harness = h;
    // As the test sends them: json.dumps' separators, one batch, group "1", dedup-1 to dedup-4.
    const bodies = (first.records ?? []).map((r) => JSON.stringify(r.body).replace(/":/g, '": ').replace(/,"/g, ', "'));
    ids.push(...(await h.sendFifoBatch(...bodies.map((body, i) => ({ body, groupId: "1", deduplicationId: `dedup-${i + 1}` })))));
    h.trigger.start();
    await until(() => events.length === 2);
    const asRecorded = (event: SQSEvent | undefined, recorded: RecordedRecord[]) => (event?.Records ?? []).map((r, i) => normalise(r, recorded[i]?.body));
    expect(asRecorded(events[0], first.records ?? [])).toEqual(first.records);
    expect(asRecorded(events[1], second.records ?? [])).toEqual(second.records);
    // What the snapshot's numbered placeholders say beyond the plain fields: a redelivered record
    // keeps its message's SequenceNumber (<sequence-number:2> in both invocations), the numbers
    // grow in the group's order, and every delivery has a new receipt handle.
    const sequence = (event: SQSEvent | undefined) => new Map((event?.Records ?? []).map((r) => [r.messageId, BigInt(r.attributes.SequenceNumber ?? "0")]));
    const [firstNumbers, secondNumbers] = [sequence(events[0]), sequence(events[1])];
    for (const [messageId, number] of secondNumbers) expect(number).toBe(firstNumbers.get(messageId));
    const inOrder = ids.map((id) => firstNumbers.get(id) ?? 0n);
    expect([...inOrder].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(inOrder);
    expect(new Set(inOrder).size).toBe(ids.length);
    // And, as SQS defines them, its send time and first receive time stay those of the first delivery.
    const times = (event: SQSEvent | undefined) => new Map((event?.Records ?? []).map((r) => [r.messageId, [r.attributes.SentTimestamp, r.attributes.ApproximateFirstReceiveTimestamp]]));
    const [firstTimes, secondTimes] = [times(events[0]), times(events[1])];
    for (const [messageId, pair] of secondTimes) expect(pair).toEqual(firstTimes.get(messageId));
    const handles = events.flatMap((e) => e.Records.map((r) => r.receiptHandle));
    expect(new Set(handles).size).toBe(handles.length);
    // The recording's <uuid:n> is the n-th message sent.
    const named = (result: Recording["result"]) => result?.batchItemFailures.map((f) => ids[Number(/<uuid:(\d+)>/.exec(f.itemIdentifier)?.[1]) - 1]);
    expect(h.invocations().map((invocation) => invocation.messageIds)).toEqual([ids, ids.slice(1)]);
    expect(events.map(failing)).toEqual([named(first.result), named(second.result)]);
  });
});
