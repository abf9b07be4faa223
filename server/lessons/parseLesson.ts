import { z } from "zod";
import { FLOW_STEPS, type FlowStep } from "../../common/events.js";
import type { CheckBlock, CodeBlock, Comparison, FunctionLanguage, HandlerBlock, HttpBlock, HttpMethod, Lesson, LessonBlock, LessonStep, SettingBlock, StepPart } from "../../common/lessons.js";
import { ControlError } from "../control/errors.js";
import { parseFaults } from "../control/faults.js";
import { parseStepModeSettings } from "../control/stepGate.js";
import { DEFAULT_TRIGGER_SETTINGS, updateTriggerSettings } from "../trigger/mappingSettings.js";
import { MOMENTS, placeholdersOf, STATE_NAMES, segmentsWhole, selectorFor } from "./checks.js";

/** A lesson file that cannot be used, with the file and line to fix. */
export class LessonError extends Error {
  override readonly name = "LessonError";
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/** Plain code in prose; any other fence language is taken for a misspelt block and refused. */
export const PROSE_LANGUAGES = new Set(["", "json", "ts", "typescript", "js", "javascript", "bash", "sh", "shell", "console", "text", "yaml", "xml", "diff"]);
const METHODS = new Set<HttpMethod>(["GET", "POST", "PUT", "PATCH", "DELETE"]);

const frontMatterSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id must be lower-case letters, digits and dashes"),
  title: z.string().min(1, "title is required"),
  goal: z.string().min(1, "goal is required"),
  kind: z.enum(["lesson", "lab"], { message: 'kind is "lesson" (the default) or "lab"' }).optional(),
});

const predictSchema = z.strictObject({
  question: z.string().min(1),
  expect: z.string(),
  when: z.enum(["checked", "changes"]).optional(),
  choices: z.array(z.strictObject({ label: z.string().min(1), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) })).min(2),
});

const comparisonFields = {
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
};
const conditionSchema = z.strictObject({ expect: z.string(), ...comparisonFields });
const checkSchema = z.strictObject({
  expect: z.string(),
  ...comparisonFields,
  and: z.array(conditionSchema).min(1).optional(),
  label: z.string().optional(),
  waiting: z.string().min(1).optional(),
  passed: z.string().min(1).optional(),
  failsWhen: z.strictObject({ expect: z.string(), ...comparisonFields, and: z.array(conditionSchema).min(1).optional(), because: z.string().min(1) }).optional(),
  deadline: z.strictObject({ seconds: z.number().positive(), after: z.string() }).optional(),
});
const CHECK_USAGE =
  'check block: expected {"expect": "<state>", "equals"|"atLeast"|"atMost": <value>, "and"?: [{"expect": "<state>", "equals"|"atLeast"|"atMost": <value>}, …], "label"?: "…", "waiting"?: "…", "passed"?: "…", "failsWhen"?: {"expect": "<state>", "equals"|"atLeast"|"atMost": <value>, "and"?: […], "because": "…"}, "deadline"?: {"seconds": <n>, "after": "<moment>"}}';

/** Exactly one of equals, atLeast, atMost; undefined when there are none or several. */
function comparisonOf(fields: { equals?: unknown; atLeast?: number | undefined; atMost?: number | undefined }): Comparison | undefined {
  const given = (["equals", "atLeast", "atMost"] as const).filter((key) => key in fields && (key === "equals" || fields[key] !== undefined));
  if (given.length !== 1) return undefined;
  return { [given[0] as string]: fields[given[0] as keyof typeof fields] } as Comparison;
}

export interface ParseOptions {
  file: string;
  order: number;
  /** The kind its folder requires (lessons/labs/ holds labs only); any kind when not given. */
  kind?: "lesson" | "lab";
  /** The lines of a project file, for code blocks; undefined when there is no such file. */
  readSource: (file: string) => string[] | undefined;
}

interface Fence {
  info: string;
  line: number;
  content: string[];
}

/** Parse one lesson: front matter, an intro, then `## ` parts of prose and fenced blocks (`steps` in the type: the lesson's parts). */
export function parseLesson(text: string, options: ParseOptions): Lesson {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, detail: string): never => {
    throw new LessonError(options.file, line, detail);
  };
  if (lines[0] !== "---") fail(1, 'a lesson starts with front matter: a line "---", then id, title and goal, then "---"');
  const end = lines.indexOf("---", 1);
  if (end < 0) fail(1, 'front matter is not closed by a line "---"');
  const front: Record<string, string> = {};
  for (let i = 1; i < end; i++) {
    const match = /^([A-Za-z]+):\s*(.*)$/.exec(lines[i] ?? "");
    if (!match) fail(i + 1, `front matter lines are "key: value", got "${lines[i]}"`);
    else front[match[1] ?? ""] = match[2] ?? "";
  }
  const meta = frontMatterSchema.safeParse(front);
  if (!meta.success) {
    const issue = meta.error.issues[0];
    const key = String(issue?.path[0] ?? (issue?.code === "unrecognized_keys" ? issue.keys[0] : ""));
    const at = lines.findIndex((l, i) => i < end && l.startsWith(`${key}:`));
    const problem = issue?.code === "unrecognized_keys" ? `unknown key "${key}"` : front[key] === undefined ? `"${key}" is missing` : `${key}: ${issue?.message}`;
    fail(at > 0 ? at + 1 : 1, `front matter: ${problem} (a lesson needs id, title and goal; kind is optional)`);
  }

  let intro: string[] = [];
  const steps: LessonStep[] = [];
  let prose: string[] = intro;
  let parts: StepPart[] | undefined;
  const flushProse = () => {
    const markdown = prose.join("\n").trim();
    if (parts && markdown) parts.push({ kind: "prose", markdown });
    if (parts) prose = [];
  };
  for (let i = end + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heading = /^## (.+)$/.exec(line);
    if (heading) {
      flushProse();
      parts = [];
      prose = [];
      steps.push({ title: (heading[1] ?? "").trim(), parts });
      continue;
    }
    const open = /^```(.*)$/.exec(line);
    if (!open) {
      prose.push(line);
      continue;
    }
    const fence: Fence = { info: (open[1] ?? "").trim(), line: i + 1, content: [] };
    for (i += 1; i < lines.length && lines[i] !== "```"; i++) fence.content.push(lines[i] ?? "");
    if (i >= lines.length) fail(fence.line, "this fenced block is never closed (a line ``` is missing)");
    const language = fence.info.split(/\s+/)[0] ?? "";
    if (PROSE_LANGUAGES.has(language)) {
      prose.push("```" + fence.info, ...fence.content, "```");
      continue;
    }
    if (!parts) fail(fence.line, `a ${language} block must be inside a part (after a "## " heading)`);
    flushProse();
    parts?.push(parseBlock(fence, language, options, fail));
  }
  flushProse();
  if (steps.length === 0) fail(end + 2, 'a lesson needs at least one part: a "## " heading');
  for (const [n, step] of steps.entries()) {
    const at = lines.indexOf(`## ${step.title}`) + 1;
    if (step.parts.length === 0) fail(at, `part ${n + 1} ("${step.title}") is empty`);
    const lastCheck = step.parts.map((p) => p.kind).lastIndexOf("check");
    const unanswered = step.parts.findIndex((p, i) => p.kind === "predict" && p.when === "checked" && i > lastCheck);
    if (unanswered >= 0) fail(at, `part ${n + 1} ("${step.title}"): a prediction answered "checked" needs a check after it in its part (or "when": "changes")`);
  }
  const { id, title, goal, kind = "lesson" } = meta.data as z.infer<typeof frontMatterSchema>;
  if (options.kind && kind !== options.kind) fail(1, `front matter: a file in this folder is a ${options.kind}: write "kind: ${options.kind}"`);
  return { id, kind, title, goal, order: options.order, file: options.file, intro: intro.join("\n").trim(), steps };
}

function parseBlock(fence: Fence, language: string, options: ParseOptions, fail: (line: number, detail: string) => never): LessonBlock {
  const body = fence.content.join("\n").trim();
  const json = (): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      fail(fence.line, `${language} block: not valid JSON (${(error as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) fail(fence.line, `${language} block: must be a JSON object`);
    return value as Record<string, unknown>;
  };
  switch (language) {
    case "http":
      return parseHttp(fence, fail);
    case "terminal":
      if (!body) fail(fence.line, "terminal block: no command");
      return { kind: "terminal", command: body };
    case "check":
      return parseCheck(json(), fence, fail);
    case "faults":
    case "trigger":
    case "step-mode": {
      const setting = json();
      try {
        if (language === "faults") parseFaults(setting);
        else if (language === "trigger") updateTriggerSettings(DEFAULT_TRIGGER_SETTINGS, setting);
        else parseStepModeSettings(setting);
      } catch (error) {
        if (error instanceof ControlError) fail(fence.line, `${language} block: ${error.code}: ${error.message}${error.detail ? ` (${error.detail})` : ""}`);
        throw error;
      }
      return { kind: language, body: setting } as SettingBlock;
    }
    case "code":
      return parseCode(fence, options, fail);
    case "handler":
      return parseHandler(fence, options, fail);
    case "predict": {
      const parsed = predictSchema.safeParse(json());
      if (!parsed.success) fail(fence.line, 'predict block: expected {"question": "…", "expect": "<state>", "when"?: "checked"|"changes", "choices": [{"label": "…", "value": …}, …]} with at least two choices');
      const predict = parsed.data as z.infer<typeof predictSchema>;
      if (!selectorFor(predict.expect)) fail(fence.line, `predict block: unknown state "${predict.expect}"; known: ${STATE_NAMES.join(", ")}`);
      return { kind: "predict", ...predict, when: predict.when ?? "checked" };
    }
    case "next": {
      const step = body ? json().step : null;
      if (step !== null && !FLOW_STEPS.includes(step as FlowStep)) fail(fence.line, `next block: "step" must be one of ${FLOW_STEPS.join(", ")}`);
      return { kind: "next", step: (step ?? null) as FlowStep | null };
    }
    case "redrive":
    case "reset":
    case "trial":
    case "function-log":
      if (body) fail(fence.line, `${language} block: takes no content`);
      return { kind: language };
    case "hint":
      if (!body) fail(fence.line, "hint block: write the hint (markdown) inside it");
      return { kind: "hint", markdown: body };
    default:
      return fail(fence.line, `unknown block type "${language}"; blocks are http, terminal, check, predict, faults, trigger, step-mode, next, redrive, reset, trial, hint, code, handler, function-log (or plain code: ${[...PROSE_LANGUAGES].filter(Boolean).join(", ")})`);
  }
}

function parseCheck(body: Record<string, unknown>, fence: Fence, fail: (line: number, detail: string) => never): CheckBlock {
  const parsed = checkSchema.safeParse(body);
  if (!parsed.success) return fail(fence.line, CHECK_USAGE);
  const { expect, label, waiting, passed, failsWhen, deadline, and = [], ...fields } = parsed.data;
  const known = (name: string, what: string) => {
    if (!selectorFor(name)) fail(fence.line, `check block: unknown state "${name}" in ${what}; known: ${STATE_NAMES.join(", ")}`);
  };
  known(expect, '"expect"');
  const comparison = comparisonOf(fields) ?? fail(fence.line, `${CHECK_USAGE} (exactly one of equals, atLeast, atMost)`);
  const conditionsOf = (list: z.infer<typeof conditionSchema>[], where: string) =>
    list.map(({ expect: name, ...more }, n) => {
      known(name, `${where} ${n + 1}`);
      return { expect: name, comparison: comparisonOf(more) ?? fail(fence.line, `check block: ${where} ${n + 1} needs exactly one of equals, atLeast, atMost`) };
    });
  const also = conditionsOf(and, '"and"');
  let fails: CheckBlock["failsWhen"] = null;
  if (failsWhen) {
    const { expect: failExpect, because, and: failAnd = [], ...failFields } = failsWhen;
    known(failExpect, '"failsWhen"');
    const failAlso = conditionsOf(failAnd, '"failsWhen" "and"');
    fails = { expect: failExpect, because, comparison: comparisonOf(failFields) ?? fail(fence.line, 'check block: "failsWhen" needs exactly one of equals, atLeast, atMost'), ...(failAlso.length ? { and: failAlso } : {}) };
  }
  if (deadline && !Object.hasOwn(MOMENTS, deadline.after)) fail(fence.line, `check block: unknown moment "${deadline.after}" in "deadline"; known: ${Object.keys(MOMENTS).join(", ")}`);
  for (const name of placeholdersOf(`${waiting ?? ""} ${passed ?? ""} ${failsWhen?.because ?? ""}`)) known(name, "a {placeholder}");
  if (!segmentsWhole(`${waiting ?? ""} ${passed ?? ""} ${failsWhen?.because ?? ""}`)) fail(fence.line, 'check block: a "[[" in "waiting" or "because" must open "[[words with {state}|words while it has no value yet]]"');
  const shown = Object.entries(comparison).map(([k, v]) => `${k} ${JSON.stringify(v)}`)[0] ?? "";
  return { kind: "check", expect, comparison, ...(also.length ? { and: also } : {}), label: label ?? `${expect} ${shown}`, waiting: waiting ?? null, ...(passed ? { passed } : {}), failsWhen: fails, deadline: deadline ?? null };
}

function parseHttp(fence: Fence, fail: (line: number, detail: string) => never): HttpBlock {
  const [requestLine = "", ...rest] = fence.content;
  const match = /^([A-Z]+) (\/\S*)$/.exec(requestLine.trim());
  if (!match || !METHODS.has(match[1] as HttpMethod)) fail(fence.line + 1, `http block: the first line is "METHOD /path", got "${requestLine}"`);
  const headers: Record<string, string> = {};
  let i = 0;
  for (; i < rest.length && rest[i]?.trim(); i++) {
    const header = /^([A-Za-z-]+):\s*(.+)$/.exec(rest[i] ?? "");
    if (!header) fail(fence.line + 2 + i, `http block: header lines are "Name: value", got "${rest[i]}"`);
    else headers[header[1] ?? ""] = header[2] ?? "";
  }
  const body = rest.slice(i).join("\n").trim() || null;
  if (body !== null && /json/i.test(Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "")) {
    try {
      JSON.parse(body);
    } catch {
      fail(fence.line, "http block: the body is declared JSON but does not parse");
    }
  }
  return { kind: "http", method: (match?.[1] ?? "GET") as HttpMethod, path: match?.[2] ?? "/", headers, body };
}

const FUNCTION_LANGUAGES: readonly FunctionLanguage[] = ["nodejs", "python"];
/**
 * A fence's `key=value` attributes. A value runs to the next ` key=` (or the end), so it may hold
 * spaces: `anchor=async redrive( lines=14` anchors on "async redrive(". Cut at the first space, that
 * anchor was "async", and lessons quoted the first async method of the file instead.
 */
const fenceAttributes = (fence: Pick<Fence, "info">) =>
  Object.fromEntries(
    fence.info
      .split(/\s+(?=\w+=)/)
      .map((token) => /^(\w+)=(.*)$/s.exec(token))
      .flatMap((m) => (m ? [[m[1], (m[2] ?? "").trim()]] : [])),
  ) as Record<string, string | undefined>;

/** A project file a block names: inside the project, and there. */
function projectFile(file: string, fence: Fence, options: ParseOptions, fail: (line: number, detail: string) => never, what: string): string[] {
  if (file.startsWith("/") || file.split("/").includes("..")) fail(fence.line, `${what}: "${file}" must be a path inside the project`);
  return options.readSource(file) ?? fail(fence.line, `${what}: no file "${file}" in the project`);
}

/** ```handler nodejs=<path> python=<path>: the starting code per language, each a whole project file. */
function parseHandler(fence: Fence, options: ParseOptions, fail: (line: number, detail: string) => never): HandlerBlock {
  const attrs = fenceAttributes(fence);
  const usage = "handler block: write it as ```handler nodejs=<path> python=<path> (one or both), with no content";
  const unknown = Object.keys(attrs).find((key) => !FUNCTION_LANGUAGES.includes(key as FunctionLanguage));
  if (unknown) fail(fence.line, `${usage}; "${unknown}" is not a language`);
  if (fence.content.join("").trim()) fail(fence.line, usage);
  const sources = FUNCTION_LANGUAGES.flatMap((language) => {
    const file = attrs[language];
    return file ? [{ language, file, code: projectFile(file, fence, options, fail, "handler block").join("\n") }] : [];
  });
  if (sources.length === 0) fail(fence.line, usage);
  return { kind: "handler", sources };
}

function parseCode(fence: Fence, options: ParseOptions, fail: (line: number, detail: string) => never): CodeBlock {
  const attrs = fenceAttributes(fence);
  const file = attrs.file ?? "";
  const usage = "code block: write it as ```code file=<path> lines=<from>-<to>, or ```code file=<path> anchor=<text> lines=<count>";
  if (!file) fail(fence.line, usage);
  const source = projectFile(file, fence, options, fail, "code block");
  let from: number;
  let to: number;
  const range = /^(\d+)-(\d+)$/.exec(attrs.lines ?? "");
  if (attrs.anchor !== undefined) {
    // An anchor survives edits above it; a line range does not.
    const count = Number(attrs.lines);
    const at = source.findIndex((line) => line.includes(attrs.anchor ?? ""));
    if (at < 0) fail(fence.line, `code block: no line of ${file} contains "${attrs.anchor}"`);
    if (!Number.isInteger(count) || count < 1) fail(fence.line, usage);
    from = at + 1;
    to = at + count;
  } else if (range) {
    from = Number(range[1]);
    to = Number(range[2]);
  } else return fail(fence.line, usage);
  if (from < 1 || to < from || to > source.length) fail(fence.line, `code block: lines ${from}-${to} are outside ${file} (${source.length} lines)`);
  return { kind: "code", file, line: from, code: source.slice(from - 1, to).join("\n") };
}
