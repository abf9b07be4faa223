import { describe, expect, it } from "vitest";
import type { Faults, FlowEvent, FlowEventBody, Task } from "../../common/events.js";
import { foldEvents } from "../../common/state.js";
import { handlerFaultMark, sendFaultLines } from "../../client/src/views/faultMarks.js";

const OFF: Faults = { failRate: 0, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: false, responseKey: "batchItemFailures", retryBackoffSeconds: null };
let seq = 0;
const fold = (...bodies: FlowEventBody[]) => foldEvents(bodies.map((body) => ({ ...body, seq: ++seq, at: 1 }) as FlowEvent));
const faults = (changes: Partial<Faults>): FlowEventBody => ({ type: "faults.changed", faults: { ...OFF, ...changes } });
const task = (id: number, changes: Partial<Task>): Task => ({ id, title: `t${id}`, status: "pending", messageId: null, createdAt: "", updatedAt: "", completedAt: null, attempts: 0, sendError: null, lastError: null, ...changes });

describe("the drawing's fault marks", () => {
  it("names the handler's crash, hang or failure rate, and says how many when several are on", () => {
    expect(handlerFaultMark(fold(faults({ crashAfter: 1 })))).toEqual({ text: "⚠ fault: the handler crashes", detail: "Fault injection (Chaos tab): the handler crashes after 1 record of a batch" });
    expect(handlerFaultMark(fold(faults({ failRate: 0.25 })))?.text).toBe("⚠ fault: the handler fails 25%");
    const both = handlerFaultMark(fold(faults({ timeout: true, crashAfter: 0 })));
    expect(both?.text).toBe("⚠ 2 faults on the handler");
    expect(both?.detail).toContain("crashes before its first record; the handler hangs past the function's timeout");
  });

  it("marks nothing for a slow handler or a misspelt response key, which two labs ask the learner to find", () => {
    expect(handlerFaultMark(fold(faults({ delayMs: 2500, responseKey: "BatchItemFailures" })))).toBeNull();
    expect(handlerFaultMark(fold(faults({})))).toBeNull();
  });

  it("marks nothing on the handler while the learner's own deployed code runs: faults act on the lesson's handler", () => {
    expect(handlerFaultMark(fold(faults({ crashAfter: 1 }), { type: "function.deployed", version: 2, language: "python" }))).toBeNull();
    expect(handlerFaultMark(fold(faults({ crashAfter: 1 }), { type: "function.deployed", version: 2, language: "python" }, { type: "function.deployed", version: 0, language: "nodejs" }))?.text).toBe("⚠ fault: the handler crashes");
  });

  it("says under the SendMessage arrow that SQS is unreachable and how many stored tasks wait unsent", () => {
    expect(sendFaultLines(fold(faults({ sqsUnavailable: true })))).toEqual(["✗ SQS is", "unreachable"]);
    const unsent = fold(
      { type: "task.created", taskId: 1, task: task(1, {}) },
      { type: "task.updated", taskId: 1, from: "pending", task: task(1, { sendError: "ServiceUnavailable" }) },
      { type: "task.created", taskId: 2, task: task(2, { sendError: "ServiceUnavailable" }) },
      { type: "task.created", taskId: 3, task: task(3, { status: "completed" }) },
    );
    expect(sendFaultLines(unsent)).toEqual(["✗ 2 sends", "failed"]);
    // Sent later by the reconciler: nothing left to mark.
    expect(sendFaultLines(fold({ type: "task.updated", taskId: 1, from: "pending", task: task(1, { messageId: "m1" }) }, { type: "task.updated", taskId: 2, from: "pending", task: task(2, { messageId: "m2" }) }))).toEqual([]);
  });
});
