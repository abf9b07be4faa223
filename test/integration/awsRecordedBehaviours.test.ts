// The behaviours of LocalStack's AWS-validated SQS event-source-mapping tests
// (tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_sqs.py and its snapshot)
// that the playground's controls can set up — trigger settings, faults and what a handler returns —
// each checked for the outcome AWS recorded, with the real embedded SQS engine and our trigger.
// Elsewhere: BatchSize above 10 without a window refused with AWS's exact message through the API
// (test_event_source_mapping_default_batch_size: test/integration/controls.test.ts); the records
// themselves, field by field (awsRecordedRecords.test.ts).
// Not here, because the playground has nothing to drive them: a Lambda's own async DLQ, a mapping on
// a queue that does not exist, two mappings on one queue (test_duplicate_event_source_mappings),
// function versions (test_sqs_event_source_mapping_update), and the two plain-string filter cases
// the test file itself skips. The file's LocalStack-only tests (batch_size_override,
// batching_window_size_override) recorded nothing against AWS, so they are not AWS's outcome to match.
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import type { TriggerSettings } from "../../common/events.js";
import { parseFilterCriteria } from "../../server/trigger/eventFilter.js";
import type { LambdaHandler } from "../../server/trigger/lambdaTrigger.js";
import { isType } from "../helpers/playground.js";
import { startTriggerHarness, until, type TriggerHarness } from "../helpers/triggerHarness.js";

let harness: TriggerHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** The recordings' message body: the message fails its first `fail_attempts` receives. */
const body = (message: number, failAttempts: number) => JSON.stringify({ message, fail_attempts: failAttempts });
const failsNow = (record: SQSRecord) => Number(record.attributes.ApproximateReceiveCount) <= (JSON.parse(record.body) as { fail_attempts: number }).fail_attempts;

/** The recordings' function: throws when any record should fail (or its body is not JSON). */
const throwing: LambdaHandler = async (event) => {
  if (event.Records.some(failsNow)) throw new Error("failed attempt");
  return null;
};
/** The recordings' partial-batch function: reports each record that should fail. */
const reporting: LambdaHandler = async (event): Promise<SQSBatchResponse> => ({ batchItemFailures: event.Records.filter(failsNow).map((r) => ({ itemIdentifier: r.messageId })) });

/**
 * maxReceiveCount 2 as in the recordings; visibility 1 s for retries (5 s and 4 s there: shorter
 * here, same rules), longer than the window when there is one, as AWS advises (the recordings' 30 s
 * default): otherwise a message comes back while the window gathers and is in its batch twice.
 */
async function start(handler: LambdaHandler, settings: Partial<TriggerSettings> = {}, fifo = false): Promise<TriggerHarness> {
  const visibilityTimeoutSeconds = settings.MaximumBatchingWindowInSeconds ? 5 : 1;
  harness = await startTriggerHarness({ handler, visibilityTimeoutSeconds, maxReceiveCount: 2, fifo, settings: { FunctionResponseTypes: [], ...settings } });
  return harness;
}

/** Waits until the queue is empty (nothing visible or in flight) and the DLQ holds `deadLettered`. */
const atRest = (h: TriggerHarness, deadLettered: number) =>
  until(async () => {
    const counts = await h.counts();
    return counts.visible === 0 && counts.inFlight === 0 && counts.deadLettered === deadLettered;
  }, 20_000);

/** How many times each message id was handed to the function. */
const deliveries = (h: TriggerHarness) => {
  const count = new Map<string, number>();
  for (const invoked of h.invocations()) for (const id of invoked.messageIds) count.set(id, (count.get(id) ?? 0) + 1);
  return count;
};

describe("LocalStack's AWS-validated SQS trigger behaviours, on the playground's trigger", () => {
  it("retries a failed message after its visibility timeout and deletes it once the function succeeds (test_failing_lambda_retries_after_visibility_timeout)", { timeout: 30_000 }, async () => {
    const h = await start(throwing, { BatchSize: 1 });
    const [id] = await h.send(body(1, 1));
    h.trigger.start();
    await atRest(h, 0);
    expect(deliveries(h).get(id ?? "")).toBe(2);
  });

  it("moves a message whose function always fails to the DLQ after maxReceiveCount invocations, not earlier (test_redrive_policy_with_failing_lambda)", { timeout: 30_000 }, async () => {
    const h = await start(throwing, { BatchSize: 1 });
    const [id] = await h.send(body(1, 2));
    h.trigger.start();
    await h.waitFor(isType("lambda.failed"));
    expect((await h.counts()).deadLettered).toBe(0);
    await atRest(h, 1);
    expect(deliveries(h).get(id ?? "")).toBe(2);
    expect(await h.deadLetteredBodies()).toEqual([body(1, 2)]);
  });

  it("retries only the reported messages of a partial batch response, and dead-letters the one reported twice (test_report_batch_item_failures, on a standard queue)", { timeout: 30_000 }, async () => {
    const h = await start(reporting, { BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] });
    const ids = await h.sendBatch(body(1, 0), body(2, 1), body(3, 1), body(4, 2));
    h.trigger.start();
    await atRest(h, 1);
    expect(ids.map((id) => deliveries(h).get(id))).toEqual([1, 2, 2, 2]);
    expect(await h.deadLetteredBodies()).toEqual([body(4, 2)]);
  });

  it("retries only the reported messages of a partial batch response on a FIFO queue, in order, and dead-letters the one reported twice (test_report_batch_item_failures, on its FIFO queue)", { timeout: 30_000 }, async () => {
    const h = await start(reporting, { BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] }, true);
    const ids = await h.sendFifoBatch(...[body(1, 0), body(2, 1), body(3, 1), body(4, 2)].map((b, i) => ({ body: b, groupId: "1", deduplicationId: `dedup-${i + 1}` })));
    h.trigger.start();
    await atRest(h, 1);
    // Two invocations as recorded: all four, then the three reported, in the group's order.
    expect(h.invocations().map((i) => i.messageIds)).toEqual([ids, ids.slice(1)]);
    expect(await h.deadLetteredBodies()).toEqual([body(4, 2)]);
  });

  it("never runs two batches of one message group at once: five messages of one group, BatchSize 1, one after another in order (test_fifo_message_group_parallelism)", { timeout: 30_000 }, async () => {
    let running = 0;
    let most = 0;
    const slow: LambdaHandler = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running -= 1;
      return null;
    };
    // Created disabled, the messages sent, then enabled, as the test does.
    const h = await start(slow, { BatchSize: 1, Enabled: false }, true);
    h.trigger.start();
    const ids = await h.sendToGroup("fixed-message-group-id-test", ...Array.from({ length: 5 }, (_, i) => `message-${i}`));
    await h.trigger.update({ ...h.trigger.settings, Enabled: true });
    await atRest(h, 0);
    expect(most).toBe(1);
    expect(h.invocations().map((i) => i.messageIds)).toEqual(ids.map((id) => [id]));
  });

  it("fails the whole batch when the function throws, even with ReportBatchItemFailures: a good message beside a bad one is dead-lettered too (test_report_batch_item_failures_on_lambda_error)", { timeout: 30_000 }, async () => {
    const h = await start(throwing, { BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] });
    await h.sendBatch("{not a json body", body(2, 0));
    h.trigger.start();
    await atRest(h, 2);
    expect(await h.deadLetteredBodies()).toEqual([body(2, 0), "{not a json body"].sort());
  });

  it("fails the whole batch for a batchItemFailures item without itemIdentifier: retried, then dead-lettered (test_report_batch_item_failures_invalid_result_json_batch_fails)", { timeout: 30_000 }, async () => {
    const h = await start(async () => JSON.parse('{"batchItemFailures": [{"foo":"notvalid"}]}'), { BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] });
    const [id] = await h.send(body(1, 0));
    h.trigger.start();
    await atRest(h, 1);
    expect(deliveries(h).get(id ?? "")).toBe(2);
  });

  it("reads an empty JSON object as success: the message is deleted after one invocation (test_report_batch_item_failures_empty_json_batch_succeeds)", { timeout: 30_000 }, async () => {
    const h = await start(async () => ({}), { BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] });
    const [id] = await h.send(body(1, 0));
    h.trigger.start();
    await atRest(h, 0);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past one visibility timeout: nothing comes back
    expect(deliveries(h).get(id ?? "")).toBe(1);
    expect(await h.counts()).toEqual({ visible: 0, inFlight: 0, deadLettered: 0 });
  });

  it.each([15, 100, 1_000, 10_000].map((size) => [size, size]))("delivers all 15 messages of a batch of 10 and one of 5, each once, with BatchSize %i and a window (test_sqs_event_source_mapping_batch_size[%i])", { timeout: 30_000 }, async (BatchSize) => {
    const h = await start(async () => null, { BatchSize, MaximumBatchingWindowInSeconds: 1 });
    h.trigger.start();
    const ids = [...(await h.sendBatch(...Array.from({ length: 10 }, (_, i) => `${i}-0-message-${i}`))), ...(await h.sendBatch(...Array.from({ length: 5 }, (_, i) => `${i}-1-message-${i}`)))];
    await atRest(h, 0);
    expect(ids.map((id) => deliveries(h).get(id))).toEqual(ids.map(() => 1));
  });

  it("hands 30 waiting messages to the function in 2 batches with BatchSize 20, a 1 s window and MaximumConcurrency 2 (test_sqs_event_source_mapping_batching_reserved_concurrency)", { timeout: 30_000 }, async () => {
    const h = await start(async () => null, { BatchSize: 20, MaximumBatchingWindowInSeconds: 1, ScalingConfig: { MaximumConcurrency: 2 } });
    for (let b = 0; b < 3; b++) await h.sendBatch(...Array.from({ length: 10 }, (_, i) => `${i}-${b}-message`));
    h.trigger.start();
    await atRest(h, 0);
    expect(h.invocations().length).toBe(2);
    expect(h.invocations().flatMap((i) => i.messageIds).length).toBe(30);
  });
});

// test_sqs_event_filter's cases (the pattern, a body that matches it, one that does not).
const FILTER_CASES: [string, unknown, unknown, unknown][] = [
  ["single", { body: { "my-key": ["my-value"] } }, { "my-key": "my-value" }, { "my-key": "other-value" }],
  ["or", { body: { "my-key": ["my-value-one", "my-value-two"] } }, { "my-key": "my-value-two" }, { "my-key": "other-value" }],
  ["and", { body: { "my-key-one": ["other-filter", "my-value-one"], "my-key-two": ["my-value-two"] } }, { "my-key-one": "my-value-one", "my-key-two": "my-value-two" }, { "my-key-one": "other-value-", "my-key-two": "my-value-two" }],
  ["exists", { body: { "my-key": [{ exists: true }] } }, { "my-key": "any-value-one" }, { "other-key": "any-value-two" }],
  ["numeric-bigger", { body: { "my-number": [{ numeric: [">", 100] }] } }, { "my-number": 101 }, { "my-number": 100 }],
  ["numeric-smaller", { body: { "my-number": [{ numeric: ["<", 100] }] } }, { "my-number": 99 }, { "my-number": 100 }],
  ["numeric-range", { body: { "my-number": [{ numeric: [">=", 100, "<", 200] }] } }, { "my-number": 100 }, { "my-number": 200 }],
  ["prefix", { body: { "my-key": [{ prefix: "yes" }] } }, { "my-key": "yes-value" }, { "my-key": "no-value" }],
  ["valid-json-filter", { body: { "my-key": ["my-value"] } }, { "my-key": "my-value" }, "plain-string"],
];
const asBody = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

describe("FilterCriteria as AWS recorded it (test_sqs_event_filter)", () => {
  it.each(FILTER_CASES)("%s: invokes the function for the matching message only, and deletes both", { timeout: 30_000 }, async (_name, pattern, matching, notMatching) => {
    const FilterCriteria = parseFilterCriteria({ Filters: [{ Pattern: JSON.stringify(pattern) }] });
    const h = await start(async () => null, { BatchSize: 10, MaximumBatchingWindowInSeconds: 1, ...(FilterCriteria ? { FilterCriteria } : {}) });
    const [miss, hit] = await h.sendBatch(asBody(notMatching), asBody(matching));
    h.trigger.start();
    await atRest(h, 0);
    expect(h.invocations().flatMap((i) => i.messageIds)).toEqual([hit]);
    expect(deliveries(h).has(miss ?? "")).toBe(false);
  });

  it.each([null, "simple string", { eventSource: "aws:sqs" }, { eventSource: [] }])("refuses the pattern %j with InvalidParameterValueException, as Lambda does (test_sqs_invalid_event_filter)", (pattern) => {
    const Pattern = typeof pattern === "string" ? pattern : JSON.stringify(pattern);
    expect(() => parseFilterCriteria({ Filters: [{ Pattern }] })).toThrow(expect.objectContaining({ code: "InvalidParameterValueException", message: "Invalid filter pattern definition." }));
  });
});
