// Time travel and replay are only as good as the fold: the state the page shows at event N after
// scrubbing (or after importing a run) must be the very state it reached live at event N.
import fc from "fast-check";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOW_STEPS, type ClientToServerEvents, type FlowEvent, type ServerToClientEvents, type Snapshot, type Task } from "../../common/events.js";
import { RunRecording } from "../../common/run.js";
import { parseRunFile } from "../../common/runFile.js";
import { applyEvent, stateFromSnapshot } from "../../common/state.js";
import { isType, removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

interface RecordedRun {
  snapshot: Snapshot;
  /** The batches as the socket delivered them (they may repeat events the snapshot holds). */
  batches: FlowEvent[][];
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Live, as the page folds: the snapshot, then each batch, skipping events it already has; the state after each event, copied. */
function liveStates(run: RecordedRun): unknown[] {
  const state = stateFromSnapshot(run.snapshot);
  const states: unknown[] = [clone(state)];
  for (const batch of run.batches) {
    for (const event of batch) {
      if (event.seq <= state.seq) continue;
      applyEvent(state, event);
      states.push(clone(state));
    }
  }
  return states;
}

function recordingOf(run: RecordedRun): RunRecording {
  const recording = new RunRecording(run.snapshot);
  for (const batch of run.batches) recording.record(batch);
  return recording;
}

let playground: TestPlayground;
let run: RecordedRun;
let live: unknown[];

/** A run with every kind of moment: a burst, failures, a dead letter, settings changes, step mode and a reset. */
async function recordRun(): Promise<RecordedRun> {
  playground = await startTestPlayground({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(playground.url, { transports: ["websocket"], forceNew: true });
  const batches: FlowEvent[][] = [];
  socket.on("events", (batch) => void batches.push(batch));
  const snapshot = await new Promise<Snapshot>((resolve) => socket.once("snapshot", resolve));
  await Promise.all(Array.from({ length: 8 }, (_, i) => playground.post("/tasks", { title: `burst ${i}` })));
  await playground.send("PATCH", "/api/trigger", { BatchSize: 2 });
  await playground.send("PUT", "/api/faults", { failRate: 1 });
  const doomed = (await (await playground.post("/tasks", { title: "doomed" })).json()) as Task;
  await playground.waitForEvent(isType("task.updated", (e) => e.taskId === doomed.id && e.task.status === "failed"));
  await playground.send("PUT", "/api/faults", {});
  await playground.send("PUT", "/api/step-mode", { enabled: true });
  const stepped = playground.post("/tasks", { title: "one step at a time" });
  for (const step of FLOW_STEPS) {
    await playground.waitForEvent(isType("step.paused", (e) => e.step === step));
    playground.controls.next();
  }
  await stepped;
  await playground.send("PUT", "/api/step-mode", { enabled: false });
  await playground.post("/api/reset", "");
  await playground.post("/tasks", { title: "after the reset" });
  await playground.waitForEvent(isType("message.deleted", (e) => e.taskId !== null && e.taskId > doomed.id + 1));
  const last = playground.events.lastSeq;
  const deadline = Date.now() + 10_000;
  while ((batches.flat().at(-1)?.seq ?? 0) < last) {
    if (Date.now() > deadline) throw new Error("the socket never delivered the run's last event");
    await new Promise((r) => setTimeout(r, 20));
  }
  socket.disconnect();
  return { snapshot, batches };
}

beforeAll(async () => {
  run = await recordRun();
  live = liveStates(run);
}, 60_000);
afterAll(async () => {
  await playground?.stop();
  if (playground) await removeDataDir(playground.dataDir);
});

describe("time travel over a recorded run", () => {
  it("recorded a run with a dead letter, a reset and hundreds of events", () => {
    const types = new Set(run.batches.flat().map((e) => e.type));
    for (const type of ["message.dead-lettered", "world.reset", "step.paused", "faults.changed", "trigger.updated"]) expect(types).toContain(type);
    expect(live.length).toBeGreaterThan(100);
  });

  it("folds to the state reached live at any event N, whatever order the scrubber moves in", () => {
    const recording = recordingOf(run);
    expect(recording.length).toBe(live.length - 1);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: recording.length }), { minLength: 1, maxLength: 12 }), (positions) => {
        for (const n of positions) expect(clone(recording.stateAfter(n))).toEqual(live[n]);
      }),
      { numRuns: 60 },
    );
  });

  it("records the same events however the batches were cut and repeated", () => {
    const all = run.batches.flat().filter((e) => e.seq > run.snapshot.seq);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 60 }), fc.nat({ max: 20 }), (sizes, overlap) => {
        const recording = new RunRecording(run.snapshot);
        let at = 0;
        for (let i = 0; at < all.length; i++) {
          const size = sizes[i % sizes.length] ?? 1;
          recording.record(all.slice(Math.max(0, at - overlap), at + size));
          at += size;
        }
        expect(recording.events()).toEqual(all);
      }),
      { numRuns: 50 },
    );
  });

  it("finds the position of an event by its sequence number", () => {
    const recording = recordingOf(run);
    const dead = recording.events().find((e) => e.type === "message.dead-lettered");
    expect(dead).toBeDefined();
    const position = recording.positionOf(dead?.seq ?? -1);
    expect(recording.eventAt(position)).toEqual(dead);
    expect(recording.stateAfter(position).counters.deadLettered).toBeGreaterThan(0);
  });
});

describe("export, import and replay", () => {
  it("replays an exported run to the same final state as live", () => {
    const recording = recordingOf(run);
    const text = JSON.stringify(recording.toFile(new Date()));
    const replayed = RunRecording.fromFile(parseRunFile(text));
    expect(clone(replayed.stateAfter(replayed.length))).toEqual(live.at(-1));
  });

  it("ends where the store is: the same tasks", () => {
    const recording = recordingOf(run);
    expect(Object.values(recording.stateAfter(recording.length).tasks)).toEqual(playground.store.list());
  });

  it("goes on after a reconnect whose snapshot covers the gap, and starts again when it does not", () => {
    const recording = recordingOf(run);
    const events = recording.events();
    const cut = new RunRecording(run.snapshot);
    cut.record(events.slice(0, 20));
    const later: Snapshot = { ...run.snapshot, seq: events.at(-1)?.seq ?? 0, events: events.slice(10) };
    expect(cut.resume(later)).toBe(true);
    expect(cut.events()).toEqual(events);
    const gap = new RunRecording(run.snapshot);
    gap.record(events.slice(0, 5));
    expect(gap.resume({ ...later, events: events.slice(50) })).toBe(false);
    expect(gap.length).toBe(0);
    expect(gap.snapshot.seq).toBe(later.seq);
  });
});
