// The lesson's function run the way a deployed version runs (LESSON_FUNCTION=runtime): in execution
// environments behind the Lambda Runtime API, its settings in the client context, its database
// calls, step-mode pause and ChangeMessageVisibility over the internal routes.
import { describe, expect, it } from "vitest";
import type { FlowEvent, Task } from "../../common/events.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const start = (env: Record<string, string> = {}, functionRuntime: { maxEnvironments?: number; maxStarting?: number } = {}) =>
  playgrounds.start({ LESSON_FUNCTION: "runtime", ...env }, undefined, { functionRuntime });
const body = async <T>(response: Response) => (await response.json()) as T;
const completed = (id: number) => isType("task.updated", (e) => e.taskId === id && e.task.status === "completed");
const post = async (playground: TestPlayground, title: string) => body<Task>(await playground.post("/tasks", { title }));
const coldStarts = (playground: TestPlayground, afterSeq = 0) =>
  playground.events.recent().filter((e): e is Extract<FlowEvent, { type: "lambda.cold-start" }> => e.type === "lambda.cold-start" && e.seq > afterSeq);

describe("the lesson's function in execution environments (LESSON_FUNCTION=runtime)", () => {
  it("completes a task in an environment of its own: one cold start of version 0, then warm", async () => {
    const playground = await start();
    const first = await post(playground, "cold");
    await playground.waitForEvent(completed(first.id));
    const second = await post(playground, "warm");
    await playground.waitForEvent(completed(second.id));
    expect(coldStarts(playground).map((e) => [e.version, e.language])).toEqual([[0, "nodejs"]]);
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === second.messageId));
    expect(playground.store.get(second.id)).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("reads the chaos panel's faults with each invocation: failRate 1 fails the record, {} lets it complete", async () => {
    const playground = await start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    const task = await post(playground, "fails first");
    const failed = await playground.waitForEvent(isType("lambda.completed", (e) => e.failedMessageIds.includes(task.messageId ?? "")));
    expect(failed.failedMessageIds).toEqual([task.messageId]);
    expect(playground.store.get(task.id)?.lastError).toMatch(/injected failure \(failRate 1\)/);
    await playground.send("PUT", "/api/faults", {});
    await playground.waitForEvent(completed(task.id));
  });

  it("without ReportBatchItemFailures the function throws, and the failure reads as its message (no 'Error:' prefix)", async () => {
    const playground = await start({ REPORT_BATCH_ITEM_FAILURES: "false" });
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    const task = await post(playground, "throws");
    const failed = await playground.waitForEvent(isType("lambda.failed", (e) => e.messageIds.includes(task.messageId ?? "")));
    expect(failed.error).toBe("injected failure (failRate 1)");
  });

  it("the timeout fault: the environment is killed at the function timeout, the message comes back, a new environment completes it", async () => {
    const playground = await start({ VISIBILITY_TIMEOUT_SECONDS: "2", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PUT", "/api/faults", { timeout: true });
    const task = await post(playground, "hangs");
    await playground.waitForEvent(isType("lambda.environment-ended", (e) => e.reason === "timeout"));
    await playground.send("PUT", "/api/faults", {});
    await playground.waitForEvent(isType("message.visible-again", (e) => e.messageId === task.messageId));
    await playground.waitForEvent(completed(task.id));
    expect(coldStarts(playground)).toHaveLength(2);
    expect((await playground.get("/health")).status).toBe(200);
  });

  it("step mode holds the function at step 5 past its timeout without killing it, and its clock stands still", async () => {
    const playground = await start({ FUNCTION_TIMEOUT_SECONDS: "1", VISIBILITY_TIMEOUT_SECONDS: "6" });
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    const posted = playground.post("/tasks", { title: "held" });
    let seq = 0;
    for (;;) {
      const paused = await playground.waitForEvent(isType("step.paused", (e) => e.seq > seq));
      seq = paused.seq;
      if (paused.step === "update") {
        // Longer than the 1 s function timeout: a real pause at a learner's reading pace.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(playground.events.recent().some((e) => e.type === "lambda.environment-ended" || e.type === "lambda.failed")).toBe(false);
      }
      await playground.send("POST", "/api/step-mode/next");
      if (paused.step === "delete") break;
    }
    const task = await body<Task>(await posted);
    expect(playground.store.get(task.id)?.status).toBe("completed");
    expect(playground.events.recent().filter((e) => e.type === "lambda.completed")).toHaveLength(1);
  });

  it("backs a failed record off through ChangeMessageVisibility, called on the wire as the function's own", async () => {
    const playground = await start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PUT", "/api/faults", { failRate: 1, retryBackoffSeconds: 2 });
    const task = await post(playground, "backs off");
    const call = await playground.waitForEvent(isType("sqs.call", (e) => e.call.operation === "ChangeMessageVisibility"));
    expect(call.call).toMatchObject({ caller: "function" });
    await playground.send("PUT", "/api/faults", {});
    await playground.waitForEvent(completed(task.id));
  });

  it("at this machine's limit of environments, an invocation waits for one to free (its clock stopped), never a throttle", async () => {
    const playground = await start({ TRIGGER_ENABLED: "false", BATCH_SIZE: "1" }, { maxEnvironments: 1 });
    await playground.send("PUT", "/api/faults", { delayMs: 300 });
    const tasks = await Promise.all(["one", "two", "three"].map((title) => post(playground, title)));
    await playground.send("PATCH", "/api/trigger", { Enabled: true });
    for (const task of tasks) await playground.waitForEvent(completed(task.id));
    expect(coldStarts(playground)).toHaveLength(1);
    expect(playground.events.recent().filter((e) => e.type === "lambda.failed" || e.type === "lambda.throttled")).toEqual([]);
  });

  it("starts runtimes one at a time when the machine allows one (each waits its turn, nothing fails)", async () => {
    const playground = await start({ TRIGGER_ENABLED: "false", BATCH_SIZE: "1" }, { maxStarting: 1 });
    await playground.send("PUT", "/api/faults", { delayMs: 500 });
    const tasks = await Promise.all(["one", "two", "three"].map((title) => post(playground, title)));
    await playground.send("PATCH", "/api/trigger", { Enabled: true });
    for (const task of tasks) await playground.waitForEvent(completed(task.id));
    // A cold start's event comes when its runtime is ready, initMs after its spawn: no spawn began before the previous was ready.
    const starts = coldStarts(playground).sort((a, b) => a.at - b.at);
    expect(starts).toHaveLength(3);
    for (let i = 1; i < starts.length; i++) expect(starts[i]!.at - starts[i]!.initMs).toBeGreaterThanOrEqual(starts[i - 1]!.at - 2);
    expect(playground.events.recent().filter((e) => e.type === "lambda.failed")).toEqual([]);
  });
});
