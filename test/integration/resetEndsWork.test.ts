// "Reset the world" ends the old world's work before it says `world.reset`: a step that step mode
// holds is abandoned (not released), a slow invocation is stopped with its environment, and
// nothing of either comes after the reset (a released step once completed its task after the
// purge, and the narration spoke of a task the new world did not have); its purge is told by
// `world.reset` alone. Real playground, real SQS, real HTTP; the functions out of process (the
// default) where an environment must be stopped.
import { describe, expect, it } from "vitest";
import type { FlowEvent, Task } from "../../common/events.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const body = async <T>(response: Response) => (await response.json()) as T;
/** Time for anything the old world still had under way to show itself (an absence is being checked). */
const GRACE_MS = 1_000;

/** Whether `event` concerns the task, its message or its invocation. */
function concerns(event: FlowEvent, ids: { taskId: number; messageId: string; invocationId: string | null }): boolean {
  const e = event as FlowEvent & { taskId?: number | null; task?: Task; messageId?: string; messageIds?: string[]; invocationId?: string };
  return (
    e.taskId === ids.taskId ||
    e.task?.id === ids.taskId ||
    e.messageId === ids.messageId ||
    (e.messageIds ?? []).includes(ids.messageId) ||
    (ids.invocationId !== null && e.invocationId === ids.invocationId)
  );
}

/** Resets the world, waits GRACE_MS, and returns the events published after `world.reset`. */
async function resetAndWatch(playground: TestPlayground): Promise<FlowEvent[]> {
  const seen: FlowEvent[] = [];
  const unsubscribe = playground.events.subscribe((event) => seen.push(event));
  expect((await playground.send("POST", "/api/reset")).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
  unsubscribe();
  const reset = seen.findIndex(isType("world.reset"));
  expect(reset).toBeGreaterThanOrEqual(0);
  return seen.slice(reset + 1);
}

/** Presses Next until step `step` is the one held (one task goes through at a time). */
async function stepTo(playground: TestPlayground, step: string): Promise<void> {
  const released = new Set<number>();
  for (;;) {
    const paused = await playground.waitForEvent((e) => e.type === "step.paused" && !released.has(e.pauseId));
    if (paused.type !== "step.paused") throw new Error("not a pause");
    released.add(paused.pauseId);
    if (paused.step === step) return;
    expect((await playground.send("POST", "/api/step-mode/next", {})).status).toBe(200);
  }
}

describe("Reset the world ends the old world's work first", () => {
  it("abandons a handler that step mode holds before its update: nothing of it comes after the reset, and the next task completes", async () => {
    const playground = await playgrounds.start();
    expect((await playground.send("PUT", "/api/step-mode", { enabled: true })).status).toBe(200);
    const posting = playground.post("/tasks", { title: "held at step 5" });
    await stepTo(playground, "update");
    const task = await body<Task>(await posting);
    const invoked = playground.events.recent().findLast(isType("lambda.invoked"));

    const after = await resetAndWatch(playground);

    expect(after.filter((e) => concerns(e, { taskId: task.id, messageId: task.messageId ?? "", invocationId: invoked?.invocationId ?? null }))).toEqual([]);
    expect(playground.events.recent().some((e) => e.type === "task.updated" && e.task.id === task.id && e.task.status === "completed")).toBe(false);
    expect(await body<Task[]>(await playground.get("/tasks"))).toEqual([]);
    expect(await body<{ enabled: boolean; paused: unknown[] }>(await playground.get("/api/step-mode"))).toMatchObject({ enabled: false, paused: [] });
    const next = await body<Task>(await playground.post("/tasks", { title: "after the reset" }));
    await playground.waitForEvent((e) => e.type === "task.updated" && e.task.id === next.id && e.task.status === "completed", 30_000);
  });

  it("answers a task request that step mode held before its insert with 409 WorldReset, and inserts nothing", async () => {
    const playground = await playgrounds.start();
    expect((await playground.send("PUT", "/api/step-mode", { enabled: true })).status).toBe(200);
    const posting = playground.post("/tasks", { title: "held at step 1" });
    await stepTo(playground, "insert");

    await resetAndWatch(playground);

    const answer = await posting;
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ error: { code: "WorldReset" } });
    expect(await body<Task[]>(await playground.get("/tasks"))).toEqual([]);
    expect(playground.events.recent().some(isType("task.created"))).toBe(false);
  });

  it("stops an invocation still working (out of process) with its environment: it fails before the reset and nothing of it comes after", async () => {
    const playground = await playgrounds.start({ LESSON_FUNCTION: "runtime" });
    expect((await playground.send("PUT", "/api/faults", { delayMs: 20_000 })).status).toBe(200);
    const task = await body<Task>(await playground.post("/tasks", { title: "slow" }));
    await playground.waitForEvent((e) => e.type === "task.updated" && e.task.id === task.id && e.task.status === "processing", 30_000);
    const invoked = playground.events.recent().findLast(isType("lambda.invoked"));

    const after = await resetAndWatch(playground);

    const before = playground.events.recent().slice(0, playground.events.recent().findLastIndex(isType("world.reset")));
    expect(before.some((e) => e.type === "lambda.environment-ended" && e.detail.includes("the world was reset"))).toBe(true);
    expect(before.some((e) => e.type === "lambda.failed" && e.invocationId === invoked?.invocationId)).toBe(true);
    expect(after.filter((e) => concerns(e, { taskId: task.id, messageId: task.messageId ?? "", invocationId: invoked?.invocationId ?? null }))).toEqual([]);
    expect(await body<Task[]>(await playground.get("/tasks"))).toEqual([]);
  });

  it("tells nothing of its own purge: no message is said deleted, the reset says it", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const task = await body<Task>(await playground.post("/tasks", { title: "still queued at the reset", queue: "fifo", messageGroupId: "g" }));
    const seen: FlowEvent[] = [];
    const unsubscribe = playground.events.subscribe((event) => seen.push(event));
    expect((await playground.send("POST", "/api/reset")).status).toBe(200);
    unsubscribe();
    expect(seen.some(isType("world.reset"))).toBe(true);
    expect(seen.filter((e) => e.type === "message.deleted" || ("messageId" in e && e.messageId === task.messageId))).toEqual([]);
  });
});
