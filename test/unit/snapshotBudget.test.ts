import { describe, expect, it } from "vitest";
import type { FlowEvent, QueuedMessage, Task } from "../../common/events.js";
import { budgetSnapshot, sharedSnapshots, type SnapshotParts } from "../../server/events/snapshotBudget.js";

const task = (id: number): Task => ({ id, title: `task ${id}`.padEnd(150, "."), status: "completed", messageId: `m${id}`, createdAt: "t", updatedAt: "t", completedAt: "t", attempts: 1, sendError: null, lastError: null });
const event = (seq: number): FlowEvent => ({ type: "task.created", taskId: seq, task: task(seq), seq, at: seq });
const message = (i: number): QueuedMessage => ({ messageId: `m${i}`, taskId: i, body: "x".repeat(256), bodyLength: 1_000_000, truncated: true, receiveCount: 0, sentAt: i, state: "visible", visibleAt: null });
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

function parts(tasks: number, events: number, messages: number): SnapshotParts {
  return {
    seq: events,
    tasks: Array.from({ length: tasks }, (_, i) => task(i + 1)),
    events: Array.from({ length: events }, (_, i) => event(i + 1)),
    queues: [{ name: "q", url: "u", visible: messages, inFlight: 0, delayed: 0, messages: Array.from({ length: messages }, (_, i) => message(i + 1)) }],
  };
}

describe("a snapshot within its byte budget", () => {
  it("is sent whole, with no omitted field, when everything fits", () => {
    const all = parts(3, 3, 3);
    expect(budgetSnapshot(all, 1024 * 1024)).toEqual(all);
  });

  it("never weighs more than the budget, however much there is", () => {
    for (const budget of [4 * 1024, 64 * 1024, 1024 * 1024]) expect(bytes(budgetSnapshot(parts(10_000, 500, 200), budget))).toBeLessThanOrEqual(budget);
  });

  it("keeps the newest tasks and events, oldest first, and counts what it left out", () => {
    const snapshot = budgetSnapshot(parts(10_000, 500, 200), 256 * 1024);
    const [firstTask, lastTask] = [snapshot.tasks[0]?.id ?? 0, snapshot.tasks.at(-1)?.id];
    expect(lastTask).toBe(10_000);
    expect(snapshot.tasks.map((t) => t.id)).toEqual(Array.from({ length: snapshot.tasks.length }, (_, i) => firstTask + i));
    expect(snapshot.events.at(-1)?.seq).toBe(500);
    expect(snapshot.omitted).toEqual({ tasks: 10_000 - snapshot.tasks.length, events: 500 - snapshot.events.length, messages: 200 - (snapshot.queues[0]?.messages.length ?? 0), budgetBytes: 256 * 1024 });
    expect(snapshot.tasks.length).toBeGreaterThan(0);
  });

  it("keeps every queue's counts whole when it lists fewer of its messages", () => {
    const snapshot = budgetSnapshot(parts(0, 0, 200), 8 * 1024);
    expect(snapshot.queues[0]).toMatchObject({ visible: 200, inFlight: 0, delayed: 0 });
    expect(snapshot.queues[0]?.messages.length).toBeLessThan(200);
  });

  it("counts the messages a queue holds beyond those inspection listed", () => {
    const all = parts(0, 0, 2);
    const queue = { ...all.queues[0]!, visible: 50 };
    expect(budgetSnapshot({ ...all, queues: [queue] }, 1024 * 1024).omitted).toEqual({ tasks: 0, events: 0, messages: 48, budgetBytes: 1024 * 1024 });
  });
});

describe("snapshots shared by pages asking together", () => {
  const setup = () => {
    const world = { seq: 1, now: 1000, builds: 0 };
    const snapshot = sharedSnapshots(
      () => ({ ...parts(1, 1, 1), seq: world.seq, builds: ++world.builds }),
      () => world.seq,
      () => world.now,
      100,
    );
    return { world, snapshot };
  };

  it("builds one snapshot for requests made while no event happened", () => {
    const { world, snapshot } = setup();
    const first = snapshot();
    world.now += 99;
    expect(snapshot()).toBe(first);
    expect(world.builds).toBe(1);
  });

  it("builds a new one once an event has happened", () => {
    const { world, snapshot } = setup();
    const first = snapshot();
    world.seq += 1;
    expect(snapshot()).not.toBe(first);
    expect(snapshot().seq).toBe(2);
  });

  it("builds a new one once the sharing time has passed, so countdowns stay current", () => {
    const { world, snapshot } = setup();
    const first = snapshot();
    world.now += 100;
    expect(snapshot()).not.toBe(first);
  });
});
