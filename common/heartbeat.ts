// Step mode's visibility heartbeat as it shows on the wire: the trigger's ChangeMessageVisibility
// calls. In the playground the trigger changes a message's visibility for one reason only, to keep
// a message in flight while a paused step holds it (server/trigger/visibilityHeartbeat.ts), so its
// calls of that operation are the heartbeat. The timeline lists them, unlike every other SQS call.
import type { FlowEvent, SqsCall } from "./events.js";

/** The caller name of the trigger's SQS client (server/backends/embedded.ts). */
const TRIGGER_CALLER = "lambda-trigger";

type CallEvent = Extract<FlowEvent, { type: "sqs.call" }>;

/** Whether a call is a beat of step mode's heartbeat. */
export function isHeartbeat(call: SqsCall): boolean {
  return call.caller === TRIGGER_CALLER && (call.operation === "ChangeMessageVisibilityBatch" || call.operation === "ChangeMessageVisibility");
}

/** Whether an event is a heartbeat call. */
export function isHeartbeatEvent(event: FlowEvent): event is CallEvent {
  return event.type === "sqs.call" && isHeartbeat(event.call);
}

/**
 * Whether a call is the function's own ChangeMessageVisibility (its backoff before a retry,
 * lesson 19): the message comes back when the function said, not when the queue's timeout says.
 * Unshown, the page said "invisible for 5 s", then a second later "the visibility timeout ran out".
 */
export function isFunctionVisibilityChange(call: SqsCall): boolean {
  return call.caller === "function" && (call.operation === "ChangeMessageVisibility" || call.operation === "ChangeMessageVisibilityBatch");
}

/** The SQS calls the timeline lists, unlike every other call: the heartbeat's and the function's visibility changes. */
export function isTimelineCall(call: SqsCall): boolean {
  return isHeartbeat(call) || isFunctionVisibilityChange(call);
}

/** The visibility timeout a ChangeMessageVisibility(Batch) call set (seconds), or null when its entries disagree or it sent none. */
export function visibilityTimeoutSet(call: SqsCall): number | null {
  const request = call.request as { VisibilityTimeout?: unknown; Entries?: { VisibilityTimeout?: unknown }[] } | null;
  const timeouts = new Set(call.operation === "ChangeMessageVisibility" ? [request?.VisibilityTimeout] : (request?.Entries ?? []).map((e) => e.VisibilityTimeout));
  const [seconds] = timeouts;
  return timeouts.size === 1 && typeof seconds === "number" ? seconds : null;
}

/** Which held messages a beat concerned: two beats with the same key are the same pause's heartbeat. */
export function heartbeatKey(event: CallEvent): string {
  return event.call.messageIds.join(" ");
}

type ConcurrencyEvent = Extract<FlowEvent, { type: "lambda.concurrency" }>;

/** Each timeline's last listed concurrency limit per mapping ("standard", "fifo"). */
const listedLimits = new WeakMap<FlowEvent[], Map<string, number>>();

/**
 * Whether a mapping's concurrency change earns a row: when its limit moved (the trigger scaling up
 * or down) or more batches run than the limit allows (said with why). A batch starting or ending
 * within the limit does not: the invocation's own row says it, and the handler station shows the
 * count. Lab 4's timeline was a third "standard mapping: n batches running" rows, and the receives
 * the lab sends the learner to find had already dropped off its last 50.
 */
function concurrencyListed(timeline: FlowEvent[], event: ConcurrencyEvent): boolean {
  const limits = listedLimits.get(timeline) ?? new Map<string, number>();
  listedLimits.set(timeline, limits);
  const mapping = event.mapping ?? "standard";
  const listed = limits.get(mapping) !== event.limit || event.running > event.limit;
  if (listed) limits.set(mapping, event.limit);
  return listed;
}

/**
 * Adds an event to a timeline. A beat that follows a beat of the same messages replaces it: a
 * pause of minutes beats dozens of times, and one row per beat would push the pause itself (and
 * everything before it) off the list. The row shows the latest beat. A concurrency change that
 * leaves the limit as it was is not listed (concurrencyListed).
 */
export function addToTimeline(timeline: FlowEvent[], event: FlowEvent): void {
  const last = timeline.at(-1);
  if (isHeartbeatEvent(event) && last && isHeartbeatEvent(last) && heartbeatKey(last) === heartbeatKey(event)) timeline[timeline.length - 1] = event;
  else if (event.type === "lambda.concurrency" && !concurrencyListed(timeline, event)) return;
  else timeline.push(event);
}
