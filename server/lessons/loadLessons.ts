import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Lesson } from "../../common/lessons.js";
import { LessonError, parseLesson } from "./parseLesson.js";

const LESSON_FILE = /^(\d{2})-[a-z0-9-]+\.md$/;
/** Code blocks may quote only these parts of the project. */
const QUOTABLE = ["server/", "lambda/", "common/", "client/src/", "test/", "lessons/", "test_complete_flow.sh", "README.md", "QUEUE_FLOW_EXPLAINED.md", "docker-compose.yml"];

/**
 * Load every lesson in `lessonsDir` (files named `NN-slug.md`, in NN order). A broken lesson
 * throws a LessonError naming its file and line, so start-up and tests both stop on it.
 */
export function loadLessons(lessonsDir: string, projectRoot: string): Lesson[] {
  const readSource = (file: string): string[] | undefined => {
    const path = resolve(projectRoot, file);
    if (!QUOTABLE.some((prefix) => file === prefix || file.startsWith(prefix)) || relative(projectRoot, path).startsWith("..")) return undefined;
    try {
      return readFileSync(path, "utf8").split("\n");
    } catch {
      return undefined;
    }
  };
  const lessons: Lesson[] = [];
  const files = readdirSync(lessonsDir).filter((name) => LESSON_FILE.test(name)).sort();
  for (const name of files) {
    const file = relative(projectRoot, join(lessonsDir, name)) || name;
    const order = Number(LESSON_FILE.exec(name)?.[1]);
    lessons.push(parseLesson(readFileSync(join(lessonsDir, name), "utf8"), { file, order, readSource }));
  }
  const seen = new Map<string, string>();
  for (const lesson of lessons) {
    const other = seen.get(lesson.id);
    if (other) throw new LessonError(lesson.file, 2, `id "${lesson.id}" is already used by ${other}`);
    seen.set(lesson.id, lesson.file);
  }
  return lessons;
}
