import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody } from "../../common/events.js";
import { foldEvents } from "../../common/state.js";
import { handlerStationLines, TASK_LINE_CHARS } from "../../client/src/views/handlerLines.js";

let seq = 0;
const events = (...bodies: FlowEventBody[]) => bodies.map((body) => ({ ...body, seq: ++seq, at: 1 }) as FlowEvent);
const texts = (bodies: FlowEventBody[]) => handlerStationLines(foldEvents(events(...bodies))).map(([text]) => text);
const bothMappings: FlowEventBody[] = [
  { type: "trigger.state", state: "enabled" },
  { type: "trigger.state", state: "enabled", mapping: "fifo" },
];

describe("the handler station's lines", () => {
  it("shows each mapping's running batches and limit: the standard queue's and the FIFO queue's", () => {
    const lines = texts([
      ...bothMappings,
      { type: "lambda.concurrency", running: 1, limit: 5, maximum: 1000 },
      { type: "lambda.concurrency", running: 2, limit: 3, maximum: 1000, mapping: "fifo" },
    ]);
    expect(lines.slice(3)).toEqual(["running / limit", "standard 1 / 5", "FIFO 2 / 3"]);
  });

  it("keeps the batch in work above the mappings' lines", () => {
    const lines = texts([
      ...bothMappings,
      { type: "lambda.invoked", invocationId: "a", functionName: "f", messageIds: ["m1", "m2"], taskIds: [7, 8] },
      { type: "lambda.invoked", invocationId: "b", functionName: "f", messageIds: ["m3"], taskIds: [9] },
    ]);
    expect(lines.slice(0, 3)).toEqual(["batch of 2:", "task 7, 8", "+ 1 more batch"]);
  });

  it("counts Lambda's throttles since the last reset on the line of other batches", () => {
    const throttle: FlowEventBody = { type: "lambda.throttled", functionName: "f", messageIds: ["m9"], taskIds: [9], reserved: 1, running: 1, attempt: 1, retrying: true };
    expect(texts([...bothMappings, throttle, throttle])[2]).toBe("2 throttles");
    const busy = texts([
      ...bothMappings,
      throttle,
      { type: "lambda.invoked", invocationId: "a", functionName: "f", messageIds: ["m1"], taskIds: [7] },
      { type: "lambda.invoked", invocationId: "b", functionName: "f", messageIds: ["m3"], taskIds: [8] },
    ]);
    // Running batches are on the mapping lines; both words on one line ran past the box's edge.
    expect(busy[2]).toBe("1 throttle");
  });

  it("shows the function's reserved concurrency, which caps every mapping, in the heading's place", () => {
    const reserved = (value: number | null): FlowEventBody => ({ type: "function.updated", settings: { Timeout: 3, ReservedConcurrentExecutions: value }, warnings: [] });
    const withFifo = texts([...bothMappings, reserved(1), { type: "lambda.concurrency", running: 1, limit: 2, maximum: 1000 }]);
    expect(withFifo.slice(3)).toEqual(["reserved: 1", "standard 1 / 2", "FIFO 0 / –"]);
    expect(texts([{ type: "trigger.state", state: "enabled" }, reserved(0)])[4]).toBe("reserved: 0");
    expect(texts([...bothMappings, reserved(1), reserved(null)])[3]).toBe("running / limit");
  });

  it("fits a batch of long task ids in the box, saying how many more it holds", () => {
    const ids = Array.from({ length: 10 }, (_, i) => 502 + i);
    const batch: FlowEventBody = { type: "lambda.invoked", invocationId: "a", functionName: "f", messageIds: ids.map((id) => `m${id}`), taskIds: ids };
    const withFifo = texts([...bothMappings, batch]);
    expect(withFifo[1]).toBe("task 502 +9");
    const standardOnly = texts([{ type: "trigger.state", state: "enabled" }, batch]);
    expect(standardOnly.slice(1, 3)).toEqual(["task 502, 503", "504, 505 +6"]);
    for (const line of [...withFifo, ...standardOnly].slice(0, 3)) expect(line.length).toBeLessThanOrEqual(TASK_LINE_CHARS);
    // Short ids: the whole batch, no tally.
    expect(texts([{ type: "trigger.state", state: "enabled" }, { ...batch, messageIds: ["m1", "m2", "m3"], taskIds: [7, 8, 9] }]).slice(1, 3)).toEqual(["task 7, 8, 9", ""]);
  });

  it("says a batch of messages that are no task's holds no tasks, not 'task ?, ?, ?'", () => {
    const batch = (taskIds: (number | null)[]): FlowEventBody => ({ type: "lambda.invoked", invocationId: "a", functionName: "f", messageIds: taskIds.map((_, i) => `m${i}`), taskIds });
    expect(texts([...bothMappings, batch([null, null, null])]).slice(0, 2)).toEqual(["batch of 3:", "no tasks"]);
    expect(texts([{ type: "trigger.state", state: "enabled" }, batch([null, null])]).slice(1, 3)).toEqual(["no tasks", ""]);
    expect(texts([...bothMappings, batch([null, 7, null])])[1]).toBe("task 7");
  });

  it("shows a dash for a limit not known yet", () => {
    expect(texts(bothMappings).slice(4)).toEqual(["standard 0 / –", "FIFO 0 / –"]);
  });
});

describe("the handler station when invocations outnumber the execution environments", () => {
  const invoked = (id: string, taskId: number): FlowEventBody => ({ type: "lambda.invoked", invocationId: id, functionName: "f", messageIds: [`m${taskId}`], taskIds: [taskId] });
  const coldStart = (id: string): FlowEventBody => ({ type: "lambda.cold-start", invocationId: id, environmentId: `env-${id}`, language: "nodejs", version: 0, initMs: 90 });

  it("says how many run in environments and how many are yet to start (waiting for an environment, or for theirs to start), instead of counting them all as running batches", () => {
    const lines = texts([invoked("a", 1), coldStart("a"), invoked("b", 2), invoked("c", 3)]);
    expect(lines.slice(3, 6)).toEqual(["1 in environments", "2 yet to start", "3 running · limit –"]);
  });

  it("counts an environment that ended as gone, and says nothing of environments while functions run in process", () => {
    const ended: FlowEventBody = { type: "lambda.environment-ended", environmentId: "env-a", reason: "exit", detail: "" };
    expect(texts([coldStart("x"), coldStart("a"), ended, invoked("a", 1), invoked("b", 2), invoked("c", 3)]).slice(3, 5)).toEqual(["1 in environments", "2 yet to start"]);
    expect(texts([invoked("a", 1), invoked("b", 2)]).slice(3, 5)).toEqual(["+ 1 more batch", ""]);
  });
});

describe("the handler station with a FIFO mapping, when invocations outnumber the environments", () => {
  it("gives the first batch's task line and the 'more' line to the environments, above each mapping's running / limit", () => {
    const invoked = (id: string): FlowEventBody => ({ type: "lambda.invoked", invocationId: id, functionName: "f", messageIds: [`m${id}`], taskIds: [1] });
    const lines = texts([...bothMappings, invoked("a"), { type: "lambda.cold-start", invocationId: "a", environmentId: "e", language: "nodejs", version: 0, initMs: 90 }, invoked("b"), invoked("c")]);
    expect(lines.slice(1, 4)).toEqual(["1 in environments", "2 yet to start", "running / limit"]);
  });
});
