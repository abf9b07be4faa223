// The trigger against a model of AWS (aws-semantics.md §2), property-based (fast-check): random
// batches, batching windows longer than the visibility timeout (so a message can be in its batch
// twice), failing records, and handlers that answer right, with a capitalised key, with an extra
// key, with a wrong key inside an item, with a null list, or by throwing. The real embedded SQS
// engine and our trigger run each case; a small model written here, apart from batchResponse.ts,
// says what Lambda deletes after each invocation.
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import type { LambdaHandler } from "../../server/trigger/lambdaTrigger.js";
import { isType } from "../helpers/playground.js";
import { startTriggerHarness, until, type TriggerHarness } from "../helpers/triggerHarness.js";

const STYLES = ["right", "capitalised key", "extra key", "wrong key in an item", "null list", "throws"] as const;
type Style = (typeof STYLES)[number];

/** What the handler returned for a batch, or that it threw. */
type Answer = { threw: true } | { threw: false; value: unknown };

/**
 * What Lambda deletes after an invocation, by AWS's rules (services-sqs-errorhandling.html and the
 * AWS-validated LocalStack snapshots): a thrown error deletes nothing; without ReportBatchItemFailures,
 * or with no `batchItemFailures` key, or a null list, everything; an item without a usable
 * itemIdentifier, nothing; otherwise everything but the reported messages.
 */
function awsDeletes(answer: Answer, batch: readonly string[], reportBatchItemFailures: boolean): Set<string> {
  const all = new Set(batch);
  if (answer.threw) return new Set();
  const value = answer.value;
  if (!reportBatchItemFailures || value === null || value === undefined) return all;
  if (typeof value !== "object" || Array.isArray(value)) return new Set();
  if (!Object.hasOwn(value, "batchItemFailures")) return all;
  const items = (value as { batchItemFailures: unknown }).batchItemFailures;
  if (items === null) return all;
  if (!Array.isArray(items)) return new Set();
  const reported = items.map((item) => (item as { itemIdentifier?: unknown }).itemIdentifier);
  if (reported.some((id) => typeof id !== "string" || !all.has(id))) return new Set();
  return new Set(batch.filter((id) => !reported.includes(id)));
}

/** The handler's answer in a style, for the records that failed. */
function answer(style: Style, failed: string[]): Answer {
  const items = failed.map((itemIdentifier) => ({ itemIdentifier }));
  switch (style) {
    case "right":
      return { threw: false, value: { batchItemFailures: items } satisfies SQSBatchResponse };
    case "capitalised key":
      return { threw: false, value: { BatchItemFailures: items } };
    case "extra key":
      return { threw: false, value: { batchItemFailures: items, processed: true } };
    case "wrong key in an item":
      return { threw: false, value: { batchItemFailures: failed.map((ItemIdentifier) => ({ ItemIdentifier })) } };
    case "null list":
      return { threw: false, value: failed.length ? { batchItemFailures: items } : { batchItemFailures: null } };
    case "throws":
      return failed.length ? { threw: true } : { threw: false, value: null };
  }
}

const scenario = fc.record({
  /** Per message: how many of its first receives fail (9: all of them). */
  failUntil: fc.array(fc.constantFrom(0, 0, 1, 2, 9), { minLength: 1, maxLength: 6 }),
  BatchSize: fc.integer({ min: 1, max: 10 }),
  /** Against a 1 s visibility timeout: 2 s lets a message come back while its batch gathers. */
  window: fc.constantFrom(0, 1, 2),
  reportBatchItemFailures: fc.boolean(),
  style: fc.constantFrom(...STYLES),
  maxReceiveCount: fc.integer({ min: 2, max: 3 }),
});

let harness: TriggerHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe("the trigger, against a model of AWS, property-based", () => {
  it("deletes a message iff AWS would, dead-letters the rest, and its account of each batch agrees with the queue at rest", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ failUntil, BatchSize, window, reportBatchItemFailures, style, maxReceiveCount }) => {
        const answers = new Map<string, Answer>();
        const failsNow = (r: SQSRecord) => Number(r.attributes.ApproximateReceiveCount) <= (JSON.parse(r.body) as { failUntil: number }).failUntil;
        const handler: LambdaHandler = async (event, context) => {
          const given = answer(style, event.Records.filter(failsNow).map((r) => r.messageId));
          answers.set(context.awsRequestId, given);
          if (given.threw) throw new Error("a record failed");
          return given.value as SQSBatchResponse;
        };
        const h = await startTriggerHarness({
          handler,
          visibilityTimeoutSeconds: 1,
          maxReceiveCount,
          settings: { BatchSize, MaximumBatchingWindowInSeconds: window, FunctionResponseTypes: reportBatchItemFailures ? ["ReportBatchItemFailures"] : [] },
        });
        harness = h;
        const ids = await h.sendBatch(...failUntil.map((n, i) => JSON.stringify({ i, failUntil: n })));
        h.trigger.start();
        const settled = (e: FlowEvent) => (e.type === "message.deleted" && e.queue === "q") || e.type === "message.dead-lettered";
        await until(() => new Set(h.events.recent().filter(settled).map((e) => (e as { messageId: string }).messageId)).size === ids.length, 30_000);
        await until(async () => {
          const counts = await h.counts();
          return counts.visible === 0 && counts.inFlight === 0;
        });
        await h.trigger.stop();
        const events = h.events.recent();

        // Each invocation: the trigger deleted (or meant to) exactly what AWS would.
        const deletedBy = new Map<string, { ids: Set<string>; seq: number }>();
        for (const invoked of events.filter(isType("lambda.invoked"))) {
          const given = answers.get(invoked.invocationId);
          expect(given).toBeDefined();
          const expected = awsDeletes(given as Answer, invoked.messageIds, reportBatchItemFailures);
          const completed = events.find((e) => e.type === "lambda.completed" && e.invocationId === invoked.invocationId);
          const failed = events.find((e) => e.type === "lambda.failed" && e.invocationId === invoked.invocationId);
          const actual = completed?.type === "lambda.completed" ? new Set(invoked.messageIds.filter((id) => !completed.failedMessageIds.includes(id))) : new Set<string>();
          expect(completed ?? failed).toBeDefined();
          expect([...actual].sort()).toEqual([...expected].sort());
          deletedBy.set(invoked.invocationId, { ids: expected, seq: (completed ?? failed)?.seq ?? 0 });
        }

        // Each message at rest: deleted iff some invocation's answer deleted it, else dead-lettered.
        for (const id of ids) {
          const deleted = events.find((e) => e.type === "message.deleted" && e.queue === "q" && e.messageId === id);
          const deadLettered = events.find((e) => e.type === "message.dead-lettered" && e.messageId === id);
          expect(Boolean(deleted) !== Boolean(deadLettered)).toBe(true);
          const deletingAt = [...deletedBy.values()].filter((d) => d.ids.has(id)).map((d) => d.seq);
          if (deletingAt.length === 0) expect(deadLettered).toBeDefined();
          // Dead-lettered although a batch succeeded for it: only if SQS moved it before that batch
          // was done (a receive while the batch ran), as AWS would.
          else if (deadLettered) expect(deadLettered.seq).toBeLessThan(Math.min(...deletingAt));
        }
        expect(events.filter(isType("trigger.delete-failed"))).toEqual([]);
        await h.stop();
        harness = undefined;
      }),
      { numRuns: 10, endOnFailure: true },
    );
  });
});
