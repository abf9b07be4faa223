import { describe, expect, it } from "vitest";
import type { FlowEvent, Snapshot } from "../../common/events.js";
import { RUN_FORMAT, RunRecording } from "../../common/run.js";
import { parseRunFile, RunFileError } from "../../common/runFile.js";

const snapshot: Snapshot = { seq: 3, tasks: [], queues: [], events: [] };
const events: FlowEvent[] = [
  { type: "world.reset", seq: 4, at: 1000 },
  { type: "faults.changed", faults: { failRate: 1, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: false, responseKey: "batchItemFailures" }, seq: 5, at: 1001 },
];
const file = () => JSON.parse(JSON.stringify(Object.assign(new RunRecording(snapshot), {}).toFile(new Date(0)))) as Record<string, unknown>;
const withEvents = () => {
  const recording = new RunRecording(snapshot);
  recording.record(events);
  return JSON.parse(JSON.stringify(recording.toFile(new Date(0)))) as { events: Record<string, unknown>[] } & Record<string, unknown>;
};
const parse = (value: unknown) => () => parseRunFile(typeof value === "string" ? value : JSON.stringify(value));

describe("reading an exported run", () => {
  it("reads back what was exported, unchanged", () => {
    const exported = withEvents();
    expect(parseRunFile(JSON.stringify(exported))).toEqual(exported);
  });

  it("keeps who purged a purged message's deletion", () => {
    const recording = new RunRecording(snapshot);
    recording.record([{ type: "message.deleted", queue: "q", messageId: "m", taskId: 1, purgedBy: "other-client", seq: 4, at: 1000 }]);
    expect(parseRunFile(JSON.stringify(recording.toFile(new Date(0)))).events[0]).toMatchObject({ purgedBy: "other-client" });
  });

  it("says when the file is not JSON", () => {
    expect(parse("{nope")).toThrow(new RunFileError("the file is not JSON (" + (() => { try { JSON.parse("{nope"); } catch (e) { return (e as Error).message; } return ""; })() + ")"));
  });

  it("says when the file is not a run at all", () => {
    expect(parse({ hello: "world" })).toThrow(`it should say "format": "${RUN_FORMAT}"`);
  });

  it("says which version it reads when the file has another", () => {
    expect(parse({ ...file(), version: 2 })).toThrow("the run file has version 2; this playground reads version 1");
  });

  it("names where an event breaks the contract", () => {
    const broken = withEvents();
    broken.events[1] = { ...broken.events[1], faults: { failRate: "all" } };
    expect(parse(broken)).toThrow(/events\.1\.faults\.failRate/);
  });

  it("refuses an event type it does not know", () => {
    const broken = withEvents();
    broken.events[0] = { type: "message.teleported", seq: 4, at: 1 };
    expect(parse(broken)).toThrow(/events\.0\.type/);
  });

  it("refuses events out of sequence order", () => {
    const broken = withEvents();
    broken.events.reverse();
    expect(parse(broken)).toThrow("events.1: seq 4 comes after 5");
    broken.events.reverse();
    broken.events[0] = { ...broken.events[0], seq: 2 };
    expect(parse(broken)).toThrow("events.0: seq 2 comes after 3");
  });
});
