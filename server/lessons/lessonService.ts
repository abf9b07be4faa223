import type { CheckResult, Lesson, LessonSummary, PredictionOutcome } from "../../common/lessons.js";
import type { PlaygroundState } from "../../common/state.js";
import { ControlError } from "../control/errors.js";
import type { Clock } from "../events/eventLog.js";
import { evaluateCheck, evaluatePrediction } from "./checks.js";
import { ValueSince } from "./valueSince.js";

/** Where this playground really listens; lessons are written for the defaults. */
export interface Addresses {
  playgroundUrl: string;
  sqsPort: number;
}

const DEFAULT_ADDRESSES = /http:\/\/localhost:8000\b|localhost:4566\b/g;

/**
 * A lesson's text with the default addresses replaced by the real ones, in one pass: replacing
 * them one after the other rewrote a playground on port 4566x a second time (44087 + "3").
 */
export function localizeAddresses(text: string, addresses: Addresses): string {
  return text.replace(DEFAULT_ADDRESSES, (found) => (found.startsWith("http") ? addresses.playgroundUrl : `localhost:${addresses.sqsPort}`));
}

/**
 * Lessons as the API serves them. Lessons are written with the default addresses
 * (http://localhost:8000, localhost:4566); when the playground runs elsewhere, commands and prose
 * are given the real ones, so a lesson's commands always work as shown.
 */
export class LessonService {
  private cache: Lesson[] | undefined;
  private readonly since: ValueSince;

  constructor(
    private readonly lessons: Lesson[],
    private readonly state: PlaygroundState,
    private readonly clock: Clock,
    /** Known once the server listens; lessons are first served after that. */
    private readonly addresses: () => Addresses,
  ) {
    this.since = new ValueSince(clock);
  }

  /** Called after each event has been folded into the state: the answers' `seq` follow the values asked about. */
  observe(seq: number): void {
    this.since.observe(seq);
  }

  private get localized(): Lesson[] {
    if (this.cache) return this.cache;
    const addresses = this.addresses();
    const localize = (text: string) => localizeAddresses(text, addresses);
    this.cache = this.lessons.map((lesson) => ({
      ...lesson,
      intro: localize(lesson.intro),
      steps: lesson.steps.map((step) => ({
        ...step,
        parts: step.parts.map((part) =>
          part.kind === "prose" || part.kind === "hint" ? { ...part, markdown: localize(part.markdown) } : part.kind === "terminal" ? { ...part, command: localize(part.command) } : part,
        ),
      })),
    }));
    return this.cache;
  }

  list(): LessonSummary[] {
    return this.localized.map(({ id, kind, title, goal, order, steps }) => ({ id, kind, title, goal, order, steps: steps.length }));
  }

  get(id: string): Lesson {
    const lesson = this.localized.find((l) => l.id === id);
    if (!lesson) throw new ControlError(404, "LessonNotFound", `no lesson "${id}"; see GET /api/lessons`);
    return lesson;
  }

  /** Evaluate check number `index` (0-based, among the step's checks) of step `step` (0-based). */
  check(id: string, step: unknown, index: unknown): CheckResult {
    const lesson = this.get(id);
    if (!Number.isInteger(step) || !Number.isInteger(index)) throw new ControlError(400, "InvalidCheck", 'send {"step": <n>, "index": <n>} (0-based)');
    const checks = lesson.steps[step as number]?.parts.filter((p) => p.kind === "check") ?? [];
    const check = checks[index as number];
    if (!check || check.kind !== "check") throw new ControlError(404, "CheckNotFound", `lesson "${id}" has no check ${index} in step ${step}`);
    const result = evaluateCheck(check, this.state, this.clock());
    // The event after which it became so: the page shows a ✓ once the drawing has drawn that event.
    const seq = this.since.since(`check:${id}:${step as number}:${index as number}`, () => evaluateCheck(check, this.state, this.clock()).status, this.state.seq, result.status);
    return { ...result, seq };
  }

  /** The real outcome for prediction number `index` (0-based, among the step's predictions) of step `step`. */
  outcome(id: string, step: unknown, index: unknown): PredictionOutcome {
    const lesson = this.get(id);
    if (!Number.isInteger(step) || !Number.isInteger(index)) throw new ControlError(400, "InvalidPrediction", 'send {"step": <n>, "index": <n>} (0-based)');
    const predict = (lesson.steps[step as number]?.parts.filter((p) => p.kind === "predict") ?? [])[index as number];
    if (!predict || predict.kind !== "predict") throw new ControlError(404, "PredictionNotFound", `lesson "${id}" has no prediction ${index} in step ${step}`);
    const outcome = evaluatePrediction(predict, this.state, this.clock());
    const seq = this.since.since(`prediction:${id}:${step as number}:${index as number}`, () => evaluatePrediction(predict, this.state, this.clock()).actual, this.state.seq, outcome.actual);
    return { ...outcome, seq };
  }
}
