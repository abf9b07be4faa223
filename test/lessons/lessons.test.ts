// The lessons load and validate; the solver itself fails a lesson that cannot pass. The generated
// test per lesson (its reference solution, every check ✓) is in solves.*.test.ts, in shards that run side by side.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLesson } from "../../server/lessons/parseLesson.js";
import type { Lesson } from "../../common/lessons.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";
import { solveLesson } from "../helpers/lessonSolver.js";
import { playgroundPerTest } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const lessons = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);
const playgrounds = playgroundPerTest();

describe("the lessons", () => {
  it("are there, and load without error", () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

});

describe("each lesson file", () => {
  it.each(lessons.map((lesson) => [lesson.file] as const))("%s validates against the lesson schema on its own", async (file) => {
    const text = await readFile(join(ROOT, file), "utf8");
    const readSource = (source: string) => readFileSync(join(ROOT, source), "utf8").split("\n");
    const lesson = parseLesson(text, { file, order: 0, readSource });
    expect(lesson.steps.length).toBeGreaterThan(0);
    expect(lesson.steps.flatMap((s) => s.parts).some((p) => p.kind === "check")).toBe(true);
  });

  it.each(lessons.map((lesson) => [lesson.file] as const))("%s says, for every check, what it waits for", (file) => {
    const lesson = lessons.find((l) => l.file === file);
    const silent = lesson?.steps.flatMap((s) => s.parts).filter((p) => p.kind === "check" && p.waiting === null);
    expect(silent).toEqual([]);
  });
});

describe("the lesson solver", () => {
  it("fails a lesson whose check can never pass, with expected and actual", async () => {
    const dir = await mkdtemp(join(tmpdir(), "qfp-lessons-"));
    try {
      const broken = '---\nid: broken\ntitle: Broken\ngoal: Fail\n---\n## S\n```check\n{"expect": "tasks.count", "equals": 99}\n```\n';
      await writeFile(join(dir, "01-broken.md"), broken);
      const playground = await playgrounds.start({ LESSONS_DIR: dir });
      const lesson = (await (await playground.get("/api/lessons/broken")).json()) as Lesson;
      const { checks } = await solveLesson(playground, lesson, { checkTimeoutMs: 300 });
      expect(checks).toEqual([{ status: "waiting", ok: false, label: "tasks.count equals 99", expected: "tasks.count = 99", actual: "tasks.count = 0", why: "waiting until tasks.count is 99 (now: 0)", seq: expect.any(Number) }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
