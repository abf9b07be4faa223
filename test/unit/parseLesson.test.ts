import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../server/config.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { parseLesson } from "../../server/lessons/parseLesson.js";
import { startPlayground } from "../../server/playground.js";

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
    ["an empty file", "", 1, /starts with front matter/],
    ["front matter that is never closed", "---\nid: t\ntitle: T\ngoal: G\n## S\nx\n", 1, /front matter is not closed/],
    ["a front matter line that is not key: value", "---\nid: t\nthis is prose\ntitle: T\ngoal: G\n---\n## S\nx\n", 3, /"key: value"/],
    ["an id with capitals and spaces", "---\nid: Bad Id\ntitle: T\ngoal: G\n---\n## S\nx\n", 2, /id must be lower-case letters, digits and dashes/],
    ["an empty title", "---\nid: t\ntitle:\ngoal: G\n---\n## S\nx\n", 3, /title is required/],
    ["an empty step", front + "## Empty\n\n## Full\nx\n", 6, /step 1 \("Empty"\) is empty/],
    ["a predict naming unknown state", front + '## S\n```predict\n{"question": "?", "expect": "queue.depht", "choices": [{"label": "a", "value": 1}, {"label": "b", "value": 2}]}\n```\n', 7, /predict block: unknown state "queue.depht"/],
    ["a predict with one choice", front + '## S\n```predict\n{"question": "?", "expect": "tasks.count", "choices": [{"label": "a", "value": 1}]}\n```\n', 7, /at least two choices/],
    ["a check with two comparisons", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "atLeast": 1}\n```\n', 7, /check block: expected/],
    ["a check with no comparison", front + '## S\n```check\n{"expect": "tasks.count"}\n```\n', 7, /check block: expected/],
    ["a check that is a JSON list", front + "## S\n```check\n[1]\n```\n", 7, /check block: must be a JSON object/],
    ["a check comparing a number with text", front + '## S\n```check\n{"expect": "tasks.count", "atLeast": "1"}\n```\n', 7, /check block: expected/],
    ["an http method that is not allowed", front + "## S\n```http\nTRACE /tasks\n```\n", 8, /METHOD \/path/],
    ["an http header that is not Name: value", front + "## S\n```http\nPOST /tasks\nno colon here\n\n{}\n```\n", 9, /header lines are "Name: value"/],
    ["an empty terminal block", front + "## S\n```terminal\n\n```\n", 7, /no command/],
    ["a step-mode block that is not {enabled}", front + '## S\n```step-mode\n{"enabled": "yes"}\n```\n', 7, /step-mode block: expected/],
    ["a next block naming an unknown step", front + '## S\n```next\n{"step": "teleport"}\n```\n', 7, /next block: "step" must be one of insert/],
    ["a reset block with content", front + "## S\n```reset\nnow\n```\n", 7, /reset block: takes no content/],
    ["a code block without a file", front + "## S\n```code lines=1-2\n```\n", 7, /write it as ```code file=/],
    ["code with an anchor but no line count", front + "## S\n```code file=server/x.ts anchor=two\n```\n", 7, /write it as ```code file=/],
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

describe("loading the lessons folder", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "qfp-lessons-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const lesson = (id: string) => `---\nid: ${id}\ntitle: T\ngoal: G\n---\n## S\ntext\n`;

  it("refuses two lessons with one id, naming both files", () => {
    const dir = folder({ "01-a.md": lesson("same"), "02-b.md": lesson("same") });
    expect(() => loadLessons(dir, dir)).toThrow(/02-b\.md:2: id "same" is already used by .*01-a\.md/);
  });

  it("ignores files not named NN-slug.md, and orders the rest by number", () => {
    const dir = folder({ "10-later.md": lesson("later"), "02-first.md": lesson("first"), "notes.md": "not a lesson", "3-short.md": lesson("short") });
    expect(loadLessons(dir, dir).map((l) => [l.order, l.id])).toEqual([[2, "first"], [10, "later"]]);
  });

  it("stops the playground's start-up on a broken lesson, naming its file and line, before anything listens", async () => {
    const dir = folder({ "01-broken.md": lesson("broken").replace("## S\ntext", '## S\n```check\n{"expect": "nothing.here", "equals": 1}\n```') });
    const config = parseConfig({ LESSONS_DIR: dir, PORT: "0", SQS_PORT: "0", DATA_DIR: join(dir, "data") }, "test");
    await expect(startPlayground(config, { log: () => {} })).rejects.toThrow(/01-broken\.md:7: check block: unknown state "nothing.here"/);
  });
});
