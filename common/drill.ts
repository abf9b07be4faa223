// The interview drill as the server sends it to the client: shared by both.
import type { LessonBlock, StepPart } from "./lessons.js";

/** Where a question's answer is documented by AWS. */
export interface DrillSource {
  title: string;
  /** An https address on docs.aws.amazon.com, aws.amazon.com or github.com/awsdocs. */
  url: string;
}

/**
 * One interview question: the learner answers it in words, runs its experiment (lesson blocks,
 * pressed in order by one click; its checks say what the experiment shows), then reads the
 * explanation with its AWS source.
 */
export interface DrillQuestion {
  /** Stable id (lower-case, dashes): the key of the learner's kept answer. */
  id: string;
  /** The question as an interviewer asks it. */
  question: string;
  /** The lesson that teaches it, and its part (1-based). */
  lesson: { id: string; title: string; part: number };
  source: DrillSource;
  /** About how long the experiment takes at the playground's defaults, in seconds. */
  seconds: number;
  /** What the experiment does, in prose, then its blocks in the order they run. */
  experiment: StepPart[];
  /** Markdown shown after the experiment. */
  explanation: string;
}

export interface Drill {
  title: string;
  goal: string;
  questions: DrillQuestion[];
}

/** Blocks a drill experiment may hold: actions a click can run and checks of the real state. */
export const DRILL_BLOCKS = ["http", "terminal", "faults", "trigger", "step-mode", "next", "redrive", "reset", "check"] as const satisfies readonly LessonBlock["kind"][];
