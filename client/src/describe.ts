// Each event in the lesson's words: the timeline lists them, the narration reads them out.
// No DOM here, so the words can be tested as they are.
import type { Faults, FlowEvent, Task, TriggerSettings } from "../../common/events.js";
import { isFunctionVisibilityChange, isHeartbeat, visibilityTimeoutSet } from "../../common/heartbeat.js";
import { countOf } from "../../common/words.js";

/** The faults in force, in words: "faults: fail 50% of records, SQS unavailable", or "faults cleared". */
export function faultWords(f: Faults): string {
  const on = [
    f.failRate > 0 ? `fail ${Math.round(f.failRate * 100)}% of records` : "",
    f.delayMs > 0 ? `${f.delayMs} ms slower per record` : "",
    f.timeout ? "hang past the timeout" : "",
    f.crashAfter !== null ? `crash after ${countOf(f.crashAfter, "record")}` : "",
    f.sqsUnavailable ? "SQS unavailable" : "",
    f.responseKey && f.responseKey !== "batchItemFailures" ? `failures reported under "${f.responseKey}"` : "",
    f.retryBackoffSeconds ? `back off ${f.retryBackoffSeconds} s × 2^(receive − 1) after a failure` : "",
  ].filter(Boolean);
  return on.length ? `faults: ${on.join(", ")}` : "faults cleared";
}

export function triggerWords(s: TriggerSettings): string {
  const limit = s.ScalingConfig.MaximumConcurrency;
  return [
    s.Enabled ? "enabled" : "disabled",
    `BatchSize ${s.BatchSize}`,
    `window ${s.MaximumBatchingWindowInSeconds} s`,
    limit === undefined ? "no MaximumConcurrency" : `MaximumConcurrency ${limit}`,
    s.FunctionResponseTypes.includes("ReportBatchItemFailures") ? "ReportBatchItemFailures" : "no partial batch responses",
  ].join(", ");
}

const batches = (n: number) => `${n} batch${n === 1 ? "" : "es"}`;

/**
 * One mapping's concurrency, named (the standard and the FIFO queue's mappings report apart, and
 * their rows interleave). More running than the limit is no contradiction: the limit was lowered
 * (errors halve it, a smaller MaximumConcurrency) or, on the FIFO mapping, one receive's message
 * groups each became a batch; the trigger starts no batch until enough of them end.
 */
export function concurrencyWords(e: Extract<FlowEvent, { type: "lambda.concurrency" }>): string {
  const mapping = e.mapping === "fifo" ? "FIFO mapping" : "standard mapping";
  if (e.running <= e.limit) return `${mapping}: ${batches(e.running)} running, limit ${e.limit}`;
  const why = e.mapping === "fifo" ? `past its limit of ${e.limit} (one receive's message groups each run as a batch, or the limit was lowered)` : `limit lowered to ${e.limit}`;
  return `${mapping}: ${batches(e.running)} running, ${why}: no new batch until ${e.running - e.limit + 1} of them end`;
}

/**
 * The API records the message id from SendMessage's reply. The trigger's long poll can be answered
 * first, so a task may already be processing (or done) by then: said, since it looks out of order.
 */
const idRecorded = (status: Task["status"]) => (status === "pending" ? "message id recorded" : `message id recorded; the trigger had the message first: the task is already ${status}`);

export const describe = (e: FlowEvent): string => {
  switch (e.type) {
    case "task.created":
      return `task ${e.taskId} created (pending)`;
    case "task.updated":
      if (e.from === e.task.status) return `task ${e.taskId} updated (${e.task.sendError ? `send failed: ${e.task.sendError}` : idRecorded(e.task.status)})`;
      return `task ${e.taskId}: ${e.from} → ${e.task.status}${e.task.lastError && e.task.status !== "completed" ? ` (${e.task.lastError})` : ""}`;
    case "message.sent":
      return `message sent to ${e.queue}${e.taskId === null ? "" : ` for task ${e.taskId}`}`;
    case "message.received":
      return `message${e.taskId === null ? "" : ` of task ${e.taskId}`} received by ${e.consumer === "lambda-trigger" ? "the Lambda trigger" : "another client"} (receive ${e.receiveCount})`;
    case "message.delayed":
      return `message${e.taskId === null ? "" : ` of task ${e.taskId}`} delayed until ${new Date(e.visibleAt).toLocaleTimeString()}`;
    case "message.visible-again":
      return `message${e.taskId === null ? "" : ` of task ${e.taskId}`} visible again (visibility timeout ran out)`;
    case "message.deleted":
      if (e.purgedBy !== undefined) return `message${e.taskId === null ? "" : ` of task ${e.taskId}`} purged from ${e.queue} (PurgeQueue by ${e.purgedBy === "lambda-trigger" ? "the Lambda trigger" : "another client"})`;
      return `message${e.taskId === null ? "" : ` of task ${e.taskId}`} deleted`;
    case "message.dead-lettered":
      return `message moved to ${e.deadLetterQueue} after ${e.receiveCount} receives`;
    case "message.expired":
      return `message${e.taskId === null ? "" : ` of task ${e.taskId}`} expired in ${e.queue}: retention period ${e.retentionSeconds} s ended (${Math.round((e.at - e.sentAt) / 1000)} s after it was sent)`;
    case "lambda.throttled":
      return `throttled: reserved concurrency ${e.reserved} in use (${e.running} running); batch of ${e.messageIds.length}${e.retrying ? `, trying again (attempt ${e.attempt + 1})` : " given up: its messages come back after their visibility timeout"}`;
    case "lambda.invoked":
      return `handler invoked with ${countOf(e.messageIds.length, "record")}`;
    case "lambda.completed":
      return `handler returned${e.failedMessageIds.length ? `, ${countOf(e.failedMessageIds.length, "record")} failed` : ""} (${e.durationMs} ms)${e.note ? `: ${e.note}` : ""}`;
    case "lambda.failed":
      return `handler failed: ${e.error}`;
    case "lambda.cold-start":
      return `cold start: a new ${e.language === "python" ? "Python" : "Node.js"} execution environment for version ${e.version} (${Math.round(e.initMs)} ms to start)`;
    case "lambda.log":
      return `function log: ${e.message}`;
    case "lambda.environment-ended":
      return `an execution environment ended: ${e.detail}`;
    case "function.deployed":
      return e.version === 0 ? "the playground's own handler is the function again" : `function version ${e.version} deployed (${e.language === "python" ? "Python" : "Node.js"})`;
    case "trigger.filtered":
      return `${countOf(e.messageIds.length, "message")}${e.taskIds.some((t) => t !== null) ? ` (task ${e.taskIds.filter((t) => t !== null).join(", ")})` : ""} filtered out by the trigger's FilterCriteria: deleted without invoking the handler`;
    case "trigger.delete-failed":
      return `the trigger could not delete ${countOf(e.messageIds.length, "message")} (${e.error})${e.retrying ? `, trying again (attempt ${e.attempt + 1})` : ": they come back after their visibility timeout"}`;
    case "lambda.concurrency":
      return concurrencyWords(e);
    case "trigger.state":
      // Which mapping: the standard queue's and the FIFO queue's triggers change state apart.
      return `${e.mapping === "fifo" ? "FIFO mapping's trigger" : "trigger"} ${e.state}`;
    case "trigger.updated":
      return `${e.mapping === "fifo" ? "FIFO mapping's trigger" : "trigger"} settings changed: ${triggerWords(e.settings)}`;
    case "function.updated":
      return `function timeout ${e.settings.Timeout} s, ${e.settings.ReservedConcurrentExecutions == null ? "no reserved concurrency" : `reserved concurrency ${e.settings.ReservedConcurrentExecutions}`}`;
    case "faults.changed":
      return faultWords(e.faults);
    case "step-mode.changed":
      return `step mode ${e.enabled ? "on" : "off"}`;
    case "step.paused":
      return `paused before step ${e.stepNumber} (${e.step})`;
    case "step.released":
      return `released step ${e.step}`;
    case "world.reset":
      return "the world was reset";
    case "queue.redrive-policy":
      return e.maxReceiveCount === null ? `${e.queue} has no redrive policy: no message moves to the dead-letter queue` : `${e.queue}'s redrive policy: to the dead-letter queue after ${e.maxReceiveCount} receives`;
    case "trial.started":
      return `a trial began: the checks count the tasks after task ${e.afterTaskId}`;
    case "charge.made":
      return `task ${e.taskId}'s order charged${e.charges > 1 ? ` again: charge ${e.charges} for one order` : ""}`;
    case "sqs.call": {
      if (isFunctionVisibilityChange(e.call)) {
        const seconds = visibilityTimeoutSet(e.call);
        return `function: ${e.call.operation}, ${e.call.error ? `refused: ${e.call.error.code}` : `visible again in ${seconds ?? "?"} s (its backoff before a retry)`}`;
      }
      if (!isHeartbeat(e.call)) return `${e.call.caller}: ${e.call.operation}`;
      const n = e.call.messageIds.length;
      const seconds = visibilityTimeoutSet(e.call);
      const held = `${n === 1 ? "the paused message" : `${n} paused messages`} in flight`;
      const outcome = e.call.error ? `refused: ${e.call.error.code}` : `visibility timeout ${seconds ?? "?"} s from now`;
      return `heartbeat: the trigger keeps ${held} (${e.call.operation}, ${outcome})`;
    }
  }
};


/** More subjects than this in one group are summed up. */
const MAX_SUBJECTS = 4;
/** Events a listener does not need: the wire, and the trigger's scaling chatter. */
const QUIET = new Set(["sqs.call", "lambda.concurrency", "lambda.invoked", "lambda.completed", "step.released", "lambda.log"]);

/** What one event did to its task or message, as a clause: "received by the Lambda, attempt 2". */
function clause(e: FlowEvent): string | null {
  switch (e.type) {
    case "task.created":
      return "created, pending";
    case "task.updated":
      return e.from === e.task.status ? null : `now ${e.task.status}`;
    case "message.sent":
      return `message sent to ${e.queue}`;
    case "message.received":
      return e.consumer === "lambda-trigger" ? `received by the Lambda, attempt ${e.receiveCount}` : `taken by another client (receive ${e.receiveCount})`;
    case "message.visible-again":
      return "visible again after its visibility timeout";
    case "message.deleted":
      return e.purgedBy === undefined ? "message deleted" : `purged from ${e.queue} (PurgeQueue)`;
    case "message.dead-lettered":
      return `moved to ${e.deadLetterQueue} after ${e.receiveCount} receives`;
    case "message.expired":
      return `expired in ${e.queue} (retention ${e.retentionSeconds} s)`;
    case "lambda.throttled":
      return e.retrying ? "throttled, trying again" : "throttled: comes back after its visibility timeout";
    case "message.delayed":
      return "delayed";
    default:
      return null;
  }
}

function subjectOf(e: FlowEvent): string | null {
  if ("taskId" in e && typeof e.taskId === "number") return `Task ${e.taskId}`;
  if ("messageId" in e) return `Message ${e.messageId.slice(0, 8)}`;
  return null;
}

/** One group of events in words: per task, its clauses in order; other events described; a burst summed up. */
export function narrate(events: FlowEvent[]): string {
  const subjects = new Map<string, string[]>();
  const others: string[] = [];
  for (const e of events) {
    if (QUIET.has(e.type)) continue;
    const subject = subjectOf(e);
    const words = clause(e);
    if (subject && words) subjects.set(subject, [...(subjects.get(subject) ?? []), words]);
    else if (!subject) others.push(describe(e));
  }
  if (subjects.size > MAX_SUBJECTS) {
    const parts = burstWords(countBurst(events));
    return [`${subjects.size} tasks and messages moved${parts ? `: ${parts}` : ""}.`, ...others.map((o) => `${o}.`)].join(" ");
  }
  return [...[...subjects].map(([subject, clauses]) => `${subject}: ${clauses.join("; ")}.`), ...others.map((o) => `${o}.`)].join(" ");
}


/** What a burst did, counted event by event (a tab may see 10,000 tasks: counts, not a list). */
export interface BurstCounts {
  created: number;
  sent: number;
  received: number;
  completed: number;
  failed: number;
  deleted: number;
  purged: number;
  deadLettered: number;
}

export const noBurst = (): BurstCounts => ({ created: 0, sent: 0, received: 0, completed: 0, failed: 0, deleted: 0, purged: 0, deadLettered: 0 });

/** Adds `events` to `into` (a fresh count when omitted) and returns it. */
export function countBurst(events: FlowEvent[], into: BurstCounts = noBurst()): BurstCounts {
  for (const e of events) {
    if (e.type === "task.created") into.created += 1;
    else if (e.type === "message.sent") into.sent += 1;
    else if (e.type === "message.received") into.received += 1;
    else if (e.type === "message.dead-lettered") into.deadLettered += 1;
    else if (e.type === "message.deleted") {
      if (e.purgedBy === undefined) into.deleted += 1;
      else into.purged += 1;
    } else if (e.type === "task.updated" && e.from !== e.task.status) {
      if (e.task.status === "completed") into.completed += 1;
      else if (e.task.status === "failed") into.failed += 1;
    }
  }
  return into;
}

/** What each count is called: in full for the timeline's groups, short for the line under the drawing. */
const FULL_WORDS: Record<keyof BurstCounts, string> = { created: "tasks created", sent: "messages sent", received: "received", completed: "tasks completed", failed: "tasks failed", deleted: "messages deleted", purged: "purged", deadLettered: "moved to the dead-letter queue" };
const SHORT_WORDS: Record<keyof BurstCounts, string> = { ...FULL_WORDS, completed: "completed", failed: "failed", deleted: "deleted", deadLettered: "dead-lettered" };

/**
 * The counts in words, only what happened ("0 messages sent, 0 received, 0 deleted" said nothing
 * of a second whose tasks all completed): "20 tasks created, 20 messages sent, …"; "" for none.
 */
export function burstWords(c: BurstCounts, words = FULL_WORDS): string {
  // "1 message sent", not "1 messages sent".
  const word = (key: keyof BurstCounts) => (c[key] === 1 ? words[key].replace(/^(task|message)s\b/, "$1") : words[key]);
  return (Object.keys(words) as (keyof BurstCounts)[]).flatMap((key) => (c[key] ? [`${c[key]} ${word(key)}`] : [])).join(", ");
}

/**
 * A burst's counts since it began, for the line under the drawing, which holds two lines at
 * 1024×768: short words, and messages sent only when they differ from the tasks created (the
 * API sends one per task). "30 tasks created, 30 received, 28 completed, 28 deleted"; "" for none.
 */
export const burstSoFar = (c: BurstCounts): string => burstWords({ ...c, sent: c.sent === c.created ? 0 : c.sent }, SHORT_WORDS);

/** The line under the drawing during a burst: "A burst, shown in real time — so far: 30 tasks created, …". */
export const burstLine = (c: BurstCounts): string => `A burst, shown in real time — so far: ${burstSoFar(c)}.`;

/**
 * What the flow did since it was last quiet for `quietMs` (or since a world reset), counted as the
 * events are shown, the burst's paced first steps included. Summed up per second, 20 tasks posted
 * in lesson 20 ended on "18 tasks completed", the last second's share, read as two tasks lost.
 */
export class BurstTally {
  private counts = noBurst();
  private lastShownAt = -Infinity;

  constructor(private readonly quietMs: number) {}

  /** Events just shown, at `now` (ms, any monotonic clock). */
  see(shown: FlowEvent[], now: number): void {
    const reset = shown.findLastIndex((e) => e.type === "world.reset");
    if (reset >= 0 || now - this.lastShownAt > this.quietMs) this.counts = noBurst();
    this.lastShownAt = now;
    countBurst(shown.slice(reset + 1), this.counts);
  }

  /** The line for the burst so far, or null while nothing it counts has happened. */
  line(): string | null {
    return burstSoFar(this.counts) ? burstLine(this.counts) : null;
  }
}
