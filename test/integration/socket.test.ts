import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientToServerEvents, FlowEvent, ServerToClientEvents, Snapshot, Task } from "../../common/events.js";
import { EVENTS_PER_PACKET } from "../../server/events/socketServer.js";
import { playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

function connect(url: string): { socket: Socket<ServerToClientEvents, ClientToServerEvents>; snapshot: Promise<Snapshot>; events: FlowEvent[] } {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ["websocket"], forceNew: true });
  sockets.push(socket);
  const events: FlowEvent[] = [];
  const snapshot = new Promise<Snapshot>((resolve) => socket.once("snapshot", resolve));
  socket.on("events", (batch) => events.push(...batch));
  return { socket, snapshot, events };
}

const until = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("the live event stream over Socket.IO", () => {
  it("sends a snapshot of tasks and queues on connect", async () => {
    const playground = await playgrounds.start();
    const { snapshot } = connect(playground.url);
    const first = await snapshot;
    expect(first.tasks).toEqual([]);
    expect(first.queues.map((q) => q.name)).toEqual(["interview-queue", "interview-queue-dlq", "interview-queue.fifo", "interview-queue-dlq.fifo"]);
    expect(first.queues[0]?.url).toBe(playground.queues.queueUrl);
    expect(first.seq).toBe(playground.events.lastSeq);
  });

  it("delivers one flow's events to a real client in sequence order", async () => {
    const playground = await playgrounds.start();
    const { snapshot, events } = connect(playground.url);
    const { seq } = await snapshot;
    const task = (await (await playground.post("/tasks", { title: "watched" })).json()) as Task;
    await until(() => events.some((e) => e.type === "message.deleted" && e.messageId === task.messageId));

    const live = events.filter((e) => e.seq > seq);
    expect(live.map((e) => e.seq)).toEqual(live.map((_, i) => seq + 1 + i));
    const types = live.map((e) => e.type);
    for (const [before, after] of [["task.created", "message.sent"], ["message.sent", "message.received"], ["message.received", "lambda.invoked"], ["lambda.invoked", "lambda.completed"], ["lambda.completed", "message.deleted"]] as const) {
      expect(types.indexOf(before), `${before} before ${after} in ${types.join(",")}`).toBeLessThan(types.indexOf(after));
    }
    const completed = live.find((e) => e.type === "task.updated" && e.task.status === "completed");
    expect(completed).toMatchObject({ taskId: task.id });
  });

  it("slices a tick of many events into packets of at most EVENTS_PER_PACKET, in order, none lost", async () => {
    const playground = await playgrounds.start();
    const { socket, snapshot, events } = connect(playground.url);
    const { seq } = await snapshot;
    const packets: number[] = [];
    socket.on("events", (batch) => packets.push(batch.length));
    // One tick: every publish lands in the same flush.
    for (let i = 0; i < 2 * EVENTS_PER_PACKET + 50; i++) playground.events.publish({ type: "message.deleted", queue: "interview-queue", messageId: `sliced-${i}`, taskId: null });
    await until(() => events.filter((e) => e.seq > seq).length >= 2 * EVENTS_PER_PACKET + 50);

    expect(packets).toEqual([EVENTS_PER_PACKET, EVENTS_PER_PACKET, 50]);
    const live = events.filter((e) => e.seq > seq);
    expect(live.map((e) => e.seq)).toEqual(live.map((_, i) => seq + 1 + i));
  });

  it("answers snapshot:get with the current state", async () => {
    const playground = await playgrounds.start();
    const { socket, snapshot } = connect(playground.url);
    await snapshot;
    await playground.post("/tasks", { title: "in the snapshot" });
    const reply = await socket.emitWithAck("snapshot:get");
    expect("data" in reply && reply.data.tasks.map((t) => t.title)).toEqual(["in the snapshot"]);
  });
});
