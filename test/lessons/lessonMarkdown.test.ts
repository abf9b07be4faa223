// Every lesson's prose, rendered with the renderer the notebook uses (marked, default options):
// a list must render as the list its author wrote; and no prose hides behind a lab's hint.
import { marked, type Token, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";

const lessons = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);

/** What is wrong with the lists of one markdown text, as sentences (none: it renders as written). */
function listProblems(markdown: string): string[] {
  const problems: string[] = [];
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === "list" && (token as Tokens.List).ordered) {
        const list = token as Tokens.List;
        const start = typeof list.start === "number" ? list.start : 1;
        list.items.forEach((item, n) => {
          const written = Number(/^\s*(\d+)[.)]/.exec(item.raw)?.[1]);
          if (written !== start + n) problems.push(`item "${item.raw.trim().slice(0, 40)}" is written ${written} but renders as ${start + n}`);
        });
      }
      if (token.type === "paragraph" || token.type === "list_item" || token.type === "text") {
        const text = (token as Tokens.Paragraph).text ?? "";
        const inline = /[;:,.]\s+(\d+[.)]) +\S/.exec(text);
        if (inline) problems.push(`"${inline[1]}" inside running text renders as text, not as a list item: "${text.slice(0, 60)}…"`);
      }
      const children = (token as { tokens?: Token[]; items?: Token[] }).tokens ?? (token as { items?: Token[] }).items;
      if (children) visit(children);
    }
  };
  visit(marked.lexer(markdown));
  return problems;
}

describe("the lesson markdown renderer check", () => {
  it("catches a numbered list run together on one line", () => {
    expect(listProblems("1. The API inserts; 2. it sends;\n4. the trigger receives")).not.toEqual([]);
  });

  it("accepts a numbered list written one item a line", () => {
    expect(listProblems("1. The API inserts.\n2. It sends.\n3. SQS holds it.")).toEqual([]);
  });
});

describe.each(lessons.map((lesson) => [lesson.file, lesson] as const))("%s", (_file, lesson) => {
  const texts = [lesson.intro, ...lesson.steps.flatMap((part) => part.parts.flatMap((p) => (p.kind === "prose" ? [p.markdown] : [])))];

  it("renders every list as written", () => {
    expect(texts.flatMap(listProblems)).toEqual([]);
  });
});

/**
 * The prose a hint keeps hidden until it is asked for (client/src/views/hints.ts: everything after
 * an unopened hint up to the next check). Lab 5 said what its proof must show there, so a learner
 * met the verdict without knowing what it wanted.
 */
function proseBehindHints(lesson: (typeof lessons)[number]): string[] {
  return lesson.steps.flatMap((part, i) => {
    let behind = false;
    return part.parts.flatMap((p) => {
      if (p.kind === "check") behind = false;
      if (p.kind === "hint") behind = true;
      return behind && p.kind === "prose" ? [`part ${i + 1}: "${p.markdown.slice(0, 60)}…"`] : [];
    });
  });
}

describe("prose between a hint and the check after it", () => {
  it("is found by the check (a hint, then a paragraph, then a check)", () => {
    const lab = { ...lessons[0]!, steps: [{ title: "t", parts: [{ kind: "hint", markdown: "h" }, { kind: "prose", markdown: "the criteria" }] }] } as unknown as (typeof lessons)[number];
    expect(proseBehindHints(lab)).toEqual(['part 1: "the criteria…"']);
  });

  it.each(lessons.map((lesson) => [lesson.file, lesson] as const))("is none in %s: what a part asks for shows before its hints", (_file, lesson) => {
    expect(proseBehindHints(lesson)).toEqual([]);
  });
});
