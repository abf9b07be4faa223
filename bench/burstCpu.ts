// `npx tsx bench/burstCpu.ts [in-process|runtime] [tasks] [--warm N]`: one burst (16 clients, as the
// benchmark's) with where its CPU went — the playground process, its execution environments (the
// runtime processes, out of process), and this watcher — split into user and system time, plus
// the invocations' batch sizes and the highest concurrency. `--warm N` bursts N tasks first, so the
// environments are warm. Run `npm run build` first: the server measured is the built one. Linux only
// (/proc).
import { parseArgs } from "node:util";
import { io } from "socket.io-client";
import type { FlowEvent } from "../common/events.js";
import { runClient } from "./clients/runClient.js";
import { cpuSince } from "./procCpu.js";
import { burstTasks } from "./scenarios/burst.js";
import { startPlaygroundProcess } from "./server.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { values, positionals } = parseArgs({ allowPositionals: true, options: { warm: { type: "string" } } });
const [mode = "runtime", count = "2000"] = positionals;

const server = await startPlaygroundProcess({ LESSON_FUNCTION: mode });
const socket = io(server.url, { transports: ["websocket"], forceNew: true });
const batches: number[] = [];
let highestConcurrency = 0;
socket.on("events", (events: FlowEvent[]) => {
  for (const event of events) {
    if (event.type === "lambda.invoked") batches.push(event.messageIds.length);
    if (event.type === "lambda.concurrency") highestConcurrency = Math.max(highestConcurrency, event.running);
  }
});
await runClient({ kind: "burst-raw", endpoint: server.sqsEndpoint, count: 200, concurrency: 16 });
if (values.warm) await burstTasks(server.url, Number(values.warm), 16, 120_000);
const spentSince = cpuSince(server.child.pid ?? 0);
const batchesBefore = batches.length;
const watcherBefore = process.cpuUsage();
const burst = await burstTasks(server.url, Number(count), 16, 120_000);
const { own, children: environments } = spentSince();
const watcher = process.cpuUsage(watcherBefore);
const measured = batches.slice(batchesBefore);
const round = (n: number) => Math.round(n * 100) / 100;
console.log(JSON.stringify({
  mode,
  tasks: burst.posted,
  tasks_per_s: Math.round((burst.posted / burst.elapsedMs) * 1000),
  lost: burst.lost,
  server_cpu_s: { user: round(own.user), system: round(own.system) },
  environments_cpu_s: { user: round(environments.user), system: round(environments.system) },
  watcher_cpu_s: round((watcher.user + watcher.system) / 1e6),
  invocations: measured.length,
  mean_batch: round(measured.reduce((a, b) => a + b, 0) / Math.max(1, measured.length)),
  highest_concurrency: highestConcurrency,
}, null, 2));
socket.close();
await server.stop();
