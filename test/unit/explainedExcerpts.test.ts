import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/process.js";

// QUEUE_FLOW_EXPLAINED.md quotes this project's code with file and line; keep the quotes true.
const doc = readFileSync(join(ROOT, "QUEUE_FLOW_EXPLAINED.md"), "utf8");
const excerpts = [...doc.matchAll(/\[`([^`]+)` line (\d+)\]\(([^)#]+)#L(\d+)\):\n\n```\w*\n([\s\S]*?)```/g)].map((m) => ({
  file: m[1] ?? "",
  line: Number(m[2]),
  link: m[3] ?? "",
  anchor: Number(m[4]),
  code: (m[5] ?? "").replace(/\n$/, "").split("\n"),
}));

describe("QUEUE_FLOW_EXPLAINED.md", () => {
  it("quotes code from at least one file per step", () => {
    expect(excerpts.length).toBeGreaterThanOrEqual(10);
  });

  it.each(excerpts.map((e) => [`${e.file}:${e.line}`, e] as const))("quotes %s exactly", (_name, excerpt) => {
    expect(excerpt.link).toBe(excerpt.file);
    expect(excerpt.anchor).toBe(excerpt.line);
    const source = readFileSync(join(ROOT, excerpt.file), "utf8").split("\n");
    const hint = "code moved? run: npx tsx scripts/sync-explained-lines.ts (it fixes line numbers, never the quoted code)";
    expect(source.slice(excerpt.line - 1, excerpt.line - 1 + excerpt.code.length), hint).toEqual(excerpt.code);
  });
});
