// `npx tsx bench/flowOnly.ts [e2eTasks] [burstTasks] [runs] [--cpu-prof DIR]`: only the flow's
// figures of the benchmark (e2e latency, burst throughput and its ratio to raw sends), printed as
// JSON with their budgets. Defaults: 1,000 sequential tasks, a 2,000-task burst by 16 clients, 3
// runs. `--cpu-prof DIR` writes a V8 CPU profile of each playground process into DIR;
// `--in-process` runs the burst with LESSON_FUNCTION=in-process (the e2e figures give both). Run
// `npm run build` first: the server measured is the built one.
import { parseArgs } from "node:util";
import { benchBurst } from "./scenarios/burst.js";
import { benchLatency } from "./scenarios/latency.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { values, positionals } = parseArgs({ allowPositionals: true, options: { "cpu-prof": { type: "string" }, "in-process": { type: "boolean" } } });
const [e2eTasks = "1000", burstTasks = "2000", runs = "3"] = positionals;
const nodeArgs = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
const log = (line: string) => console.log(line);
const latency = await benchLatency(Number(e2eTasks), Number(runs), log, nodeArgs);
// A burst of 0 tasks: the latency figures only.
const burst = Number(burstTasks) > 0 ? (await benchBurst({ tasks: Number(burstTasks), concurrency: 16, runs: Number(runs), browser: false, nodeArgs, ...(values["in-process"] ? { env: { LESSON_FUNCTION: "in-process" } } : {}) }, log)).burst : null;
console.log(JSON.stringify({ e2e: latency.e2e, burst }, null, 2));
console.log(`budgets: e2e p50 ${latency.e2e.p50_ms} ms (≤ 15), p99 ${latency.e2e.p99_ms} ms (≤ 50); in process ${latency.e2e.in_process_p50_ms} / ${latency.e2e.in_process_p99_ms} ms` + (burst ? `; burst ${burst.tasks_per_s} tasks/s, ratio ${burst.ratio} (≥ 0.5)` : ""));
