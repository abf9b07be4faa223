import { describe, expect, it } from "vitest";
import { parseLesson } from "../../server/lessons/parseLesson.js";

const source: Record<string, string[]> = { "server/x.ts": ["line one", "line two", "line three"] };
const parse = (text: string) => parseLesson(text, { file: "lessons/99-test.md", order: 99, readSource: (f) => source[f] });
const front = "---\nid: test\ntitle: A test\ngoal: To test\n---\n";

describe("the lesson parser", () => {
  it("reads front matter, intro, steps, prose and every block type", () => {
    const lesson = parse(
      front +
        "Intro text.\n\n## First\nSome prose.\n\n```http\nPOST /tasks\nContent-Type: application/json\n\n{\"title\": \"x\"}\n```\n\n" +
        '```terminal\nawslocal sqs list-queues\n```\n```check\n{"expect": "tasks.count", "atLeast": 1}\n```\n' +
        '```faults\n{"failRate": 1}\n```\n```trigger\n{"BatchSize": 5}\n```\n```step-mode\n{"enabled": true}\n```\n' +
        "```code file=server/x.ts lines=2-3\n```\n```json\n{\"plain\": true}\n```\n",
    );
    expect(lesson).toMatchObject({ id: "test", title: "A test", goal: "To test", order: 99, intro: "Intro text." });
    expect(lesson.steps[0]?.parts.map((p) => p.kind)).toEqual(["prose", "http", "terminal", "check", "faults", "trigger", "step-mode", "code", "prose"]);
    expect(lesson.steps[0]?.parts[1]).toEqual({ kind: "http", method: "POST", path: "/tasks", headers: { "Content-Type": "application/json" }, body: '{"title": "x"}' });
    expect(lesson.steps[0]?.parts[3]).toEqual({ kind: "check", expect: "tasks.count", comparison: { atLeast: 1 }, label: "tasks.count atLeast 1" });
    expect(lesson.steps[0]?.parts[7]).toEqual({ kind: "code", file: "server/x.ts", line: 2, code: "line two\nline three" });
    expect(lesson.steps[0]?.parts[8]).toEqual({ kind: "prose", markdown: '```json\n{"plain": true}\n```' });
  });

  it.each([
    ["no front matter", "## Step\ntext\n", 1, /starts with front matter/],
    ["an unknown front matter key", "---\nid: t\ntitle: T\ngoal: G\nauthor: me\n---\n## S\nx\n", 5, /unknown key "author"/],
    ["a missing goal", "---\nid: t\ntitle: T\n---\n## S\nx\n", 1, /goal/],
    ["no step", front + "just prose\n", 6, /at least one step/],
    ["an unknown block type", front + "## S\n```chekc\n{}\n```\n", 7, /unknown block type "chekc"/],
    ["an unclosed fence", front + "## S\n```terminal\nls\n", 7, /never closed/],
    ["a check that is not JSON", front + "## S\n```check\nexpect: x\n```\n", 7, /not valid JSON/],
    ["a check naming unknown state", front + '## S\n```check\n{"expect": "task.stauts", "equals": "x"}\n```\n', 7, /unknown state "task.stauts"/],
    ["a bad http request line", front + "## S\n```http\nSEND tasks\n```\n", 8, /METHOD \/path/],
    ["a JSON body that does not parse", front + "## S\n```http\nPOST /tasks\nContent-Type: application/json\n\n{oops\n```\n", 7, /does not parse/],
    ["a trigger setting AWS would refuse", front + '## S\n```trigger\n{"BatchSize": 100}\n```\n', 7, /InvalidParameterValueException/],
    ["faults with an unknown field", front + '## S\n```faults\n{"explode": true}\n```\n', 7, /faults block/],
    ["code lines outside the file", front + "## S\n```code file=server/x.ts lines=2-9\n```\n", 7, /outside server\/x.ts/],
    ["code from a missing file", front + "## S\n```code file=server/nope.ts lines=1-2\n```\n", 7, /no file "server\/nope.ts"/],
    ["code from outside the project", front + "## S\n```code file=../etc/passwd lines=1-2\n```\n", 7, /inside the project/],
    ["a block before any step", front + "```terminal\nls\n```\n## S\nx\n", 6, /inside a step/],
  ])("refuses %s, naming the file and line", (_name, text, line, message) => {
    expect(() => parse(text)).toThrow(`lessons/99-test.md:${line}:`);
    expect(() => parse(text)).toThrow(message);
  });
});

describe("code blocks", () => {
  it("find their lines by an anchor, so edits above them do not break the lesson", () => {
    const lesson = parse(front + "## S\n```code file=server/x.ts anchor=two lines=2\n```\n");
    expect(lesson.steps[0]?.parts[0]).toEqual({ kind: "code", file: "server/x.ts", line: 2, code: "line two\nline three" });
  });

  it("refuse an anchor that is not in the file", () => {
    expect(() => parse(front + "## S\n```code file=server/x.ts anchor=nowhere lines=2\n```\n")).toThrow(/lessons\/99-test.md:7: code block: no line of server\/x.ts contains "nowhere"/);
  });
});
