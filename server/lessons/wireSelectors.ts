import { visibilityTimeoutSet } from "../../common/heartbeat.js";
import type { SqsCall } from "../../common/events.js";
import type { PlaygroundState } from "../../common/state.js";

type Selector = (state: PlaygroundState, now: number) => string | number | boolean | null;

const count = (state: PlaygroundState, key: string) => state.callCounts[key] ?? { calls: 0, empty: 0, failed: 0 };

/** The retention period (s) a SetQueueAttributes request sets, or null when it sets none. */
function retentionSet(call: SqsCall): number | null {
  const value = (call.request as { Attributes?: { MessageRetentionPeriod?: unknown } } | null)?.Attributes?.MessageRetentionPeriod;
  return value === undefined || value === null || value === "" || !Number.isFinite(Number(value)) ? null : Number(value);
}

/**
 * What lesson checks may read on the wire: SQS calls counted since the last reset (the wire
 * inspector's records, never the learner's word), by who called. "other-client" is any client
 * that is not the playground itself: the terminal's awslocal, a script. The lessons on polling
 * and backoff (19, 20) read these.
 */
export const WIRE_SELECTORS: Record<string, Selector> = {
  "wire.otherClientReceives": (s) => count(s, "other-client ReceiveMessage").calls,
  /** ReceiveMessage calls of other clients that returned no message: each is a billed request. */
  "wire.otherClientEmptyReceives": (s) => count(s, "other-client ReceiveMessage").empty,
  "wire.otherClientVisibilityChanges": (s) => count(s, "other-client ChangeMessageVisibility").calls,
  /**
   * DeleteMessage calls of other clients that SQS answered without an error: lesson 19's job
   * deleted its message. Counting any delete passed its checks when the trigger, left on, took
   * and deleted the message before the job ran.
   */
  "wire.otherClientDeletes": (s) => {
    const { calls, failed } = count(s, "other-client DeleteMessage");
    return calls - failed;
  },
  /**
   * The MessageRetentionPeriod (s) the latest answered SetQueueAttributes of another client set, or
   * null: an experiment waits on it before it sends, since the terminal's command may still run.
   */
  "wire.otherClientRetentionSeconds": (s) => {
    const last = s.calls.findLast((c) => c.caller === "other-client" && c.operation === "SetQueueAttributes" && !c.error && retentionSet(c) !== null);
    return last ? retentionSet(last) : null;
  },
  "wire.triggerReceives": (s) => count(s, "lambda-trigger ReceiveMessage").calls,
  "wire.triggerEmptyReceives": (s) => count(s, "lambda-trigger ReceiveMessage").empty,
  /** ChangeMessageVisibility calls the function made itself (its backoff on a failed record). */
  "wire.functionVisibilityChanges": (s) => count(s, "function ChangeMessageVisibility").calls,
  /** The visibility timeout (s) the function's latest ChangeMessageVisibility set, or null. */
  "wire.functionLastVisibilityTimeout": (s) => {
    const last = s.calls.findLast((c) => c.caller === "function" && c.operation === "ChangeMessageVisibility" && !c.error);
    return last ? visibilityTimeoutSet(last) : null;
  },
};
