// Event filtering on the running trigger (PATCH /api/trigger FilterCriteria), real engine and real
// HTTP: a message that matches no pattern is deleted without an invocation, as Lambda does.
import { afterEach, describe, expect, it } from "vitest";
import type { Task, TriggerView } from "../../common/events.js";
import { isType, removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

let playground: TestPlayground | undefined;
afterEach(async () => {
  await playground?.stop();
  if (playground) await removeDataDir(playground.dataDir);
  playground = undefined;
});

const urgentOnly = { Filters: [{ Pattern: JSON.stringify({ body: { title: [{ prefix: "urgent" }] } }) }] };

describe("the trigger's FilterCriteria", () => {
  it("invokes the handler only for matching messages and deletes the others without invoking it", { timeout: 30_000 }, async () => {
    const p = (playground = await startTestPlayground());
    const set = await p.send("PATCH", "/api/trigger", { FilterCriteria: urgentOnly });
    expect(set.status).toBe(200);
    expect(((await set.json()) as TriggerView).FilterCriteria).toEqual(urgentOnly);
    const skipped = (await (await p.post("/tasks", { title: "later, maybe" })).json()) as Task;
    const urgent = (await (await p.post("/tasks", { title: "urgent: pay the bill" })).json()) as Task;

    const filtered = await p.waitForEvent(isType("trigger.filtered", (e) => e.taskIds.includes(skipped.id)));
    await p.waitForEvent(isType("message.deleted", (e) => e.messageId === filtered.messageIds[0]));
    await expect.poll(async () => ((await (await p.get(`/tasks/${urgent.id}`)).json()) as Task).status, { timeout: 10_000 }).toBe("completed");
    const invokedTasks = p.events.recent().flatMap((e) => (e.type === "lambda.invoked" ? e.taskIds : []));
    expect(invokedTasks).toContain(urgent.id);
    expect(invokedTasks).not.toContain(skipped.id);
    // The filtered task's message is gone: the task waits for ever, which is what the lesson shows.
    expect(((await (await p.get(`/tasks/${skipped.id}`)).json()) as Task).status).toBe("pending");
  });

  it("refuses a bad pattern with AWS's error and keeps the filters it had", async () => {
    const p = (playground = await startTestPlayground());
    await p.send("PATCH", "/api/trigger", { FilterCriteria: urgentOnly });
    const refused = await p.send("PATCH", "/api/trigger", { FilterCriteria: { Filters: [{ Pattern: '{"body": {"title": "urgent"}}' }] } });
    expect(refused.status).toBe(400);
    // AWS's message exactly; the playground's reason beside it, where the page and curl show it too.
    expect(await refused.json()).toEqual({ error: { code: "InvalidParameterValueException", message: "Invalid filter pattern definition.", detail: expect.stringContaining("body.title") } });
    expect(((await (await p.get("/api/trigger")).json()) as TriggerView).FilterCriteria).toEqual(urgentOnly);
    const cleared = (await (await p.send("PATCH", "/api/trigger", { FilterCriteria: {} })).json()) as TriggerView;
    expect(cleared.FilterCriteria).toBeUndefined();
  });
});
