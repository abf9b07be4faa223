import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody } from "../../common/events.js";
import { foldEvents } from "../../common/state.js";
import { handlerStationLines } from "../../client/src/views/handlerLines.js";

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
    expect(busy[2]).toBe("+ 1 more, 1 throttled");
  });

  it("shows a dash for a limit not known yet", () => {
    expect(texts(bothMappings).slice(4)).toEqual(["standard 0 / –", "FIFO 0 / –"]);
  });
});
