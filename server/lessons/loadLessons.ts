import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Lesson } from "../../common/lessons.js";
import { LessonError, parseLesson } from "./parseLesson.js";
import { parseDrill, type ParsedDrill } from "./parseDrill.js";

const LESSON_FILE = /^(\d{2})-[a-z0-9-]+\.md$/;
/** The failure labs: `lessons/labs/NN-slug.md`, each with `kind: lab` in its front matter. */
export const LABS_FOLDER = "labs";
/** Code blocks may quote only these parts of the project. */
const QUOTABLE = ["server/", "lambda/", "common/", "client/src/", "test/", "lessons/", "test_complete_flow.sh", "README.md", "QUEUE_FLOW_EXPLAINED.md", "docker-compose.yml"];

/**
 * Load every lesson in `lessonsDir` (files named `NN-slug.md`, in NN order), then the labs in its
 * `labs/` folder (named the same way, numbered on their own). A broken lesson
 * throws a LessonError naming its file and line, so start-up and tests both stop on it.
 */
export function loadLessons(lessonsDir: string, projectRoot: string): Lesson[] {
  const readSource = sourceReader(projectRoot);
  const lessons: Lesson[] = [];
  const load = (dir: string, kind: "lesson" | "lab" | undefined) => {
    const files = readdirSync(dir).filter((name) => LESSON_FILE.test(name)).sort();
    for (const name of files) {
      const file = relative(projectRoot, join(dir, name)) || name;
      const order = Number(LESSON_FILE.exec(name)?.[1]);
      lessons.push(parseLesson(readFileSync(join(dir, name), "utf8"), { file, order, readSource, ...(kind ? { kind } : {}) }));
    }
  };
  load(lessonsDir, undefined);
  // Labs have their own folder and numbering (lab 1, lab 2, …), listed after the lessons.
  const labsDir = join(lessonsDir, LABS_FOLDER);
  if (existsSync(labsDir)) load(labsDir, "lab");
  const seen = new Map<string, string>();
  for (const lesson of lessons) {
    const other = seen.get(lesson.id);
    if (other) throw new LessonError(lesson.file, 2, `id "${lesson.id}" is already used by ${other}`);
    seen.set(lesson.id, lesson.file);
  }
  return lessons;
}

/** Where a lesson set keeps its interview drill (optional: a lesson folder without one has no drill). */
export const DRILL_FILE = join("drill", "questions.md");

/**
 * Load the interview drill of `lessonsDir` (its `drill/questions.md`), whose questions link to
 * `lessons`; undefined when the folder has no drill.
 * @throws LessonError naming the file and line of a broken question
 */
export function loadDrill(lessonsDir: string, projectRoot: string, lessons: Lesson[]): ParsedDrill | undefined {
  const path = join(lessonsDir, DRILL_FILE);
  if (!existsSync(path)) return undefined;
  const file = relative(projectRoot, path) || DRILL_FILE;
  return parseDrill(readFileSync(path, "utf8"), { file, readSource: sourceReader(projectRoot) }, lessons);
}

/** Reads a project file for a code block, only inside the quotable parts of the project (links followed). */
function sourceReader(projectRoot: string): (file: string) => string[] | undefined {
  const root = realpathSync(projectRoot);
  const quotable = (file: string) => QUOTABLE.some((prefix) => file === prefix || file.startsWith(prefix));
  const readSource = (file: string): string[] | undefined => {
    if (!quotable(file)) return undefined;
    try {
      // Where the path really leads, links followed: a link inside the project to /etc must not quote /etc/passwd.
      const real = relative(root, realpathSync(resolve(root, file)));
      if (real.startsWith("..") || isAbsolute(real) || !quotable(real)) return undefined;
      return readFileSync(join(root, real), "utf8").split("\n");
    } catch {
      return undefined;
    }
  };
  return readSource;
}
