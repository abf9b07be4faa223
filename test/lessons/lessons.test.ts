// One generated test per lesson: a fresh playground, the lesson's own reference solution, every check ✓.
import { describe, expect, it } from "vitest";
import type { Lesson } from "../../common/lessons.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";
import { solveLesson } from "../helpers/lessonSolver.js";
import { playgroundPerTest } from "../helpers/playground.js";

const lessons = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);
const playgrounds = playgroundPerTest();

describe("the lessons", () => {
  it("are there, and load without error", () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  it.each(lessons.map((lesson) => [`${String(lesson.order).padStart(2, "0")}: ${lesson.title}`, lesson.id] as const))("solves lesson %s", { timeout: 120_000 }, async (_name, id) => {
    const playground = await playgrounds.start();
    const lesson = (await (await playground.get(`/api/lessons/${id}`)).json()) as Lesson;
    const results = await solveLesson(playground, lesson);
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});
