// `npm run bench`: the performance benchmark of issue #8. The entry point: it reads the command
// line, runs the harness at full size, and writes bench/results.json, bench/results.md and
// bench/chart.svg (compared with bench/results-before.json when that file exists).
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { renderChart } from "./chart.js";
import { FULL_SIZES, runBench, type BenchResults } from "./harness.js";
import { renderTable } from "./report.js";
import { ROOT } from "./server.js";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: join(ROOT, "bench") },
    runs: { type: "string" },
    "no-browser": { type: "boolean", default: false },
    /** Redraw chart.svg and results.md from the results.json already in --out, without measuring. */
    "redraw-only": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log("npm run bench [-- --out DIR] [--runs N] [--no-browser] [--redraw-only]");
  process.exit(0);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const sizes = { ...FULL_SIZES, ...(values.runs ? { runs: Number(values.runs) } : {}), browser: !values["no-browser"] };
const out = values.out;
const results = values["redraw-only"]
  ? (JSON.parse(await readFile(join(out, "results.json"), "utf8")) as BenchResults)
  : await runBench(sizes, (line) => console.log(line));
if (!values["redraw-only"]) await writeFile(join(out, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
const table = renderTable(results);
await writeFile(join(out, "results.md"), `${table}\n`);
const beforeFile = join(ROOT, "bench", "results-before.json");
const before = existsSync(beforeFile) ? (JSON.parse(await readFile(beforeFile, "utf8")) as BenchResults) : undefined;
await writeFile(join(out, "chart.svg"), `${renderChart(results, before)}\n`);
console.log(`\n${table}\n\nwritten: ${join(out, "results.json")}, results.md, chart.svg`);
