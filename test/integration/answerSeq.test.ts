// A check's ✓ carries the event after which it passed, not the state's latest event: the page
// shows the ✓ once its lesson-paced drawing has drawn that event, and the latest one held it
// back behind the deletion and the calls that follow a completion (seconds at the lesson pace).
// Real playground, real SQS, real HTTP; the function out of process, so the completion and the
// deletion arrive in requests of their own.
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../common/lessons.js";
import type { Task } from "../../common/events.js";
import { playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();

describe("The seq of a check's answer", () => {
  it("is the completion's, not the deletion's that came after it, once the check was asked about before", async () => {
    const playground = await playgrounds.start({ LESSON_FUNCTION: "runtime" });
    const ask = async () => (await (await playground.post("/api/lessons/the-whole-flow/checks", { step: 0, index: 0 })).json()) as CheckResult;
    expect((await ask()).status).toBe("waiting");
    const task = (await (await playground.post("/tasks", { title: "watched" })).json()) as Task;
    const completed = await playground.waitForEvent((e) => e.type === "task.updated" && e.task.id === task.id && e.task.status === "completed", 30_000);
    const deleted = await playground.waitForEvent((e) => e.type === "message.deleted" && e.messageId === task.messageId, 30_000);

    const answer = await ask();

    expect(answer.status).toBe("passed");
    expect(answer.seq).toBeGreaterThanOrEqual(completed.seq);
    expect(answer.seq).toBeLessThan(deleted.seq);
  });

  it("is the state's latest event when the check is first asked about after it passed (nothing earlier is known)", async () => {
    const playground = await playgrounds.start();
    const task = (await (await playground.post("/tasks", { title: "unwatched" })).json()) as Task;
    await playground.waitForEvent((e) => e.type === "message.deleted" && e.messageId === task.messageId, 30_000);
    const latest = playground.events.recent().at(-1)?.seq ?? 0;

    const answer = (await (await playground.post("/api/lessons/the-whole-flow/checks", { step: 0, index: 0 })).json()) as CheckResult;

    expect(answer.status).toBe("passed");
    expect(answer.seq).toBeGreaterThanOrEqual(latest);
  });
});
