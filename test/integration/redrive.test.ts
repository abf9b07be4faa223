// The lesson's Redrive button (POST /api/redrive) against the real engine: a message move task, as
// AWS's console starts one, puts the dead-lettered message back as a new message, and its task,
// failed until then, waits again and completes.
import { afterEach, describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

let playground: TestPlayground | undefined;
afterEach(async () => {
  await playground?.stop();
  if (playground) await removeDataDir(playground.dataDir);
  playground = undefined;
});

const taskOf = async (p: TestPlayground, id: number) => (await (await p.get(`/tasks/${id}`)).json()) as Task;

describe("redrive", () => {
  it("moves a dead-lettered message back as a new message with StartMessageMoveTask, and its task completes", { timeout: 30_000 }, async () => {
    playground = await startTestPlayground({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1", MAX_RECEIVE_COUNT: "1" });
    expect((await playground.send("PUT", "/api/faults", { failRate: 1 })).status).toBe(200);
    const created = (await (await playground.post("/tasks", { title: "poison" })).json()) as Task;
    await playground.waitForEvent((e) => e.type === "message.dead-lettered" && e.taskId === created.id);
    await expect.poll(async () => (await taskOf(playground!, created.id)).status, { timeout: 5_000 }).toBe("failed");
    const deadLettered = await taskOf(playground, created.id);

    expect((await playground.send("PUT", "/api/faults", {})).status).toBe(200);
    const answer = await playground.post("/api/redrive", {});
    expect(await answer.json()).toEqual({ moved: 1 });
    await expect.poll(async () => (await taskOf(playground!, created.id)).status, { timeout: 10_000 }).toBe("completed");
    const completed = await taskOf(playground, created.id);
    expect(completed.messageId).not.toBe(deadLettered.messageId);
    const calls = playground.events.recent().flatMap((e) => (e.type === "sqs.call" ? [e.call.operation] : []));
    expect(calls).toContain("StartMessageMoveTask");
  });
});
