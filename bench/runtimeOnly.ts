// `npx tsx bench/runtimeOnly.ts [coldStarts] [warmInvokes]`: only the deployed-function figures of
// the benchmark (issue #18): cold start per language, warm invocation through the Lambda Runtime
// API against the same handler in process. Printed as JSON with the goals.
import { benchRuntime } from "./scenarios/runtime.js";

const coldStarts = Number(process.argv[2] ?? 10);
const warmInvokes = Number(process.argv[3] ?? 300);
const result = await benchRuntime((line) => console.log(line), coldStarts, warmInvokes);
console.log(JSON.stringify(result, null, 2));
console.log(
  `goals: Node.js cold start ${result.node_cold_start_ms} ms (≤ 150; a bare node start here now: ${result.node_process_start_ms} ms), ` +
    `Python cold start ${result.python_cold_start_ms ?? "n/a"} ms (≤ 300; a bare python3 start: ${result.python_process_start_ms ?? "n/a"} ms); warm invoke overhead ${result.node_warm_overhead_ms} ms`,
);
