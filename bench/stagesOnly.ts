// `npx tsx bench/stagesOnly.ts [tasks] [cpuProfileDir]`: where an idle task's end-to-end time goes. Posts tasks one
// after another to a fresh built playground and prints, per stage between two of its events
// (event `at` timestamps, ms), the median and p90 over the tasks, then the CPU each process spent
// per task (Linux: /proc). `LESSON_FUNCTION=in-process` in the environment measures the function in
// the playground's process. Run `npm run build` first.
import { io } from "socket.io-client";
import type { FlowEvent } from "../common/events.js";
import { cpuSince } from "./procCpu.js";
import { startPlaygroundProcess } from "./server.js";
import { percentile } from "./stats.js";

const tasks = Number(process.argv[2] ?? 200);
const profileDir = process.argv[3];
const server = await startPlaygroundProcess({}, profileDir ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {});
const socket = io(server.url, { transports: ["websocket"], forceNew: true, reconnection: false });
const byTask = new Map<number, Map<string, number>>();
const messageTask = new Map<string, number>();
const invocationTask = new Map<string, number>();
const done = new Map<number, () => void>();
const mark = (taskId: number | undefined, stage: string, at: number) => {
  if (taskId === undefined) return;
  const stages = byTask.get(taskId) ?? new Map<string, number>();
  if (!stages.has(stage)) stages.set(stage, at);
  byTask.set(taskId, stages);
};
socket.on("events", (events: FlowEvent[]) => {
  const now = Date.now();
  for (const e of events) {
    const any = e as FlowEvent & { taskId?: number; messageId?: string; messageIds?: string[]; invocationId?: string; task?: { status: string } };
    if (e.type === "message.sent" && any.taskId !== undefined && any.messageId) messageTask.set(any.messageId, any.taskId);
    const taskId = any.taskId ?? (any.messageId ? messageTask.get(any.messageId) : undefined) ?? (any.messageIds?.[0] ? messageTask.get(any.messageIds[0]) : undefined) ?? (any.invocationId ? invocationTask.get(any.invocationId) : undefined);
    if (any.invocationId && taskId !== undefined) invocationTask.set(any.invocationId, taskId);
    const stage = e.type === "task.updated" ? `task.${any.task?.status}` : e.type;
    mark(taskId, stage, e.at);
    if (stage === "task.completed" && taskId !== undefined) {
      mark(taskId, "client", now);
      done.get(taskId)?.();
    }
  }
});
await new Promise((resolve) => socket.once("snapshot", resolve));
const posted: number[] = [];
let spentSince: ReturnType<typeof cpuSince> | undefined;
let clientSince = process.cpuUsage();
for (let i = 0; i < tasks + 20; i++) {
  if (i === 20) {
    spentSince = cpuSince(server.child.pid ?? 0);
    clientSince = process.cpuUsage();
  }
  const t0 = Date.now();
  const res = await fetch(`${server.url}/tasks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: `stage ${i}` }) });
  const { id } = (await res.json()) as { id: number };
  await new Promise<void>((resolve) => (byTask.get(id)?.has("client") ? resolve() : done.set(id, resolve)));
  if (i >= 20) {
    mark(id, "post", t0);
    posted.push(id);
  }
}
const spent = spentSince?.();
const client = process.cpuUsage(clientSince);
await new Promise((r) => setTimeout(r, 200));
socket.disconnect();
await server.stop();
const order = ["post", "task.created", "message.sent", "message.received", "lambda.invoked", "task.processing", "task.completed", "client", "lambda.completed", "message.deleted"];
for (let i = 1; i < order.length; i++) {
  const from = order[i - 1]!;
  const to = order[i]!;
  const deltas = posted.map((id) => (byTask.get(id)?.get(to) ?? NaN) - (byTask.get(id)?.get(from) ?? NaN)).filter(Number.isFinite);
  console.log(`${from.padEnd(18)} → ${to.padEnd(18)} p50 ${percentile(deltas, 50).toFixed(1).padStart(5)}  p90 ${percentile(deltas, 90).toFixed(1).padStart(5)}  (n ${deltas.length})`);
}
const total = posted.map((id) => byTask.get(id)!.get("client")! - byTask.get(id)!.get("post")!);
console.log(`post → client p50 ${percentile(total, 50)} p90 ${percentile(total, 90)}`);
const perTask = (seconds: number) => ((seconds * 1000) / tasks).toFixed(2);
if (spent) {
  console.log(`CPU per task (ms, user + system): playground ${perTask(spent.own.user)} + ${perTask(spent.own.system)}, execution environments ${perTask(spent.children.user)} + ${perTask(spent.children.system)}, this client ${perTask(client.user / 1e6)} + ${perTask(client.system / 1e6)}`);
}
