// "Reset the world" puts the trigger's and the function's settings back as the playground started:
// a lesson left with the trigger off, a filter on or a small batch made every later lesson wait
// for good (found walking lessons 9 and 14 at a learner's pace). Real playground, real SQS, real HTTP.
import { describe, expect, it } from "vitest";
import type { FunctionSettings, Task, TriggerView } from "../../common/events.js";
import { isType, playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const body = async <T>(response: Response) => (await response.json()) as T;
const settingsOf = ({ BatchSize, MaximumBatchingWindowInSeconds, FunctionResponseTypes, ScalingConfig, Enabled, FilterCriteria }: TriggerView) => ({ BatchSize, MaximumBatchingWindowInSeconds, FunctionResponseTypes, ScalingConfig, Enabled, FilterCriteria });

describe("Reset the world and the trigger's settings", () => {
  it("puts every trigger and function setting back as the playground started, and a new task completes", async () => {
    const playground = await playgrounds.start();
    const trigger = settingsOf(await body<TriggerView>(await playground.get("/api/trigger")));
    const fifoTrigger = settingsOf(await body<TriggerView>(await playground.get("/api/trigger/fifo")));
    const fn = await body<FunctionSettings>(await playground.get("/api/function"));
    const changed = { Enabled: false, BatchSize: 3, FunctionResponseTypes: [], ScalingConfig: { MaximumConcurrency: 4 }, FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { title: ["urgent"] } }) }] } };
    expect((await playground.send("PATCH", "/api/trigger", changed)).status).toBe(200);
    expect((await playground.send("PATCH", "/api/trigger/fifo", { BatchSize: 2 })).status).toBe(200);
    expect((await playground.send("PATCH", "/api/function", { Timeout: 9, ReservedConcurrentExecutions: 1 })).status).toBe(200);
    expect(settingsOf(await body<TriggerView>(await playground.get("/api/trigger")))).not.toEqual(trigger);

    expect((await playground.send("POST", "/api/reset")).status).toBe(200);

    expect(settingsOf(await body<TriggerView>(await playground.get("/api/trigger")))).toEqual(trigger);
    expect(settingsOf(await body<TriggerView>(await playground.get("/api/trigger/fifo")))).toEqual(fifoTrigger);
    expect(await body<FunctionSettings>(await playground.get("/api/function"))).toMatchObject({ Timeout: fn.Timeout, ReservedConcurrentExecutions: fn.ReservedConcurrentExecutions });
    // The page hears of it as of any change: the trigger's and the function's settings as they are now.
    expect(playground.events.recent().findLast(isType("trigger.updated"))?.settings).toMatchObject({ Enabled: true, BatchSize: trigger.BatchSize });
    // A task that the filter would have dropped, and that the stopped trigger would never have met, completes.
    const task = await body<Task>(await playground.post("/tasks", { title: "not urgent" }));
    await playground.waitForEvent((e) => e.type === "task.updated" && e.task.id === task.id && e.task.status === "completed", 30_000);
  });

  it("leaves settings that were never changed alone: no update is announced", async () => {
    const playground = await playgrounds.start();
    const before = playground.events.recent().filter((e) => e.type === "trigger.updated" || e.type === "function.updated").length;
    expect((await playground.send("POST", "/api/reset")).status).toBe(200);
    expect(playground.events.recent().filter((e) => e.type === "trigger.updated" || e.type === "function.updated")).toHaveLength(before);
  });
});
