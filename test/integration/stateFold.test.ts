import { describe, expect, it } from "vitest";
import { foldEvents, messageStateAt } from "../../common/state.js";
import { isType, playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();

describe("the state fold over a real run", () => {
  it("ends where the store and the queue inspection are: same tasks, same messages", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await Promise.all(Array.from({ length: 10 }, (_, i) => playground.post("/tasks", { title: `t${i}` })));
    playground.controls.setFaults({ failRate: 1 });
    const doomed = (await (await playground.post("/tasks", { title: "doomed" })).json()) as { id: number };
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === doomed.id && e.task.status === "failed"));
    playground.controls.setFaults({});
    playground.controls.setFaults({ failRate: 1 });
    await playground.post("/tasks", { title: "in flight at the end" });
    await playground.waitForEvent(isType("message.received", (e) => e.taskId === doomed.id + 1));

    const state = foldEvents(playground.events.recent());
    expect(Object.values(state.tasks)).toEqual(playground.store.list());
    const now = Date.now();
    const inspected = playground.snapshot().queues.flatMap((q) => q.messages.map((m) => [m.messageId, q.name === "interview-queue-dlq" ? "dead-lettered" : m.state]));
    const folded = Object.values(state.messages).map((m) => [m.messageId, messageStateAt(m, now)]);
    expect(folded.sort()).toEqual(inspected.sort());
  });
});
