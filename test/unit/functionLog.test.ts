import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody } from "../../common/events.js";
import { FunctionLog } from "../../client/src/views/functionLog.js";

let seq = 0;
const at = (body: FlowEventBody): FlowEvent => ({ ...body, seq: ++seq, at: 1_000 + seq }) as FlowEvent;
const deployedEvent = (version: number) => at({ type: "function.deployed", version, language: "nodejs" });
const invoked = (id: string) => at({ type: "lambda.invoked", invocationId: id, functionName: "f", messageIds: ["m"], taskIds: [1] });
const failedAtLine = (id: string, line: number) =>
  at({ type: "lambda.failed", invocationId: id, durationMs: 3, error: `TypeError: x (line ${line})`, messageIds: ["m"], errorDetail: { errorType: "TypeError", errorMessage: "x", line, column: 3 } });

describe("the page's function log", () => {
  it("knows the code of a version whose deploy answer came before its event, so its error can be marked (the second deploy of a visit)", () => {
    const log = new FunctionLog();
    log.fold([deployedEvent(1)]);
    log.deployed(2, "nodejs", "version two");
    log.fold([deployedEvent(2), invoked("a"), failedAtLine("a", 7)]);
    expect(log.code).toBe("version two");
    expect(log.error).toEqual({ version: 2, language: "nodejs", line: 7, column: 3, endColumn: null, message: "TypeError: x" });
  });

  it("knows the code of a version whose event came before the deploy answer", () => {
    const log = new FunctionLog();
    log.fold([deployedEvent(1)]);
    log.deployed(1, "nodejs", "version one");
    log.fold([deployedEvent(2)]);
    log.deployed(2, "nodejs", "version two");
    expect(log.code).toBe("version two");
  });

  it("starts over at each deploy and at a world reset: an older version's errors named lines of other code", () => {
    const log = new FunctionLog();
    log.fold([deployedEvent(1), invoked("a"), failedAtLine("a", 7)]);
    expect(log.lines.some((line) => line.includes("line 7"))).toBe(true);
    log.fold([deployedEvent(2)]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain("version 2");
    expect(log.error).toBeNull();
    log.fold([invoked("b"), failedAtLine("b", 9), at({ type: "world.reset" })]);
    expect(log.lines).toEqual([]);
    expect(log.error).toBeNull();
  });

  it("folds each event once, however often a reconnect's snapshot brings it again", () => {
    const log = new FunctionLog();
    const events = [deployedEvent(1), invoked("a")];
    log.fold(events);
    log.fold(events);
    expect(log.lines).toHaveLength(2);
  });

  it("tells only the deployed version's cold starts, output and environment ends, not the playground's own handler's", () => {
    const log = new FunctionLog();
    const coldStart = (environmentId: string, version: number) => at({ type: "lambda.cold-start", invocationId: `i-${environmentId}`, environmentId, language: "nodejs", version, initMs: 80 });
    const ended = (environmentId: string) => at({ type: "lambda.environment-ended", environmentId, reason: "idle", detail: "idle for 300 s" });
    const printed = (environmentId: string, message: string) => at({ type: "lambda.log", invocationId: null, environmentId, stream: "stdout", message });
    log.fold([coldStart("own", 0), printed("own", "the lesson's handler"), ended("own")]);
    expect(log.lines).toEqual([]);
    log.fold([deployedEvent(1), coldStart("old", 0), coldStart("mine", 1), printed("mine", "processing task 1"), printed("old", "not mine"), ended("old"), ended("mine")]);
    expect(log.lines).toEqual([
      expect.stringContaining("version 1"),
      expect.stringContaining("cold start"),
      expect.stringMatching(/ {2}processing task 1$/),
      expect.stringContaining("idle"),
    ]);
  });
});
