import type { CheckBlock, CheckResult, Condition, PredictBlock, PredictionOutcome } from "../../common/lessons.js";
import { DRILL_SELECTORS } from "./drillSelectors.js";
import { FIFO_SELECTORS, GROUP_STATE_NAMES, groupSelectorFor } from "./fifoSelectors.js";
import { WIRE_SELECTORS } from "./wireSelectors.js";
import { OPERATIONS_SELECTORS } from "./operationsSelectors.js";
import { LAB_SELECTORS } from "./labSelectors.js";
import { messageStateAt, queueCounts, tasksByStatus, type InvocationView, type PlaygroundState } from "../../common/state.js";

type Value = string | number | boolean | null;
type Selector = (state: PlaygroundState, now: number) => Value;

const lastTask = (state: PlaygroundState) => (state.lastTaskId === null ? undefined : state.tasks[state.lastTaskId]);
const lastTaskMessage = (state: PlaygroundState) => {
  const messageId = lastTask(state)?.messageId;
  return messageId ? state.messages[messageId] : undefined;
};
const lastInvocation = (state: PlaygroundState) => Object.values(state.invocations).reduce<InvocationView | undefined>((a, b) => (a && a.startedAt > b.startedAt ? a : b), undefined);
const failuresOfDeployedVersion = (state: PlaygroundState) => Object.values(state.invocations).filter((i) => i.status === "failed" && i.version === state.functionCode.version).length;

/**
 * What a lesson's check may look at: a fixed vocabulary over the state fold, so a check naming
 * anything else is refused when the lesson loads, not when a learner runs it.
 */
export const SELECTORS: Record<string, Selector> = {
  "lastTask.status": (s) => lastTask(s)?.status ?? null,
  "lastTask.attempts": (s) => lastTask(s)?.attempts ?? null,
  "lastTask.title": (s) => lastTask(s)?.title ?? null,
  /** Null while there is no task: "no message" must not hold on a world where nothing was created. */
  "lastTask.hasMessage": (s) => {
    const task = lastTask(s);
    return task ? Boolean(task.messageId) : null;
  },
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
  /** The most receives of any message still in the task queue (a poison message's count so far). */
  "queue.highestReceiveCount": (s) => Math.max(0, ...Object.values(s.messages).filter((m) => m.state !== "dead-lettered").map((m) => m.receiveCount)),
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
  "counters.filtered": (s) => s.counters.filtered,
  /** The deployed function's version (0: the lesson's handler) and language (null for version 0). */
  "function.version": (s) => s.functionCode.version,
  "function.language": (s) => s.functionCode.language,
  /**
   * Failed invocations of the version deployed now (among those the state keeps since the last
   * reset): lesson 21's typo check
   * counted every failure since the reset, so an earlier version's failures passed it before the
   * typo was even deployed.
   */
  "function.failedInvocations": (s) => failuresOfDeployedVersion(s),
  /** The same count, null while it is 0, for "[[failed {function.failing} times…|…]]" words. */
  "function.failing": (s) => failuresOfDeployedVersion(s) || null,
  /** Whether the last task was created after the version running now was deployed: its message went to that version. */
  "lastTask.afterDeploy": (s) => (s.lastTaskId === null ? null : s.lastTaskId > s.functionCode.deployedAfterTaskId),
  "lastTask.stepped": (s) => (s.lastTaskId === null ? null : s.steppedTaskId === s.lastTaskId),
  "lastInvocation.records": (s) => lastInvocation(s)?.messageIds.length ?? null,
  /**
   * Records of the last invocation whose message was already in the same batch (received again
   * while the batch gathered): lesson 16's trap. Counting records alone passed on two tasks posted
   * into one window, where no message was there twice.
   */
  "lastInvocation.repeatedRecords": (s) => {
    const ids = lastInvocation(s)?.messageIds;
    return ids ? ids.length - new Set(ids).size : null;
  },
  /** The most records any one invocation carried since the last reset (the 6 MB payload limit splits batches). */
  "invocations.mostRecords": (s) => Math.max(0, ...Object.values(s.invocations).map((i) => i.messageIds.length)),
  "concurrency.running": (s) => s.concurrency.running,
  "concurrency.limit": (s) => s.concurrency.limit,
  /** Whether the limit ever rose above the 5 batches the trigger starts with (since the last reset). */
  "concurrency.scaledUp": (s) => s.peakConcurrencyLimit > 5,
  "trigger.state": (s) => s.trigger.state,
  "trigger.BatchSize": (s) => s.trigger.settings?.BatchSize ?? null,
  "trigger.MaximumBatchingWindowInSeconds": (s) => s.trigger.settings?.MaximumBatchingWindowInSeconds ?? null,
  "faults.failRate": (s) => s.faults?.failRate ?? null,
  /** The fail rate while the handler fails some records; null once it is repaired (rate 0), for "[[still failing…|repaired…]]" words. */
  "faults.failing": (s) => (s.faults && s.faults.failRate > 0 ? s.faults.failRate : null),
  "faults.sqsUnavailable": (s) => s.faults?.sqsUnavailable ?? null,
  "stepMode.enabled": (s) => s.stepMode.enabled,
  "stepMode.waitingStep": (s) => s.stepMode.paused[0]?.step ?? null,
  ...FIFO_SELECTORS,
  ...WIRE_SELECTORS,
  ...OPERATIONS_SELECTORS,
  ...LAB_SELECTORS,
  ...DRILL_SELECTORS,
};

/**
 * The selector a lesson names, or undefined: one of SELECTORS, or a message group's state
 * (`fifo.group.customer-2.completed`). Only SELECTORS' own keys count: `__proto__` or
 * `constructor` would otherwise reach Object's own members.
 */
export function selectorFor(name: string): Selector | undefined {
  return Object.hasOwn(SELECTORS, name) ? SELECTORS[name] : groupSelectorFor(name);
}

/** Every state a check may name, for the error that refuses an unknown one. */
export const STATE_NAMES: string[] = [...Object.keys(SELECTORS), ...GROUP_STATE_NAMES];

/** Moments a check's deadline may count from (epoch ms, or null when it has not happened). */
export const MOMENTS: Record<string, (state: PlaygroundState) => number | null> = {
  "lastTask.createdAt": (s) => {
    const task = lastTask(s);
    return task ? Date.parse(task.createdAt) : null;
  },
  "lastTaskMessage.sentAt": (s) => lastTaskMessage(s)?.sentAt ?? null,
};

/** The moments in the words a deadline's ✗ uses: "not within 30 s of the task's creation", never "lastTask.createdAt". */
const MOMENT_WORDS: Record<string, string> = {
  "lastTask.createdAt": "the task's creation",
  "lastTaskMessage.sentAt": "its message being sent",
};

const show = (value: Value) => (value === null ? "none" : typeof value === "string" ? value : JSON.stringify(value));
// Letters first, then digits, `_` and `-` too: a message group's state names its group (`{fifo.group.customer-2.completed}`).
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9._-]*)\}/g;
/** `[[words with {state}|words for when a state in them has no value yet]]` in a waiting or because text. */
const NOT_YET = /\[\[([^|\]]*)\|([^\]]*)\]\]/g;

/** Whether every `[[` of a text opens a whole `[[…|…]]` segment (a lesson with a broken one is refused at load). */
export const segmentsWhole = (text: string): boolean => text.split("[[").length - 1 === [...text.matchAll(NOT_YET)].length;

/** The `{state}` placeholders a text names (a lesson naming an unknown one is refused at load). */
export const placeholdersOf = (text: string): string[] => [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");

/**
 * A state with no value yet, in words (a `{state}` outside a `[[…|…]]` segment): the last task's
 * fields before any task exists, the last invocation's before any ran. Never "none", which read
 * as a count ("receive none of 3").
 */
function notYet(name: string): string {
  if (name.startsWith("lastTaskMessage.")) return "no message yet";
  if (name.startsWith("lastTask.")) return "no task yet";
  if (name.startsWith("lastInvocation.")) return "no invocation yet";
  return "not known yet";
}

/**
 * A lesson text with its `{state}` placeholders replaced by the states' values now. A segment
 * `[[receive {lastTaskMessage.receiveCount} of 3|not received yet]]` reads its first words while
 * every state in them has a value, its second words while one has none (the message not received).
 */
export function interpolate(text: string, state: PlaygroundState, now: number): string {
  const valueOf = (name: string): Value | undefined => selectorFor(name)?.(state, now);
  const fill = (words: string) =>
    words.replace(PLACEHOLDER, (whole, name: string) => {
      const value = valueOf(name);
      return value === undefined ? whole : value === null ? notYet(name) : show(value);
    });
  return fill(text.replace(NOT_YET, (_whole, known: string, unknown: string) => (placeholdersOf(known).some((name) => valueOf(name) === null) ? unknown : known)));
}

/** The real value of a state, for a prediction, and which choice it matches. */
export function evaluatePrediction(predict: PredictBlock, state: PlaygroundState, now: number): PredictionOutcome {
  const actual = selectorFor(predict.expect)?.(state, now) ?? null;
  return { actual, matching: predict.choices.find((choice) => choice.value === actual)?.label ?? null };
}

/** Whether a condition holds now, what it expects and what is there, as `state = value` texts. */
export function evaluateCondition(condition: Condition, state: PlaygroundState, now: number): { holds: boolean; expected: string; actual: string } {
  const select = selectorFor(condition.expect);
  const actual = select ? select(state, now) : null;
  const { comparison } = condition;
  let holds: boolean;
  let expected: string;
  if ("equals" in comparison) {
    holds = actual === comparison.equals;
    expected = show(comparison.equals);
  } else if ("atLeast" in comparison) {
    holds = typeof actual === "number" && actual >= comparison.atLeast;
    expected = `at least ${comparison.atLeast}`;
  } else {
    holds = typeof actual === "number" && actual <= comparison.atMost;
    expected = `at most ${comparison.atMost}`;
  }
  return { holds, expected: `${condition.expect} = ${expected}`, actual: `${condition.expect} = ${show(actual)}` };
}

/** A condition as a sentence, with the state's value now: "lastTask.status is completed (now: processing)". */
function inWords(condition: Condition, state: PlaygroundState, now: number): string {
  const { comparison } = condition;
  const wanted = "equals" in comparison ? show(comparison.equals) : "atLeast" in comparison ? `at least ${comparison.atLeast}` : `at most ${comparison.atMost}`;
  const value = selectorFor(condition.expect)?.(state, now) ?? null;
  return `${condition.expect} is ${wanted} (now: ${value === null ? notYet(condition.expect) : show(value)})`;
}

/**
 * Evaluate a check against the state at `now` (epoch ms), purely: the same function serves the
 * API, the headless lesson tests and any replay. Passed when its condition holds; failed only when
 * its `failsWhen` holds or its deadline has passed; otherwise waiting, saying what for. A check
 * with `and` conditions passes only when all of them hold.
 */
export function evaluateCheck(check: CheckBlock, state: PlaygroundState, now: number): CheckResult {
  // With `and`, every condition must hold; expected and actual name each of them, in order.
  const conditions = [check, ...(check.and ?? [])].map((condition) => evaluateCondition(condition, state, now));
  const holds = conditions.every((c) => c.holds);
  const expected = conditions.map((c) => c.expected).join(" and ");
  const actual = conditions.map((c) => c.actual).join(", ");
  const result = { label: check.label, expected, actual };
  if (holds) return { ...result, status: "passed", ok: true, why: check.passed ? interpolate(check.passed, state, now) : "" };
  if (check.failsWhen && [check.failsWhen, ...(check.failsWhen.and ?? [])].every((condition) => evaluateCondition(condition, state, now).holds)) {
    return { ...result, status: "failed", ok: false, why: interpolate(check.failsWhen.because, state, now) };
  }
  const since = check.deadline ? ((Object.hasOwn(MOMENTS, check.deadline.after) ? MOMENTS[check.deadline.after] : undefined)?.(state) ?? null) : null;
  if (check.deadline && since !== null && now - since > check.deadline.seconds * 1000) {
    return { ...result, status: "failed", ok: false, why: `not done within ${check.deadline.seconds} s of ${MOMENT_WORDS[check.deadline.after] ?? check.deadline.after}` };
  }
  const why = check.waiting ? interpolate(check.waiting, state, now) : `waiting until ${[check, ...(check.and ?? [])].map((c) => inWords(c, state, now)).join(" and ")}`;
  return { ...result, status: "waiting", ok: false, why };
}
