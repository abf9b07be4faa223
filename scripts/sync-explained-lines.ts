// Re-points QUEUE_FLOW_EXPLAINED.md's "file line N" references to where each quoted block now
// starts. It never rewrites the quoted code: if that changed, test/unit/explainedExcerpts fails
// until a person updates the explanation. Run: npx tsx scripts/sync-explained-lines.ts
import { readFileSync, writeFileSync } from "node:fs";

const DOC = "QUEUE_FLOW_EXPLAINED.md";
const pattern = /\[`([^`]+)` line (\d+)\]\(([^)#]+)#L(\d+)\):\n\n```(\w*)\n([\s\S]*?)```/g;
let moved = 0;
const text = readFileSync(DOC, "utf8").replace(pattern, (whole, file: string, _line, _link, _anchor, lang: string, code: string) => {
  const quoted = code.replace(/\n$/, "").split("\n");
  const source = readFileSync(file, "utf8").split("\n");
  const start = source.findIndex((_, i) => quoted.every((q, j) => source[i + j] === q));
  if (start < 0) {
    console.error(`${file}: quoted block no longer found — update the explanation by hand`);
    return whole;
  }
  if (start + 1 !== Number(_line)) moved += 1;
  return `[\`${file}\` line ${start + 1}](${file}#L${start + 1}):\n\n\`\`\`${lang}\n${code}\`\`\``;
});
writeFileSync(DOC, text);
console.log(`${moved} reference(s) moved`);
