import { describe, expect, it } from "vitest";
import type { Lesson } from "../../common/lessons.js";
import { loadDrill, loadLessons } from "../../server/lessons/loadLessons.js";
import { parseDrill } from "../../server/lessons/parseDrill.js";
import { LessonError } from "../../server/lessons/parseLesson.js";
import { PROJECT_ROOT } from "../../server/playground.js";

const lessons: Lesson[] = [{ kind: "lesson", id: "retries-and-dlq", title: "Retries", goal: "g", order: 7, file: "f", intro: "", steps: [{ title: "one", parts: [] }, { title: "two", parts: [] }] }];
const parse = (text: string) => parseDrill(text, { file: "lessons/drill/questions.md", readSource: () => undefined }, lessons);
const front = "---\nid: interview-drill\ntitle: Interview drill\ngoal: Answer\n---\n";
const meta = (extra = "") => `\`\`\`question\n{"id": "q1", "lesson": "retries-and-dlq", "source": {"title": "DLQs", "url": "https://docs.aws.amazon.com/x.html"}, "seconds": 10${extra}}\n\`\`\`\n`;
const check = '```check\n{"expect": "dlq.messages", "equals": 1, "waiting": "w"}\n```\n';
const question = (body: string) => `${front}## What does maxReceiveCount do?\n${body}`;

describe("the drill parser", () => {
  it("reads a question: its text, lesson link, source, experiment blocks and explanation", () => {
    const { drill } = parse(question(`${meta(', "part": 2')}The setup.\n\n\`\`\`faults\n{"failRate": 1}\n\`\`\`\n${check}### Why\nBecause **SQS** moves it.\n`));
    expect(drill.questions).toEqual([
      {
        id: "q1",
        question: "What does maxReceiveCount do?",
        lesson: { id: "retries-and-dlq", title: "Retries", part: 2 },
        source: { title: "DLQs", url: "https://docs.aws.amazon.com/x.html" },
        seconds: 10,
        experiment: [{ kind: "prose", markdown: "The setup." }, { kind: "faults", body: { failRate: 1 } }, expect.objectContaining({ kind: "check", expect: "dlq.messages" })],
        explanation: "Because **SQS** moves it.",
      },
    ]);
  });

  it.each([
    ["a question without a question block", question(`${check}### Why\nx\n`), 6, /needs a question block/],
    ["a prediction in an experiment", question(`${meta()}\`\`\`predict\n{}\n\`\`\`\n${check}### Why\nx\n`), 10, /holds only .* got "predict"/],
    ["an experiment without a check", question(`${meta()}\`\`\`faults\n{}\n\`\`\`\n### Why\nx\n`), 6, /needs a check/],
    ["no explanation", question(`${meta()}${check}`), 6, /"### Why" explanation is missing/],
    ["a lesson that does not exist", question(`${meta().replace("retries-and-dlq", "retries")}${check}### Why\nx\n`), 7, /no lesson "retries"; known: retries-and-dlq/],
    ["a part past the lesson's end", question(`${meta(', "part": 3')}${check}### Why\nx\n`), 7, /has 2 parts, not 3/],
    ["a source outside AWS's documentation", question(`${meta().replace("https://docs.aws.amazon.com/x.html", "https://example.com/x")}${check}### Why\nx\n`), 7, /source.url/],
    ["a broken experiment block, at its own line", question(`${meta()}\`\`\`check\n{"expect": "dlq.mesages", "equals": 1}\n\`\`\`\n### Why\nx\n`), 10, /unknown state "dlq.mesages"/],
    ["an id used twice", `${question(`${meta()}${check}### Why\nx\n`)}## Again?\n${meta()}${check}### Why\ny\n`, 16, /"q1" is used twice/],
  ])("refuses %s, naming the line", (_name, text, line, message) => {
    let error: unknown;
    try {
      parse(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LessonError);
    expect((error as LessonError).line).toBe(line);
    expect((error as LessonError).message).toMatch(message);
  });
});

describe("the shipped drill", () => {
  const shipped = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);
  const drill = loadDrill(`${PROJECT_ROOT}lessons`, PROJECT_ROOT, shipped)?.drill;

  it("has at least twelve questions, each linked to a lesson and an AWS source", () => {
    expect(drill?.questions.length).toBeGreaterThanOrEqual(12);
    for (const q of drill?.questions ?? []) {
      expect(shipped.map((l) => l.id)).toContain(q.lesson.id);
      expect(q.source.url).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|aws\.amazon\.com|github\.com\/awsdocs)\//);
    }
  });

  it("is absent from a lesson folder without drill/questions.md", () => {
    expect(loadDrill(`${PROJECT_ROOT}test`, PROJECT_ROOT, shipped)).toBeUndefined();
  });
});
