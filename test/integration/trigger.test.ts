import { afterEach, describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { isType, playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();

function concurrencyOver(events: FlowEvent[]): number[] {
  let running = 0;
  const levels: number[] = [];
  for (const event of events) {
    if (event.type === "lambda.invoked") running += 1;
    if (event.type === "lambda.completed" || event.type === "lambda.failed") running -= 1;
    levels.push(running);
  }
  return levels;
}

describe("the Lambda trigger", () => {
  it("runs batches concurrently up to MaximumConcurrency under a backlog, and never more", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", MAXIMUM_CONCURRENCY: "3", BATCH_SIZE: "1", HANDLER_WORK_MS: "150" });
    await Promise.all(Array.from({ length: 12 }, (_, i) => playground.post("/tasks", { title: `backlog ${i}` })));
    const done = new Set<number>();
    const allDone = playground.waitForEvent((e) => e.type === "task.updated" && e.task.status === "completed" && done.add(e.taskId).size === 12);
    playground.trigger.start();
    await allDone;
    const levels = concurrencyOver(playground.events.recent());
    expect(Math.max(...levels)).toBe(3);
    expect(playground.events.recent().filter(isType("lambda.invoked")).every((e) => e.messageIds.length === 1)).toBe(true);
  });

  it("keeps one long-poll open while idle and wakes for the next message", async () => {
    const playground = await playgrounds.start();
    await new Promise((r) => setTimeout(r, 100));
    await playground.post("/tasks", { title: "after a quiet spell" });
    await playground.waitForEvent(isType("task.updated", (e) => e.task.status === "completed"));
    const receives = playground.events.recent().filter(isType("message.received"));
    expect(receives).toHaveLength(1);
    expect(receives[0]?.consumer).toBe("lambda-trigger");
  });

  it("stops cleanly: a batch in flight finishes and its message is deleted", async () => {
    const playground = await playgrounds.start({ HANDLER_WORK_MS: "300" });
    const task = (await (await playground.post("/tasks", { title: "in flight at stop" })).json()) as { id: number; messageId: string };
    await playground.waitForEvent(isType("lambda.invoked", (e) => e.messageIds.includes(task.messageId)));
    await playground.trigger.stop();
    expect(playground.trigger.state).toBe("disabled");
    expect(playground.store.get(task.id)?.status).toBe("completed");
    expect(playground.events.recent().some(isType("message.deleted", (e) => e.messageId === task.messageId))).toBe(true);
    const states = playground.events.recent().filter(isType("trigger.state")).map((e) => e.state);
    expect(states.slice(-2)).toEqual(["stopping", "disabled"]);
  });

  it("keeps receiving when turned off and on again before the first stop has finished", async () => {
    const playground = await playgrounds.start({ HANDLER_WORK_MS: "300" });
    const first = (await (await playground.post("/tasks", { title: "in flight at the toggle" })).json()) as { messageId: string };
    await playground.waitForEvent(isType("lambda.invoked", (e) => e.messageIds.includes(first.messageId)));
    // Off while a batch runs (so the stop is still draining), and at once on again.
    const stopped = playground.trigger.update({ ...playground.trigger.settings, Enabled: false });
    await playground.trigger.update({ ...playground.trigger.settings, Enabled: true });
    await stopped;
    expect(playground.trigger.state).toBe("enabled");
    // Past the old stop's grace period, which once cancelled the new run's receives for good.
    await new Promise((r) => setTimeout(r, 1500));
    const later = (await (await playground.post("/tasks", { title: "after the toggle" })).json()) as { id: number; messageId: string };
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === later.id && e.task.status === "completed"));
    // Received once: no receive of the old run was left open in SQS to swallow it for a visibility timeout.
    expect(playground.events.recent().filter(isType("message.received", (e) => e.messageId === later.messageId))).toHaveLength(1);
  });
});
