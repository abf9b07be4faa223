// The lesson format as the server sends it to the client: shared by both.
import type { FlowStep } from "./events.js";

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

export interface CheckBlock {
  kind: "check";
  /** What to look at, from the fixed vocabulary in server/lessons/checks.ts (e.g. `lastTask.status`). */
  expect: string;
  comparison: Comparison;
  label: string;
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
  choices: { label: string; value: string | number | boolean | null }[];
}

/** In step mode: release the step that is waiting (POST /api/step-mode/next). */
export interface NextBlock {
  kind: "next";
  /** The step expected to be waiting, shown to the learner. */
  step: FlowStep | null;
}

/** A world action: redrive the dead-letter queue, or reset the world. */
export interface ActionBlock {
  kind: "redrive" | "reset";
}

export type LessonBlock = HttpBlock | TerminalBlock | CheckBlock | SettingBlock | CodeBlock | PredictBlock | NextBlock | ActionBlock;

/** A step: prose (markdown, rendered by the client) interleaved with blocks, in order. */
export type StepPart = { kind: "prose"; markdown: string } | LessonBlock;

export interface LessonStep {
  title: string;
  parts: StepPart[];
}

export interface LessonSummary {
  id: string;
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
}

export interface CheckResult {
  ok: boolean;
  label: string;
  expected: string;
  actual: string;
}
