import { z } from "zod";
import { DRILL_BLOCKS, type Drill, type DrillQuestion } from "../../common/drill.js";
import type { Lesson } from "../../common/lessons.js";
import { LessonError, parseLesson, PROSE_LANGUAGES, type ParseOptions } from "./parseLesson.js";

/** Where a question's source may point: AWS's own documentation. */
const AWS_SOURCE = /^https:\/\/(docs\.aws\.amazon\.com|aws\.amazon\.com|github\.com\/awsdocs)\//;

const questionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id must be lower-case letters, digits and dashes"),
  lesson: z.string().min(1),
  part: z.number().int().positive().optional(),
  source: z.strictObject({ title: z.string().min(1), url: z.string().regex(AWS_SOURCE, "source.url must be an https address of AWS's documentation") }),
  seconds: z.number().int().positive().max(300),
});
const QUESTION_USAGE =
  'question block: expected {"id": "<slug>", "lesson": "<lesson id>", "part"?: <n>, "source": {"title": "…", "url": "https://docs.aws.amazon.com/…"}, "seconds": <about how long the experiment takes>}';
const ALLOWED = new Set<string>(DRILL_BLOCKS);

interface Section {
  heading: number;
  meta?: { line: number; body: string };
  explanation: string[];
}

export interface ParsedDrill {
  drill: Drill;
  /** The same questions as a lesson (one part each, the experiment's blocks): checks are evaluated as a lesson's. */
  asLesson: Lesson;
}

/**
 * Parse the interview drill: lesson front matter, then one `## <question>` part per question,
 * each with a ```question block (its id, lesson, AWS source and duration), the experiment in
 * lesson blocks (validated by the lesson parser itself), and a `### Why` explanation after it.
 * @param lessons the loaded lessons, to which every question must link
 * @throws LessonError naming the file and line of the first problem
 */
export function parseDrill(text: string, options: Omit<ParseOptions, "order">, lessons: Lesson[]): ParsedDrill {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, detail: string): never => {
    throw new LessonError(options.file, line, detail);
  };
  // The lesson parser sees the experiments only: question blocks and explanations are blanked
  // (not removed), so its errors keep the file's own line numbers.
  const experiments = [...lines];
  const sections: Section[] = [];
  let section: Section | undefined;
  let inExplanation = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^## /.test(line)) {
      section = { heading: i + 1, explanation: [] };
      sections.push(section);
      inExplanation = false;
      continue;
    }
    if (section && line.trim() === "### Why") {
      inExplanation = true;
      experiments[i] = "";
      continue;
    }
    const open = /^```(\S*)/.exec(line);
    const end = open ? lines.indexOf("```", i + 1) : -1;
    if (open && end < 0) fail(i + 1, "this fenced block is never closed (a line ``` is missing)");
    const language = open?.[1] ?? "";
    if (section && inExplanation) {
      const upTo = open ? end : i;
      section.explanation.push(...lines.slice(i, upTo + 1));
      for (let j = i; j <= upTo; j++) experiments[j] = "";
      i = upTo;
      continue;
    }
    if (!open) continue;
    if (section && language === "question") {
      if (section.meta) fail(i + 1, "a question has one question block");
      section.meta = { line: i + 1, body: lines.slice(i + 1, end).join("\n") };
      for (let j = i; j <= end; j++) experiments[j] = "";
    } else if (section && !PROSE_LANGUAGES.has(language) && !ALLOWED.has(language)) {
      fail(i + 1, `a drill experiment holds only ${DRILL_BLOCKS.join(", ")} blocks (the learner answers in words, not by a prediction), got "${language}"`);
    }
    i = end;
  }
  const asLesson = parseLesson(experiments.join("\n"), { ...options, order: 0 });
  const ids = new Set<string>();
  const questions = asLesson.steps.map((step, n): DrillQuestion => {
    const at = sections[n] ?? fail(1, "sections and parts disagree");
    const meta = at.meta ?? fail(at.heading, `question ${n + 1} ("${step.title}") needs a question block`);
    let json: unknown;
    try {
      json = JSON.parse(meta.body);
    } catch (error) {
      fail(meta.line, `question block: not valid JSON (${(error as Error).message})`);
    }
    const parsed = questionSchema.safeParse(json);
    if (!parsed.success) return fail(meta.line, `${QUESTION_USAGE}: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`.trim());
    const { id, lesson: lessonId, part = 1, source, seconds } = parsed.data;
    if (ids.has(id)) fail(meta.line, `question id "${id}" is used twice`);
    ids.add(id);
    const lesson = lessons.find((l) => l.id === lessonId) ?? fail(meta.line, `question block: no lesson "${lessonId}"; known: ${lessons.map((l) => l.id).join(", ")}`);
    if (part > lesson.steps.length) fail(meta.line, `question block: lesson "${lessonId}" has ${lesson.steps.length} parts, not ${part}`);
    if (!step.parts.some((p) => p.kind === "check")) fail(at.heading, `question ${n + 1} ("${step.title}"): its experiment needs a check (what it shows)`);
    const explanation = at.explanation.join("\n").trim();
    if (!explanation) fail(at.heading, `question ${n + 1} ("${step.title}"): a "### Why" explanation is missing after its experiment`);
    return { id, question: step.title, lesson: { id: lesson.id, title: lesson.title, part }, source, seconds, experiment: step.parts, explanation };
  });
  if (questions.length === 0) fail(1, 'the drill needs at least one question: a "## " heading');
  return { drill: { title: asLesson.title, goal: asLesson.goal, questions }, asLesson };
}
