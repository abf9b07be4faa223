// One generated test per lesson and lab: a fresh playground, its own reference solution, every
// check ✓. The lessons are dealt into shards (solves.N.test.ts), one file each, so that they run
// side by side, and the lessons of a shard side by side too: each is minutes of mostly waiting on
// real visibility timeouts and retention periods.
import { expect, it } from "vitest";
import type { Lesson } from "../../common/lessons.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";
import { solveLesson } from "../helpers/lessonSolver.js";
import { playgroundForTest } from "../helpers/playground.js";

export const SHARDS = 3;

/** Defines "solves <lesson>" for every lesson whose place in the order is `shard` modulo SHARDS. */
export function solvesShard(shard: number): void {
  solves(loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT).filter((_lesson, i) => i % SHARDS === shard));
}

/**
 * Defines "solves <lesson>" for the lessons named, on playgrounds started with `env`, one after
 * another: with the lesson's function in runtime processes, lessons side by side would start
 * their cold environments at once, and that burst of process starts is the playground's own load.
 */
export function solvesWith(env: Record<string, string>, ids: string[]): void {
  solves(loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT).filter((lesson) => ids.includes(lesson.id)), env, false);
}

function solves(lessons: Lesson[], env: Record<string, string> = {}, sideBySide = true): void {
  it("has lessons to solve", () => expect(lessons.length).toBeGreaterThan(0));
  // Side by side within the file too (each on its own playground): a lesson is mostly waiting.
  (sideBySide ? it.concurrent : it).for(lessons.map((lesson) => [`${lesson.kind} ${String(lesson.order).padStart(2, "0")}: ${lesson.title}`, lesson.id] as const))("solves %s", { timeout: 180_000 }, async ([, id], context) => {
    const { expect } = context;
    const playground = await playgroundForTest(context, env);
    const lesson = (await (await playground.get(`/api/lessons/${id}`)).json()) as Lesson;
    const solved = await solveLesson(playground, lesson);
    expect(solved.checks.length).toBeGreaterThan(0);
    expect(solved.checks.filter((r) => !r.ok)).toEqual([]);
    // A check is never ✗ while the state can still become true.
    expect(solved.shownFailed).toEqual([]);
    // Every prediction is answered by a real outcome, one of its choices.
    expect(solved.predictions.filter((p) => p.matching === null)).toEqual([]);
  });
}
