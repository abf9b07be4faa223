import { describe, expect, it } from "vitest";
import type { Faults, Task } from "../../common/events.js";
import { isType, playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const body = async <T>(response: Response) => (await response.json()) as T;
const completed = (id: number) => isType("task.updated", (e) => e.taskId === id && e.task.status === "completed");

describe("fault injection at /api/faults", () => {
  it("failRate 1: a task fails, comes back with receive count 2 and 3, lands in the DLQ and is marked failed; {} clears it", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    expect(await body<Faults>(await playground.send("PUT", "/api/faults", { failRate: 1 }))).toMatchObject({ failRate: 1 });
    const task = await body<Task>(await playground.post("/tasks", { title: "doomed" }));
    const failed = await playground.waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "failed"));
    expect(failed.task.lastError).toMatch(/moved to interview-queue-dlq after 3 receives/);
    const counts = playground.events.recent().filter(isType("message.received", (e) => e.messageId === task.messageId)).map((e) => e.receiveCount);
    expect(counts).toEqual([1, 2, 3]);
    const failures = playground.events.recent().filter(isType("lambda.completed", (e) => e.failedMessageIds.includes(task.messageId ?? "")));
    expect(failures).toHaveLength(3);
    expect((await body<{ messages: { messageId: string }[] }[]>(await playground.get("/api/queues")))[1]?.messages.map((m) => m.messageId)).toEqual([task.messageId]);

    expect(await body<Faults>(await playground.send("PUT", "/api/faults", {}))).toEqual({ failRate: 0, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: false, responseKey: "batchItemFailures", retryBackoffSeconds: null });
    const next = await body<Task>(await playground.post("/tasks", { title: "fine again" }));
    await playground.waitForEvent(completed(next.id));
  });

  it("failRate without ReportBatchItemFailures makes the handler throw, failing the whole batch", async () => {
    const playground = await playgrounds.start({ REPORT_BATCH_ITEM_FAILURES: "false" });
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    const task = await body<Task>(await playground.post("/tasks", { title: "throws" }));
    const failed = await playground.waitForEvent(isType("lambda.failed", (e) => e.messageIds.includes(task.messageId ?? "")));
    expect(failed.error).toMatch(/injected failure \(failRate 1\)/);
  });

  it("delayMs slows each record by that much", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { delayMs: 300 });
    const task = await body<Task>(await playground.post("/tasks", { title: "slow" }));
    const invoked = await playground.waitForEvent(isType("lambda.invoked", (e) => e.taskIds.includes(task.id)));
    const done = await playground.waitForEvent(isType("lambda.completed", (e) => e.invocationId === invoked.invocationId));
    expect(done.durationMs).toBeGreaterThanOrEqual(300);
  });

  it("timeout makes the handler hang past its timeout: the batch fails and the message comes back", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PUT", "/api/faults", { timeout: true });
    const task = await body<Task>(await playground.post("/tasks", { title: "hangs" }));
    const failed = await playground.waitForEvent(isType("lambda.failed", (e) => e.messageIds.includes(task.messageId ?? "")));
    expect(failed.error).toBe("Task timed out after 1.00 seconds");
    await playground.send("PUT", "/api/faults", {});
    await playground.waitForEvent(isType("message.visible-again", (e) => e.messageId === task.messageId));
    await playground.waitForEvent(completed(task.id));
  });

  it("crashAfter 1 fails a batch of two after the first record: both come back, and idempotency saves the first from being done twice", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    const [first, second] = await Promise.all(["first", "second"].map(async (title) => body<Task>(await playground.post("/tasks", { title }))));
    await playground.send("PUT", "/api/faults", { crashAfter: 1 });
    await playground.send("PATCH", "/api/trigger", { Enabled: true });
    const crash = await playground.waitForEvent(isType("lambda.failed"));
    expect(crash.error).toMatch(/crashed after processing 1 record\(s\) of 2/);
    expect(crash.messageIds).toHaveLength(2);
    const done = playground.store.list().filter((t) => t.status === "completed");
    expect(done).toHaveLength(1);
    await playground.send("PUT", "/api/faults", {});
    await playground.waitForEvent(completed(done[0]?.id === first?.id ? second!.id : first!.id));
    // The task finished before the crash was acknowledged on redelivery, not worked again.
    expect(playground.store.list().map((t) => t.attempts)).toEqual([1, 1]);
    expect(playground.events.recent().filter(isType("task.updated", (e) => e.task.status === "completed" && e.from !== "completed"))).toHaveLength(2);
  });

  it("sqsUnavailable makes SendMessage fail: the task is kept with its error and sent once SQS is back", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { sqsUnavailable: true });
    const health = await body<{ faults: Faults }>(await playground.get("/health"));
    expect(health.faults.sqsUnavailable).toBe(true);
    const response = await playground.post("/tasks", { title: "dual write" });
    expect(response.status).toBe(202);
    const task = await body<Task>(response);
    expect(task.sendError).toMatch(/ServiceUnavailable/);
    await playground.send("PUT", "/api/faults", {});
    await playground.waitForEvent(completed(task.id));
  });

  it("responseKey BatchItemFailures makes Lambda read no failures: a failed task's message is deleted and the task is left unfinished (the silent loss)", async () => {
    const playground = await playgrounds.start();
    expect(await body<Faults>(await playground.send("PUT", "/api/faults", { failRate: 1, responseKey: "BatchItemFailures" }))).toMatchObject({ responseKey: "BatchItemFailures" });
    const task = await body<Task>(await playground.post("/tasks", { title: "lost" }));
    const done = await playground.waitForEvent(isType("lambda.completed", (e) => e.failedMessageIds.length === 0 && e.note !== undefined));
    expect(done.note).toMatch(/listed 1 failed record\(s\), yet Lambda read no failures/);
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === task.messageId));
    expect((await body<Task>(await playground.get(`/tasks/${task.id}`))).status).not.toBe("completed");
  });

  it("refuses invalid faults and changes nothing", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { delayMs: 10 });
    const seq = playground.events.lastSeq;
    for (const bad of [{ failRate: 2 }, { failRate: "half" }, { crashAfter: -1 }, { explode: true }, [1], { responseKey: "" }, { responseKey: "batch item failures" }]) {
      const response = await playground.send("PUT", "/api/faults", bad);
      expect(response.status).toBe(400);
      expect((await body<{ error: { code: string } }>(response)).error.code).toBe("InvalidFaults");
    }
    expect(await body<Faults>(await playground.get("/api/faults"))).toMatchObject({ delayMs: 10 });
    expect(playground.events.lastSeq).toBe(seq);
  });

  it("announces every change as an event", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { failRate: 0.5, delayMs: 20 });
    expect(playground.events.recent().find(isType("faults.changed"))?.faults).toEqual({ failRate: 0.5, delayMs: 20, timeout: false, crashAfter: null, sqsUnavailable: false, responseKey: "batchItemFailures", retryBackoffSeconds: null });
  });
});
