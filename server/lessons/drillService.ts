import type { Drill } from "../../common/drill.js";
import type { CheckResult } from "../../common/lessons.js";
import type { PlaygroundState } from "../../common/state.js";
import { ControlError } from "../control/errors.js";
import type { Clock } from "../events/eventLog.js";
import { localizeAddresses, LessonService, type Addresses } from "./lessonService.js";
import type { ParsedDrill } from "./parseDrill.js";

/**
 * The interview drill as the API serves it: questions with their experiments and explanations,
 * addresses made real as lessons' are, and each experiment's checks evaluated on the real state by
 * the lessons' own evaluator (a question is one part of the drill read as a lesson).
 */
export class DrillService {
  private readonly lessons: LessonService;
  private cache: Drill | undefined;

  constructor(
    private readonly parsed: ParsedDrill,
    state: PlaygroundState,
    clock: Clock,
    private readonly addresses: () => Addresses,
  ) {
    this.lessons = new LessonService([parsed.asLesson], state, clock, addresses);
  }

  /** Every question, in order. */
  get(): Drill {
    if (this.cache) return this.cache;
    const lesson = this.lessons.get(this.parsed.asLesson.id);
    const addresses = this.addresses();
    this.cache = {
      ...this.parsed.drill,
      questions: this.parsed.drill.questions.map((q, n) => ({ ...q, experiment: lesson.steps[n]?.parts ?? q.experiment, explanation: localizeAddresses(q.explanation, addresses) })),
    };
    return this.cache;
  }

  /**
   * Evaluate check `index` (0-based, among the question's checks) of question `question` (its id).
   * @throws ControlError 404 QuestionNotFound / CheckNotFound, 400 InvalidCheck
   */
  check(question: unknown, index: unknown): CheckResult {
    const at = this.parsed.drill.questions.findIndex((q) => q.id === question);
    if (at < 0) throw new ControlError(404, "QuestionNotFound", `no question "${String(question)}"; see GET /api/drill`);
    return this.lessons.check(this.parsed.asLesson.id, at, index);
  }
}
