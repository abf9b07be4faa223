// A check that is already true on a freshly reset world is ticked ✓ the moment the learner presses
// the part's Reset, before they have done what it names ("the handler never ran" before any task
// was sent, "no task is completed yet" before any task exists). Every lesson and lab is held to it:
// a check depends on what its part's actions did, never on an empty world happening to satisfy it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult, Lesson, LessonSummary } from "../../common/lessons.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";
import { removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

let playground: TestPlayground;
beforeAll(async () => {
  playground = await startTestPlayground();
});
afterAll(async () => {
  await playground?.stop();
  if (playground) await removeDataDir(playground.dataDir);
});

/** The parts a learner meets on a fresh world: each lesson's first part, and every part that begins with Reset. */
const freshParts = (lesson: Lesson) =>
  lesson.steps.map((step, index) => ({ step, index })).filter(({ step, index }) => index === 0 || step.parts.find((b) => b.kind !== "prose")?.kind === "reset");

describe("every lesson's checks on a fresh world", () => {
  it("the server serves every lesson and lab in lessons/", async () => {
    const summaries = (await (await playground.get("/api/lessons")).json()) as LessonSummary[];
    const files = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);
    expect(files.length).toBeGreaterThanOrEqual(27);
    expect(summaries.map((s) => s.id).sort()).toEqual(files.map((l) => l.id).sort());
  });

  it("none is passed or failed right after the Reset a part begins with", { timeout: 240_000 }, async () => {
    const summaries = (await (await playground.get("/api/lessons")).json()) as LessonSummary[];
    const lessons = await Promise.all(summaries.map(async (s) => (await (await playground.get(`/api/lessons/${s.id}`)).json()) as Lesson));
    const settled: string[] = [];
    let parts = 0;
    for (const lesson of lessons) {
      for (const { step, index } of freshParts(lesson)) {
        parts++;
        expect((await playground.send("POST", "/api/reset")).status).toBe(200);
        const checks = step.parts.filter((b) => b.kind === "check");
        for (const [checkIndex, check] of checks.entries()) {
          const result = (await (await playground.send("POST", `/api/lessons/${lesson.id}/checks`, { step: index, index: checkIndex })).json()) as CheckResult;
          if (result.status !== "waiting") settled.push(`${lesson.id} part ${index + 1} "${check.label}": ${result.status}`);
        }
      }
    }
    expect(parts).toBeGreaterThan(lessons.length);
    expect(settled).toEqual([]);
  });
});
