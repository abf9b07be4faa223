// The lesson format as the server sends it to the client: shared by both.
import type { FlowStep, FunctionLanguage } from "./events.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HttpBlock {
  kind: "http";
  method: HttpMethod;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface TerminalBlock {
  kind: "terminal";
  command: string;
}

export type Comparison = { equals: string | number | boolean | null } | { atLeast: number } | { atMost: number };

/** A condition on one state: `expect` from the vocabulary in server/lessons/checks.ts, compared. */
export interface Condition {
  expect: string;
  comparison: Comparison;
}

export interface CheckBlock extends Condition {
  kind: "check";
  /** What to look at, from the fixed vocabulary in server/lessons/checks.ts (e.g. `lastTask.status`). */
  expect: string;
  label: string;
  /**
   * While the check is not yet true: what it waits for and why waiting is expected. `{state}`
   * placeholders show a state's value now ("receive {lastTaskMessage.receiveCount} of 3").
   */
  waiting: string | null;
  /** Beside its ✓: what was measured, with `{state}` placeholders ("from insert to completion: {lastTask.msToComplete} ms"). */
  passed?: string;
  /** When this holds (with each of its `and` conditions), the check can no longer become true: it fails, saying `because`. */
  failsWhen: (Condition & { because: string; and?: Condition[] }) | null;
  /** A stated deadline: the check fails once `seconds` have passed since the moment `after` (e.g. `lastTask.createdAt`). */
  deadline: { seconds: number; after: string } | null;
  /**
   * More conditions that must hold too (a lab's verdict: the cause is fixed AND the symptom is gone
   * under the same load). Empty for a plain check.
   */
  and?: Condition[];
}

/** A fault or trigger setting to apply, exactly as PUT /api/faults or PATCH /api/trigger take it. */
export interface SettingBlock {
  kind: "faults" | "trigger" | "step-mode";
  body: Record<string, unknown>;
}

export interface CodeBlock {
  kind: "code";
  file: string;
  /** First line shown, 1-based. */
  line: number;
  code: string;
}

/** Ask the learner to predict before acting; the real outcome (a state, as checks read it) answers. */
export interface PredictBlock {
  kind: "predict";
  question: string;
  expect: string;
  /**
   * The moment that answers it: "checked" (default), when the first check after it in its part
   * first passes (the world has settled); "changes", the first change after the learner met the
   * question to a value one of the choices names (a passing moment, such as where step mode stops).
   */
  when: "checked" | "changes";
  choices: { label: string; value: string | number | boolean | null }[];
}

/** In step mode: release the step that is waiting (POST /api/step-mode/next). */
export interface NextBlock {
  kind: "next";
  /** The step expected to be waiting, shown to the learner. */
  step: FlowStep | null;
}

export type { FunctionLanguage };

/**
 * An editable handler: the learner edits the lesson's code and deploys it as the function the
 * trigger invokes (PUT /api/function/code). One source per language the lesson offers, each the
 * whole of a project file (its starting point, restored by Reset).
 */
export interface HandlerBlock {
  kind: "handler";
  sources: { language: FunctionLanguage; file: string; code: string }[];
}

/**
 * The deployed function's log (cold starts, its console.log / print lines, results and errors),
 * the same as a handler cell shows, for a later part that sends the tasks the function runs.
 */
export interface FunctionLogBlock {
  kind: "function-log";
}

/**
 * A world action: redrive the dead-letter queue, reset the world, or start a trial (POST
 * /api/trial: from then on the `trial.*` states count only the tasks created after it).
 */
export interface ActionBlock {
  kind: "redrive" | "reset" | "trial";
}

/**
 * A lab's hint: markdown shown only when the learner asks for it. Everything after it in its part
 * (up to the next hint) stays hidden until then, so hints unlock one by one and the last one can
 * hold the reference fix.
 */
export interface HintBlock {
  kind: "hint";
  markdown: string;
}

export type LessonBlock = HttpBlock | TerminalBlock | CheckBlock | SettingBlock | CodeBlock | PredictBlock | NextBlock | ActionBlock | HintBlock | HandlerBlock | FunctionLogBlock;

/** One piece of a lesson part: prose (markdown, rendered by the client) or a block, in order. */
export type StepPart = { kind: "prose"; markdown: string } | LessonBlock;

/**
 * A lesson's *part* (a `## ` section). Learners and docs say "part"; "step" is kept for the flow's
 * six. The type and the `steps` field keep their old names so the wire format and the presenter's
 * position (`{lessonId, step}`) stay as they are.
 */
export interface LessonStep {
  title: string;
  parts: StepPart[];
}

/** A lesson teaches; a lab hands the learner a deliberately broken system to diagnose and fix. */
export type LessonKind = "lesson" | "lab";

export interface LessonSummary {
  id: string;
  kind: LessonKind;
  title: string;
  goal: string;
  order: number;
  steps: number;
}

export interface Lesson extends Omit<LessonSummary, "steps"> {
  file: string;
  intro: string;
  steps: LessonStep[];
}

/** The real outcome a prediction is compared with. */
export interface PredictionOutcome {
  actual: string | number | boolean | null;
  /** The label of the choice that matches the outcome, if one does. */
  matching: string | null;
  /**
   * The event after which the outcome has been what it is (the state's latest event the first time
   * a page asks about it): the page shows the answer once its drawing has shown that far.
   */
  seq?: number;
}

/** waiting: not true yet, and it still can be; passed ✓; failed ✗: it can no longer be, or its deadline passed. */
export type CheckStatus = "waiting" | "passed" | "failed";

export interface CheckResult {
  status: CheckStatus;
  /** The same as `status === "passed"`. */
  ok: boolean;
  label: string;
  expected: string;
  actual: string;
  /** Waiting: what it waits for and why; failed: why it can no longer pass; passed: "". */
  why: string;
  /**
   * The event after which its status has been what it is (the state's latest event the first time
   * a page asks about it; the API's answers carry it): a page that draws events at a lesson pace
   * shows ✓ only once its drawing has shown that far.
   */
  seq?: number;
}

/**
 * The moment a prediction is answered: the first outcome, after the learner met the question
 * (`baseline`), whose value changed and matches one of the choices. Read on every change, so a
 * learner who asks later still sees what happened then (never "null"). Undefined: not yet.
 */
export function predictionMoment(baseline: PredictionOutcome, outcome: PredictionOutcome): PredictionOutcome | undefined {
  return outcome.matching !== null && outcome.actual !== baseline.actual ? outcome : undefined;
}
