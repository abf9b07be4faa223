import type { CheckBlock, CheckResult, PredictBlock, PredictionOutcome } from "../../common/lessons.js";
import { messageStateAt, queueCounts, tasksByStatus, type PlaygroundState } from "../../common/state.js";

type Value = string | number | boolean | null;
type Selector = (state: PlaygroundState, now: number) => Value;

const lastTask = (state: PlaygroundState) => (state.lastTaskId === null ? undefined : state.tasks[state.lastTaskId]);
const lastTaskMessage = (state: PlaygroundState) => {
  const messageId = lastTask(state)?.messageId;
  return messageId ? state.messages[messageId] : undefined;
};

/**
 * What a lesson's check may look at: a fixed vocabulary over the state fold, so a check naming
 * anything else is refused when the lesson loads, not when a learner runs it.
 */
export const SELECTORS: Record<string, Selector> = {
  "lastTask.status": (s) => lastTask(s)?.status ?? null,
  "lastTask.attempts": (s) => lastTask(s)?.attempts ?? null,
  "lastTask.title": (s) => lastTask(s)?.title ?? null,
  "lastTask.hasMessage": (s) => Boolean(lastTask(s)?.messageId),
  "lastTask.sendError": (s) => lastTask(s)?.sendError ?? null,
  /** From the API's insert to the handler's completion, as the database timestamps say. */
  "lastTask.msToComplete": (s) => {
    const task = lastTask(s);
    return task?.completedAt ? Date.parse(task.completedAt) - Date.parse(task.createdAt) : null;
  },
  "lastTaskMessage.state": (s, now) => {
    const message = lastTaskMessage(s);
    return message ? messageStateAt(message, now) : "deleted";
  },
  "lastTaskMessage.receiveCount": (s) => lastTaskMessage(s)?.receiveCount ?? null,
  "tasks.count": (s) => Object.keys(s.tasks).length,
  "tasks.maxAttempts": (s) => Math.max(0, ...Object.values(s.tasks).map((t) => t.attempts)),
  "tasks.pending": (s) => tasksByStatus(s).pending,
  "tasks.processing": (s) => tasksByStatus(s).processing,
  "tasks.completed": (s) => tasksByStatus(s).completed,
  "tasks.failed": (s) => tasksByStatus(s).failed,
  "queue.visible": (s, now) => queueCounts(s, now).visible,
  "queue.inFlight": (s, now) => queueCounts(s, now).inFlight,
  "queue.delayed": (s, now) => queueCounts(s, now).delayed,
  "dlq.messages": (s, now) => queueCounts(s, now).deadLettered,
  "dlq.lastReceiveCount": (s) => {
    const dead = Object.values(s.messages).filter((m) => m.state === "dead-lettered");
    return dead.at(-1)?.receiveCount ?? null;
  },
  "counters.sent": (s) => s.counters.sent,
  "counters.received": (s) => s.counters.received,
  "counters.deleted": (s) => s.counters.deleted,
  "counters.returned": (s) => s.counters.returned,
  "counters.deadLettered": (s) => s.counters.deadLettered,
  "counters.invocations": (s) => s.counters.invocations,
  "counters.failedInvocations": (s) => s.counters.failedInvocations,
  "lastInvocation.records": (s) => {
    const invocations = Object.values(s.invocations);
    return invocations.length === 0 ? null : invocations.reduce((a, b) => (b.startedAt >= a.startedAt ? b : a)).messageIds.length;
  },
  "concurrency.running": (s) => s.concurrency.running,
  "concurrency.limit": (s) => s.concurrency.limit,
  /** Whether the limit ever rose above the 5 batches the trigger starts with (since the last reset). */
  "concurrency.scaledUp": (s) => s.peakConcurrencyLimit > 5,
  "trigger.state": (s) => s.trigger.state,
  "trigger.BatchSize": (s) => s.trigger.settings?.BatchSize ?? null,
  "faults.failRate": (s) => s.faults?.failRate ?? null,
  "faults.sqsUnavailable": (s) => s.faults?.sqsUnavailable ?? null,
  "stepMode.enabled": (s) => s.stepMode.enabled,
  "stepMode.waitingStep": (s) => s.stepMode.paused[0]?.step ?? null,
};

const show = (value: Value) => (typeof value === "string" ? value : JSON.stringify(value));

/** The real value of a state, for a prediction, and which choice it matches. */
export function evaluatePrediction(predict: PredictBlock, state: PlaygroundState, now: number): PredictionOutcome {
  const actual = SELECTORS[predict.expect]?.(state, now) ?? null;
  return { actual, matching: predict.choices.find((choice) => choice.value === actual)?.label ?? null };
}

/** Evaluate a check against the state: ✓ or ✗ with what was expected and what is there. */
export function evaluateCheck(check: CheckBlock, state: PlaygroundState, now: number): CheckResult {
  const select = SELECTORS[check.expect];
  const actual = select ? select(state, now) : null;
  const { comparison } = check;
  let ok: boolean;
  let expected: string;
  if ("equals" in comparison) {
    ok = actual === comparison.equals;
    expected = show(comparison.equals);
  } else if ("atLeast" in comparison) {
    ok = typeof actual === "number" && actual >= comparison.atLeast;
    expected = `at least ${comparison.atLeast}`;
  } else {
    ok = typeof actual === "number" && actual <= comparison.atMost;
    expected = `at most ${comparison.atMost}`;
  }
  return { ok, label: check.label, expected: `${check.expect} = ${expected}`, actual: `${check.expect} = ${show(actual)}` };
}
