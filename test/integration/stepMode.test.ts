import { describe, expect, it } from "vitest";
import type { FlowEvent, StepModeView, Task } from "../../common/events.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const body = async <T>(response: Response) => (await response.json()) as T;
type Paused = Extract<FlowEvent, { type: "step.paused" }>;

/** Waits for the next pause after `afterSeq`. */
const nextPause = (playground: TestPlayground, afterSeq: number) =>
  playground.waitForEvent((e): e is Paused => e.type === "step.paused" && e.seq > afterSeq);

describe("step mode at /api/step-mode", () => {
  it("walks one task through the six steps, one Next each, in order", async () => {
    const playground = await playgrounds.start();
    expect(await body<StepModeView>(await playground.send("PUT", "/api/step-mode", { enabled: true }))).toEqual({ enabled: true, paused: [] });
    const posted = playground.post("/tasks", { title: "step by step" });

    const pauses: Paused[] = [];
    let seq = 0;
    for (let step = 0; step < 6; step++) {
      const paused = await nextPause(playground, seq);
      pauses.push(paused);
      seq = paused.seq;
      const view = await body<StepModeView>(await playground.send("POST", "/api/step-mode/next"));
      expect(view.released?.pauseId).toBe(paused.pauseId);
      if (paused.step === "send") expect((await posted).status).toBe(201);
    }
    expect(pauses.map((p) => [p.stepNumber, p.step])).toEqual([[1, "insert"], [2, "send"], [3, "receive"], [4, "invoke"], [5, "update"], [6, "delete"]]);
    const task = await body<Task>(await posted);
    expect(pauses.slice(1).every((p) => p.taskId === task.id)).toBe(true);
    expect(pauses.slice(2).every((p) => p.messageIds.includes(task.messageId ?? ""))).toBe(true);
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === task.messageId));
    expect(playground.store.get(task.id)?.status).toBe("completed");
  });

  it("holds each step until Next: nothing moves on while a step waits", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    void playground.post("/tasks", { title: "held" });
    await nextPause(playground, 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(playground.store.list()).toEqual([]);
    expect((await body<StepModeView>(await playground.get("/api/step-mode"))).paused.map((p) => p.step)).toEqual(["insert"]);
  });

  it("refuses Next when nothing waits, and when step mode is off", async () => {
    const playground = await playgrounds.start();
    const off = await playground.send("POST", "/api/step-mode/next");
    expect(off.status).toBe(409);
    expect((await body<{ error: { code: string } }>(off)).error.code).toBe("StepModeOff");
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    const nothing = await playground.send("POST", "/api/step-mode/next");
    expect(nothing.status).toBe(409);
    expect((await body<{ error: { code: string } }>(nothing)).error.code).toBe("NothingPaused");
    expect((await playground.send("PUT", "/api/step-mode", { enabled: "yes" })).status).toBe(400);
  });

  it("releases everything when turned off, and the flow runs to the end", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    const posted = playground.post("/tasks", { title: "released" });
    await nextPause(playground, 0);
    await playground.send("PUT", "/api/step-mode", { enabled: false });
    const task = await body<Task>(await posted);
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "completed"));
    expect(playground.events.recent().filter(isType("step-mode.changed")).map((e) => e.enabled)).toEqual([true, false]);
  });

  it("keeps SQS's clock running: a message held past its visibility timeout reappears, while the function's clock waits", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    const posted = playground.post("/tasks", { title: "held too long" });
    let seq = 0;
    for (const step of ["insert", "send", "receive", "invoke"]) {
      const paused = await nextPause(playground, seq);
      expect(paused.step).toBe(step);
      seq = paused.seq;
      await playground.send("POST", "/api/step-mode/next");
    }
    const update = await nextPause(playground, seq);
    expect(update.step).toBe("update");
    const task = await body<Task>(await posted);
    // Held at step 5 for longer than the 1 s visibility timeout (and the 1 s function timeout).
    await playground.waitForEvent(isType("message.visible-again", (e) => e.messageId === task.messageId));
    await new Promise((r) => setTimeout(r, 300));
    expect(playground.events.recent().some(isType("lambda.failed"))).toBe(false);
    await playground.send("PUT", "/api/step-mode", { enabled: false });
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "completed"));
  });

  it("never hangs shutdown on a paused step", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    const posted = playground.post("/tasks", { title: "paused at shutdown" }).catch(() => undefined);
    await nextPause(playground, 0);
    await playground.stop();
    const response = await posted;
    if (response) expect(response.status).toBe(503);
    expect(playground.store.list()).toEqual([]);
  });
});
