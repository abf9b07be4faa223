import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
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
    expect(await body<StepModeView>(await playground.send("PUT", "/api/step-mode", { enabled: true }))).toEqual({ enabled: true, heartbeat: true, paused: [] });
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
    expect(pauses.map((p) => [p.stepNumber, p.step])).toEqual([[1, "insert"], [2, "send"], [4, "receive"], [4, "invoke"], [5, "update"], [6, "delete"]]);
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

  it("keeps SQS's clock running: without the heartbeat, a message held past its visibility timeout reappears, while the function's clock waits", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PUT", "/api/step-mode", { enabled: true, heartbeat: false });
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

  it("walks a task through the six steps in order with pauses far longer than the visibility timeout: every Next releases the step it names", { timeout: 60_000 }, async () => {
    // A 1 s visibility timeout and 3 s between presses: the heartbeat must carry each pause.
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    const posted = playground.post("/tasks", { title: "a slow learner" });
    const released: string[] = [];
    for (const step of ["insert", "send", "receive", "invoke", "update", "delete"]) {
      await playground.waitForEvent((e): e is Paused => e.type === "step.paused" && e.step === step);
      await new Promise((r) => setTimeout(r, 3_000));
      const view = await body<StepModeView>(await playground.send("POST", "/api/step-mode/next", { step }));
      released.push(view.released?.step ?? `nothing (${JSON.stringify(view)})`);
    }
    expect(released).toEqual(["insert", "send", "receive", "invoke", "update", "delete"]);
    const task = await body<Task>(await posted);
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === task.messageId));
    const recent = playground.events.recent();
    expect(recent.filter(isType("message.received", (e) => e.messageId === task.messageId)).length).toBe(1);
    expect(recent.some(isType("message.visible-again", (e) => e.messageId === task.messageId))).toBe(false);
    expect(recent.filter(isType("sqs.call", (e) => e.call.operation === "ChangeMessageVisibilityBatch" && e.call.error === null)).length).toBeGreaterThan(3);
    expect(playground.store.get(task.id)?.status).toBe("completed");
  });

  it("refuses a Next that names a step other than the one waiting, and releases nothing", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/step-mode", { enabled: true });
    void playground.post("/tasks", { title: "named" });
    await nextPause(playground, 0);
    const wrong = await playground.send("POST", "/api/step-mode/next", { step: "receive" });
    expect(wrong.status).toBe(409);
    expect((await body<{ error: { code: string } }>(wrong)).error.code).toBe("OtherStepWaiting");
    expect((await body<StepModeView>(await playground.get("/api/step-mode"))).paused.map((p) => p.step)).toEqual(["insert"]);
    await playground.send("PUT", "/api/step-mode", { enabled: false });
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

/** What the terminal's `aws sqs set-queue-attributes --attributes VisibilityTimeout=n` does, through the same SQS port. */
async function setVisibilityTimeout(playground: TestPlayground, seconds: number): Promise<void> {
  const sqs = new SQSClient({ endpoint: playground.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  try {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: playground.queues.queueUrl, Attributes: { VisibilityTimeout: String(seconds) } }));
  } finally {
    sqs.destroy();
  }
}

type Call = Extract<FlowEvent, { type: "sqs.call" }>;
/** The next heartbeat (the trigger's ChangeMessageVisibilityBatch) after `afterSeq`, and the timeout it set. */
async function nextHeartbeat(playground: TestPlayground, afterSeq: number): Promise<{ seq: number; seconds: unknown }> {
  const call = await playground.waitForEvent(
    (e): e is Call => e.type === "sqs.call" && e.seq > afterSeq && e.call.caller === "lambda-trigger" && e.call.operation === "ChangeMessageVisibilityBatch",
  );
  return { seq: call.seq, seconds: (call.call.request as { Entries: { VisibilityTimeout: unknown }[] }).Entries[0]?.VisibilityTimeout };
}

/** Step mode on, one task posted, released up to the pause before invoke: its message is held. */
async function holdBeforeInvoke(playground: TestPlayground): Promise<{ pause: Paused; task: Promise<Task> }> {
  await playground.send("PUT", "/api/step-mode", { enabled: true });
  const posted = playground.post("/tasks", { title: "held while the learner reads" });
  let seq = 0;
  for (const step of ["insert", "send", "receive"]) {
    seq = (await playground.waitForEvent((e): e is Paused => e.type === "step.paused" && e.step === step && e.seq > seq)).seq;
    await playground.send("POST", "/api/step-mode/next", { step });
  }
  const pause = await playground.waitForEvent((e): e is Paused => e.type === "step.paused" && e.step === "invoke");
  return { pause, task: posted.then((r) => body<Task>(r)) };
}

describe("step mode's heartbeat and the queue's visibility timeout as it is now", () => {
  it("extends a paused message by the visibility timeout the learner set from the terminal, not the one the playground started with", { timeout: 30_000 }, async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "2", FUNCTION_TIMEOUT_SECONDS: "1" });
    await setVisibilityTimeout(playground, 30);
    const { pause, task } = await holdBeforeInvoke(playground);
    const beat = await nextHeartbeat(playground, pause.seq);
    expect(beat.seconds).toBe(30);
    // SQS holds the message for the learner's 30 s: after the pause it does not come back 2 s later.
    const held = playground.backend.inspect().flatMap((q) => q.messages).find((m) => m.messageId === pause.messageIds[0]);
    expect(held?.state).toBe("in-flight");
    expect((held?.visibleAt ?? 0) - Date.now()).toBeGreaterThan(20_000);
    await playground.send("PUT", "/api/step-mode", { enabled: false });
    await task;
  });

  it("follows a visibility timeout changed while the step waits: the next beat sets the new one", { timeout: 30_000 }, async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "3", FUNCTION_TIMEOUT_SECONDS: "1" });
    const { pause, task } = await holdBeforeInvoke(playground);
    const first = await nextHeartbeat(playground, pause.seq);
    expect(first.seconds).toBe(3);
    await setVisibilityTimeout(playground, 40);
    let beat = await nextHeartbeat(playground, first.seq);
    // A beat already on the wire when the attribute changed may still carry the old timeout.
    if (beat.seconds === 3) beat = await nextHeartbeat(playground, beat.seq);
    expect(beat.seconds).toBe(40);
    await playground.send("PUT", "/api/step-mode", { enabled: false });
    await task;
  });
});
