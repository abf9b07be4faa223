// Step 6, the trigger's deletes, against the real embedded SQS engine (issue #17, bug 1): a message
// received twice while a batching window gathers is in its batch twice, and is still deleted; a
// delete SQS refuses is tried again and shown as an event, never only logged.
import { DeleteQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import type { LambdaHandler } from "../../server/trigger/lambdaTrigger.js";
import { isType } from "../helpers/playground.js";
import { startTriggerHarness, type TriggerHarness } from "../helpers/triggerHarness.js";

let harness: TriggerHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const ok: LambdaHandler = async () => ({ batchItemFailures: [] });

describe("the trigger's deletes", () => {
  it("deletes a message that is in its batch twice, received again while a window longer than its visibility timeout gathered", { timeout: 30_000 }, async () => {
    harness = await startTriggerHarness({ handler: ok, visibilityTimeoutSeconds: 1, settings: { BatchSize: 10, MaximumBatchingWindowInSeconds: 3 } });
    const [id] = await harness.send('{"task_id": 1, "title": "twice"}');
    harness.trigger.start();
    const invoked = await harness.waitFor(isType("lambda.invoked"));
    // The case itself: one message, several records (it came back after 1 s, twice, within 3 s).
    expect(invoked.messageIds.length).toBeGreaterThan(1);
    expect(new Set(invoked.messageIds)).toEqual(new Set([id]));
    await harness.waitFor((e): e is typeof e => e.type === "message.deleted" && e.messageId === id);
    expect(harness.events.recent().filter(isType("trigger.delete-failed"))).toEqual([]);
  });

  it("tries a refused delete again, announcing each failure, and says when it gives up", { timeout: 30_000 }, async () => {
    // The queue disappears while the handler runs: every DeleteMessageBatch after it is refused.
    let removeQueue: () => Promise<unknown> = async () => {};
    const h = await startTriggerHarness({ handler: async () => (await removeQueue(), { batchItemFailures: [] }), visibilityTimeoutSeconds: 30 });
    harness = h;
    const sdk = new SQSClient({ endpoint: h.sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
    removeQueue = () => sdk.send(new DeleteQueueCommand({ QueueUrl: h.urls.queueUrl }));
    await h.send('{"task_id": 2, "title": "orphan"}');
    h.trigger.start();
    const last = await h.waitFor((e): e is typeof e & { type: "trigger.delete-failed" } => e.type === "trigger.delete-failed" && !e.retrying);
    sdk.destroy();
    const failures = h.events.recent().filter(isType("trigger.delete-failed"));
    expect(failures.map((f) => [f.attempt, f.retrying])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(last.error).toMatch(/NonExistentQueue|QueueDoesNotExist/);
  });
});
