import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../server/config.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { parseLesson } from "../../server/lessons/parseLesson.js";
import { startPlayground } from "../../server/playground.js";
import { ROOT } from "../helpers/process.js";

const source: Record<string, string[]> = { "server/x.ts": ["line one", "line two", "line three"], "lessons/handlers/h.py": ["def lambda_handler(event, context):", "    return None"], "lessons/handlers/h.ts": ["export const handler = async () => {};"] };
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
    expect(lesson.steps[0]?.parts[3]).toEqual({ kind: "check", expect: "tasks.count", comparison: { atLeast: 1 }, label: "tasks.count atLeast 1", waiting: null, failsWhen: null, deadline: null });
    expect(lesson.steps[0]?.parts[7]).toEqual({ kind: "code", file: "server/x.ts", line: 2, code: "line two\nline three" });
    expect(lesson.steps[0]?.parts[8]).toEqual({ kind: "prose", markdown: '```json\n{"plain": true}\n```' });
  });

  it.each([
    ["no front matter", "## Step\ntext\n", 1, /starts with front matter/],
    ["an unknown front matter key", "---\nid: t\ntitle: T\ngoal: G\nauthor: me\n---\n## S\nx\n", 5, /unknown key "author"/],
    ["a missing goal", "---\nid: t\ntitle: T\n---\n## S\nx\n", 1, /goal/],
    ["no part", front + "just prose\n", 6, /at least one part/],
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
    ["a block before any part", front + "```terminal\nls\n```\n## S\nx\n", 6, /inside a part/],
    ["an empty file", "", 1, /starts with front matter/],
    ["front matter that is never closed", "---\nid: t\ntitle: T\ngoal: G\n## S\nx\n", 1, /front matter is not closed/],
    ["a front matter line that is not key: value", "---\nid: t\nthis is prose\ntitle: T\ngoal: G\n---\n## S\nx\n", 3, /"key: value"/],
    ["an id with capitals and spaces", "---\nid: Bad Id\ntitle: T\ngoal: G\n---\n## S\nx\n", 2, /id must be lower-case letters, digits and dashes/],
    ["an empty title", "---\nid: t\ntitle:\ngoal: G\n---\n## S\nx\n", 3, /title is required/],
    ["an empty part", front + "## Empty\n\n## Full\nx\n", 6, /part 1 \("Empty"\) is empty/],
    ["a prediction with no check after it to answer it", front + '## S\n```predict\n{"question": "q", "expect": "tasks.count", "choices": [{"label": "a", "value": 0}, {"label": "b", "value": 1}]}\n```\n', 6, /needs a check after it/],
    ["a predict naming unknown state", front + '## S\n```predict\n{"question": "?", "expect": "queue.depht", "choices": [{"label": "a", "value": 1}, {"label": "b", "value": 2}]}\n```\n', 7, /predict block: unknown state "queue.depht"/],
    ["a predict with one choice", front + '## S\n```predict\n{"question": "?", "expect": "tasks.count", "choices": [{"label": "a", "value": 1}]}\n```\n', 7, /at least two choices/],
    ["a check with two comparisons", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "atLeast": 1}\n```\n', 7, /check block: expected/],
    ["a check with no comparison", front + '## S\n```check\n{"expect": "tasks.count"}\n```\n', 7, /check block: expected/],
    ["a check whose waiting text names an unknown state", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "waiting": "now {tasks.cuont}"}\n```\n', 7, /unknown state "tasks.cuont" in a \{placeholder\}/],
    ["a check whose deadline counts from an unknown moment", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "deadline": {"seconds": 5, "after": "never"}}\n```\n', 7, /unknown moment "never"/],
    ["a check whose failsWhen names an unknown state in its and", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "failsWhen": {"expect": "tasks.failed", "atLeast": 1, "and": [{"expect": "tasks.faild", "equals": 1}], "because": "x"}}\n```\n', 7, /unknown state "tasks.faild" in "failsWhen" "and" 1/],
    ["a check whose failsWhen gives no reason", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "failsWhen": {"expect": "tasks.failed", "atLeast": 1}}\n```\n', 7, /check block: expected/],
    ["a check that is a JSON list", front + "## S\n```check\n[1]\n```\n", 7, /check block: must be a JSON object/],
    ["a check comparing a number with text", front + '## S\n```check\n{"expect": "tasks.count", "atLeast": "1"}\n```\n', 7, /check block: expected/],
    ["an http method that is not allowed", front + "## S\n```http\nTRACE /tasks\n```\n", 8, /METHOD \/path/],
    ["an http header that is not Name: value", front + "## S\n```http\nPOST /tasks\nno colon here\n\n{}\n```\n", 9, /header lines are "Name: value"/],
    ["an empty terminal block", front + "## S\n```terminal\n\n```\n", 7, /no command/],
    ["a step-mode block that is not {enabled}", front + '## S\n```step-mode\n{"enabled": "yes"}\n```\n', 7, /step-mode block: InvalidStepMode/],
    ["a next block naming an unknown step", front + '## S\n```next\n{"step": "teleport"}\n```\n', 7, /next block: "step" must be one of insert/],
    ["a reset block with content", front + "## S\n```reset\nnow\n```\n", 7, /reset block: takes no content/],
    ["a trial block with content", front + "## S\n```trial\nnow\n```\n", 7, /trial block: takes no content/],
    ["an empty hint", front + "## S\n```hint\n\n```\n", 7, /hint block: write the hint/],
    ["a kind that is neither lesson nor lab", "---\nid: t\ntitle: T\ngoal: G\nkind: quiz\n---\n## S\nx\n", 5, /kind is "lesson" \(the default\) or "lab"/],
    ["an and-condition naming unknown state", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "and": [{"expect": "trial.lsot", "equals": 0}]}\n```\n', 7, /unknown state "trial.lsot" in "and" 1/],
    ["an and-condition without a comparison", front + '## S\n```check\n{"expect": "tasks.count", "equals": 1, "and": [{"expect": "trial.lost"}]}\n```\n', 7, /"and" 1 needs exactly one of/],
    ["a code block without a file", front + "## S\n```code lines=1-2\n```\n", 7, /write it as ```code file=/],
    ["code with an anchor but no line count", front + "## S\n```code file=server/x.ts anchor=two\n```\n", 7, /write it as ```code file=/],
    ["a check naming __proto__", front + '## S\n```check\n{"expect": "__proto__", "equals": 1}\n```\n', 7, /check block: unknown state "__proto__"/],
    ["a check naming constructor", front + '## S\n```check\n{"expect": "constructor", "equals": 1}\n```\n', 7, /check block: unknown state "constructor"/],
    ["a check naming toString", front + '## S\n```check\n{"expect": "toString", "atLeast": 1}\n```\n', 7, /check block: unknown state "toString"/],
    ["a predict naming __proto__", front + '## S\n```predict\n{"question": "?", "expect": "__proto__", "choices": [{"label": "a", "value": 1}, {"label": "b", "value": 2}]}\n```\n', 7, /predict block: unknown state "__proto__"/],
    ["a predict naming constructor", front + '## S\n```predict\n{"question": "?", "expect": "constructor", "choices": [{"label": "a", "value": 1}, {"label": "b", "value": 2}]}\n```\n', 7, /predict block: unknown state "constructor"/],
  ])("refuses %s, naming the file and line", (_name, text, line, message) => {
    expect(() => parse(text)).toThrow(`lessons/99-test.md:${line}:`);
    expect(() => parse(text)).toThrow(message);
  });
});

describe("failure labs", () => {
  it("reads a lab: its kind, hints, a trial and a check with more conditions", () => {
    const lab = parse(
      "---\nid: lab\nkind: lab\ntitle: T\ngoal: G\n---\n## Fix\n```hint\nLook at the **queue**.\n```\n```trial\n```\n" +
        '```check\n{"expect": "trial.allCompleted", "equals": true, "and": [{"expect": "trial.lost", "equals": 0}, {"expect": "faults.failRate", "atLeast": 0.5}]}\n```\n',
    );
    expect(lab.kind).toBe("lab");
    expect(lab.steps[0]?.parts.slice(0, 2)).toEqual([{ kind: "hint", markdown: "Look at the **queue**." }, { kind: "trial" }]);
    expect(lab.steps[0]?.parts[2]).toMatchObject({ and: [{ expect: "trial.lost", comparison: { equals: 0 } }, { expect: "faults.failRate", comparison: { atLeast: 0.5 } }] });
  });

  it("takes a lesson without a kind for a lesson", () => {
    expect(parse(front + "## S\nx\n").kind).toBe("lesson");
  });
});

describe("code blocks", () => {
  it("find their lines by an anchor, so edits above them do not break the lesson", () => {
    const lesson = parse(front + "## S\n```code file=server/x.ts anchor=two lines=2\n```\n");
    expect(lesson.steps[0]?.parts[0]).toEqual({ kind: "code", file: "server/x.ts", line: 2, code: "line two\nline three" });
  });

  it("take an anchor with spaces whole, up to the next attribute", () => {
    const lesson = parse(front + "## S\n```code file=server/x.ts anchor=line three lines=1\n```\n");
    expect(lesson.steps[0]?.parts[0]).toEqual({ kind: "code", file: "server/x.ts", line: 3, code: "line three" });
  });

  it("in every lesson, start at the line that holds the whole anchor the lesson names", () => {
    const shown = loadLessons(join(ROOT, "lessons"), ROOT).flatMap((lesson) => lesson.steps.flatMap((step) => step.parts.flatMap((part) => (part.kind === "code" ? [`${lesson.id} ${part.file}: ${part.code.split("\n")[0]}`] : []))));
    const named = readdirSync(join(ROOT, "lessons"))
      .filter((name) => /^\d+-.+\.md$/.test(name))
      .flatMap((name) => [...readFileSync(join(ROOT, "lessons", name), "utf8").matchAll(/^```code file=(\S+) anchor=(.*) lines=\d+$/gm)].map((m) => ({ file: m[1], anchor: m[2] as string })));
    expect(named.length).toBeGreaterThan(10);
    for (const { file, anchor } of named) expect(shown.some((line) => line.includes(` ${file}: `) && line.includes(anchor)), `${file} at "${anchor}"`).toBe(true);
  });

  it("refuse an anchor that is not in the file", () => {
    expect(() => parse(front + "## S\n```code file=server/x.ts anchor=nowhere lines=2\n```\n")).toThrow(/lessons\/99-test.md:7: code block: no line of server\/x.ts contains "nowhere"/);
  });
});

describe("handler blocks", () => {
  it("carry the whole starting file for each language they name, Node first", () => {
    const lesson = parse(front + "## S\n```handler python=lessons/handlers/h.py nodejs=lessons/handlers/h.ts\n```\n");
    expect(lesson.steps[0]?.parts[0]).toEqual({
      kind: "handler",
      sources: [
        { language: "nodejs", file: "lessons/handlers/h.ts", code: "export const handler = async () => {};" },
        { language: "python", file: "lessons/handlers/h.py", code: "def lambda_handler(event, context):\n    return None" },
      ],
    });
  });

  it.each([
    ["no language", "```handler\n```", /handler block: write it as ```handler nodejs=<path> python=<path>/],
    ["an unknown language", "```handler ruby=lessons/handlers/h.rb\n```", /"ruby" is not a language/],
    ["content in the fence", "```handler python=lessons/handlers/h.py\nprint(1)\n```", /with no content/],
    ["a missing file", "```handler python=lessons/handlers/none.py\n```", /handler block: no file "lessons\/handlers\/none.py" in the project/],
    ["a path leading out of the project", "```handler python=../h.py\n```", /handler block: "..\/h.py" must be a path inside the project/],
  ])("refuse %s, naming the file and line", (_name, block, message) => {
    expect(() => parse(front + "## S\n" + block + "\n")).toThrow(message);
  });

  it("have a function-log block for a later part, which takes no content", () => {
    expect(parse(front + "## S\n```function-log\n```\n").steps[0]?.parts).toEqual([{ kind: "function-log" }]);
    expect(() => parse(front + "## S\n```function-log\nlines\n```\n")).toThrow(/lessons\/99-test.md:7: function-log block: takes no content/);
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

  it("refuses a code block whose file is a link leading out of the project (to /etc)", () => {
    const dir = folder({});
    mkdirSync(join(dir, "server"));
    symlinkSync("/etc", join(dir, "server", "etc"));
    writeFileSync(join(dir, "01-leak.md"), lesson("leak").replace("## S\ntext", "## S\n```code file=server/etc/passwd lines=1-1\n```"));
    expect(() => loadLessons(dir, dir)).toThrow(/01-leak\.md:7: code block: no file "server\/etc\/passwd" in the project/);
  });

  it("refuses a code block whose file is a link to a part of the project that may not be quoted", () => {
    const dir = folder({ "secret.txt": "a secret" });
    mkdirSync(join(dir, "server"));
    symlinkSync(join(dir, "secret.txt"), join(dir, "server", "notes.txt"));
    writeFileSync(join(dir, "01-leak.md"), lesson("leak").replace("## S\ntext", "## S\n```code file=server/notes.txt lines=1-1\n```"));
    expect(() => loadLessons(dir, dir)).toThrow(/no file "server\/notes.txt" in the project/);
  });

  it("quotes a file reached through a link that stays inside the quotable project", () => {
    const dir = folder({});
    mkdirSync(join(dir, "server"));
    writeFileSync(join(dir, "server", "real.ts"), "the real line\n");
    symlinkSync(join(dir, "server", "real.ts"), join(dir, "server", "alias.ts"));
    writeFileSync(join(dir, "01-ok.md"), lesson("ok").replace("## S\ntext", "## S\n```code file=server/alias.ts lines=1-1\n```"));
    expect(loadLessons(dir, dir)[0]?.steps[0]?.parts[0]).toMatchObject({ kind: "code", code: "the real line" });
  });

  it("loads the labs folder after the lessons, each a lab numbered on its own", () => {
    const dir = folder({ "01-first.md": lesson("first") });
    mkdirSync(join(dir, "labs"));
    writeFileSync(join(dir, "labs", "02-broken.md"), lesson("broken").replace("goal: G", "goal: G\nkind: lab"));
    expect(loadLessons(dir, dir).map((l) => [l.kind, l.order, l.id])).toEqual([["lesson", 1, "first"], ["lab", 2, "broken"]]);
  });

  it("refuses a file in the labs folder that does not say it is a lab", () => {
    const dir = folder({});
    mkdirSync(join(dir, "labs"));
    writeFileSync(join(dir, "labs", "02-plain.md"), lesson("plain"));
    expect(() => loadLessons(dir, dir)).toThrow(/labs\/02-plain\.md:1: front matter: a file in this folder is a lab: write "kind: lab"/);
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
