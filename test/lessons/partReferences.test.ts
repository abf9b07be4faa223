// A lesson's words point the learner at other parts ("fix the code in part 2's cell"). Lesson 21's
// failed checks sent them to part 1's cell and part 3's cell, parts with no cell: every "part N's
// <thing>" must name a part of the same lesson that has that thing.
import { describe, expect, it } from "vitest";
import type { Lesson, StepPart } from "../../common/lessons.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";

const lessons = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);

/** The blocks a "part N's <noun>" names. */
const NOUNS: Record<string, StepPart["kind"]> = { cell: "handler", "terminal command": "terminal", "function log": "function-log" };
/** A new one at each use: a global RegExp's `lastIndex`, left by one search, is where matchAll starts the next. */
const reference = () => new RegExp(`\\bpart (\\d+)'s (${Object.keys(NOUNS).join("|")})\\b`, "gi");

/** Every text of a lesson a learner reads: its intro, prose, hints, and what its checks say. */
function textsOf(lesson: Lesson): string[] {
  const parts = lesson.steps.flatMap((step) => step.parts);
  return [
    lesson.intro,
    ...parts.flatMap((p) => {
      if (p.kind === "prose" || p.kind === "hint") return [p.markdown];
      if (p.kind === "check") return [p.waiting ?? "", p.failsWhen?.because ?? ""];
      return [];
    }),
  ];
}

/** The references of `lesson` to a part that lacks what they name, as sentences. */
function wrongReferences(lesson: Lesson): string[] {
  return textsOf(lesson).flatMap((text) =>
    [...text.matchAll(reference())].flatMap((found) => {
      const [whole, number, noun] = found;
      const kind = NOUNS[(noun ?? "").toLowerCase()];
      const part = lesson.steps[Number(number) - 1];
      return part?.parts.some((p) => p.kind === kind) ? [] : [`"${whole}": part ${number} of ${lesson.steps.length} has no ${kind} block`];
    }),
  );
}

describe("a lesson's reference to another part", () => {
  it("is found in lesson 21's failed-check words", () => {
    const lesson = lessons.find((l) => l.id === "write-the-handler");
    expect(lesson && textsOf(lesson).some((text) => reference().test(text))).toBe(true);
  });

  it.each(lessons.map((lesson) => [lesson.file, lesson] as const))("%s names only parts that have what it names", (_file, lesson) => {
    expect(wrongReferences(lesson)).toEqual([]);
  });
});
