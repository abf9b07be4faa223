// One generated test per interview question: a fresh playground, the question's experiment pressed
// in order as the page's "Run the experiment" does, and every check of it ✓ — the checks state what
// the explanation claims the experiment shows.
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import type { Drill, DrillQuestion } from "../../common/drill.js";
import type { CheckResult, Lesson } from "../../common/lessons.js";
import { loadDrill, loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";
import { solveLesson, type SolvedLesson } from "../helpers/lessonSolver.js";
import { removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

const lessons = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);
const drill = loadDrill(`${PROJECT_ROOT}lessons`, PROJECT_ROOT, lessons)?.drill;
const questions = drill?.questions ?? [];

/** What an experiment may change and must put back: the trigger's settings, the function's, the faults. */
async function settings(playground: TestPlayground): Promise<unknown[]> {
  const read = async (path: string) => (await playground.get(path)).json();
  // Left out: what changes with time or by itself (warnings follow the settings; LastModified is a clock reading).
  const mapping = async (path: string) => ({ ...((await read(path)) as Record<string, unknown>), LastModified: undefined, warnings: undefined, state: undefined });
  return [await mapping("/api/trigger"), await mapping("/api/trigger/fifo"), await mapping("/api/function"), await read("/api/faults")];
}

/** A question's experiment as a one-part lesson, for the lesson solver. */
const asLesson = (q: DrillQuestion): Lesson => ({ kind: "lesson", id: "interview-drill", title: q.question, goal: "", order: 0, file: "", intro: "", steps: [{ title: q.question, parts: q.experiment }] });

describe("the interview drill", () => {
  it("has at least twelve questions", () => {
    expect(questions.length).toBeGreaterThanOrEqual(12);
  });

  it("is served by GET /api/drill as the file says", async () => {
    const playground = await startTestPlayground();
    try {
      const served = (await (await playground.get("/api/drill")).json()) as Drill;
      expect(served.questions.map((q) => q.id)).toEqual(questions.map((q) => q.id));
    } finally {
      await playground.stop();
      await removeDataDir(playground.dataDir);
    }
  });
});

describe.each(questions.map((q) => [q.question, q] as const))("drill: %s", (_title, question) => {
  let playground: TestPlayground;
  let before: unknown[];
  let solved: SolvedLesson;
  beforeAll(async () => {
    playground = await startTestPlayground();
    before = await settings(playground);
    const served = (await (await playground.get("/api/drill")).json()) as Drill;
    const localized = served.questions.find((q) => q.id === question.id) ?? question;
    const evaluateCheck = async (_part: number, index: number) => (await (await playground.send("POST", "/api/drill/checks", { question: question.id, index })).json()) as CheckResult;
    // Twice the seconds the question announces: a loaded machine starts the burst's environments cold, slowly.
    solved = await solveLesson(playground, asLesson(localized), { checkTimeoutMs: question.seconds * 2000 + 30_000, evaluateCheck, oneAtATime: true });
  }, question.seconds * 2000 + 90_000);
  afterAll(async () => {
    await playground?.stop();
    if (playground) await removeDataDir(playground.dataDir);
  });

  it("its experiment shows what its explanation claims: every check passes", () => {
    expect(solved.checks.length).toBeGreaterThan(0);
    expect(solved.checks.filter((r) => !r.ok)).toEqual([]);
  });

  it("no check showed ✗ while its experiment ran", () => {
    expect(solved.shownFailed).toEqual([]);
  });

  it("leaves the trigger, the function and the faults as it found them", async () => {
    expect(await settings(playground)).toEqual(before);
  });
});
