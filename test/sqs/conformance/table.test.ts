import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The table in README.md maps every rule of aws-semantics.md §3 to one test; this keeps the two in step.
const here = new URL("./", import.meta.url);
const rows = readFileSync(new URL("README.md", here), "utf8")
  .split("\n")
  .filter((line) => /^\| \d+ \|/.test(line))
  .map((line) => line.split(" | ").map((cell) => cell.trim()))
  .map(([, , name, file]) => ({ name: name!, file: file! }));
const tests = readdirSync(here)
  .filter((file) => file.endsWith(".test.ts") && file !== "table.test.ts")
  .flatMap((file) => [...readFileSync(new URL(file, here), "utf8").matchAll(/^ {2}rule\("((?:[^"\\]|\\.)*)",/gm)].map((m) => ({ name: m[1]!, file })));

describe("the §3 rules table (test/sqs/conformance/README.md)", () => {
  it("names every rule test once, in the file that holds it, and nothing else", () => {
    const key = ({ name, file }: { name: string; file: string }) => `${file}: ${name}`;
    expect(rows.map(key).sort()).toEqual(tests.map(key).sort());
    expect(new Set(rows.map(key)).size).toBe(rows.length);
  });
});
