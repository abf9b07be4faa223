// Issue 14, item 4: fifteen pages after a burst of 1 MB messages took the server from 164 MB to
// 3.3 GB, because every snapshot and every message.sent event carried whole bodies. Here the same
// thing at a test-friendly scale, with real sockets: what is sent is asserted, never time or RSS
// (bench/scenarios/memory.ts measures those).
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BODY_PREVIEW_CHARS } from "../../common/bodyPreview.js";
import type { ClientToServerEvents, FlowEvent, MessageBody, Reply, ServerToClientEvents, Snapshot } from "../../common/events.js";
import { SNAPSHOT_BUDGET_BYTES } from "../../server/events/snapshotBudget.js";
import { isType, playgroundPerTest, removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

type PageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const MESSAGES = 10;
const BODY_CHARS = 1_000_000;
const CLIENTS = 15;
const SNAPSHOTS_EACH = 4;
/** A message.sent event, its preview included, is a few hundred bytes; a whole body would be a megabyte. */
const EVENT_BYTES_AT_MOST = 2 * 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
/** A task-shaped body of about 1 MB: its task id must still be read from it, before it is cut. */
const bigBody = (taskId: number) => JSON.stringify({ task_id: taskId, title: "x".repeat(BODY_CHARS) });

const sockets: PageSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

function connect(url: string, auth: Record<string, unknown> = {}): { socket: PageSocket; snapshot: Promise<Snapshot>; events: FlowEvent[] } {
  const socket: PageSocket = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth });
  sockets.push(socket);
  const events: FlowEvent[] = [];
  socket.on("events", (batch) => events.push(...batch));
  return { socket, snapshot: new Promise((resolve) => socket.once("snapshot", resolve)), events };
}

const ask = <T>(socket: PageSocket, send: (reply: (answer: Reply<T>) => void) => void) => new Promise<Reply<T>>((resolve) => send(resolve));
const snapshotOf = (socket: PageSocket) => ask<Snapshot>(socket, (reply) => socket.emit("snapshot:get", reply));
const bodyOf = (socket: PageSocket, request: unknown) => ask<MessageBody>(socket, (reply) => socket.emit("message:body", request, reply));

/**
 * Socket.IO's long-polling transport, by hand: two events in one POST are handled in one go,
 * and nothing is written until the next GET, so "while the first answer is still being sent" and
 * "a page that does not read" are exact rather than races.
 */
async function pollingSession(url: string) {
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base)).text();
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const at = `${base}&sid=${sid}`;
  const packets = async () => (await (await fetch(at)).text()).split("\x1e");
  const status = async () => (await fetch(at)).status;
  const post = async (body: string) => expect(await (await fetch(at, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } })).text()).toBe("ok");
  return { packets, post, status };
}

describe("10 messages of 1 MB, with pages connected", () => {
  let playground: TestPlayground;
  const watcher: { events: FlowEvent[] } = { events: [] };
  const sent: string[] = [];

  beforeAll(async () => {
    playground = await startTestPlayground({ TRIGGER_ENABLED: "false" });
    const page = connect(playground.url);
    await page.snapshot;
    watcher.events = page.events;
    const sqs = new SQSClient({ region: "us-east-1", endpoint: playground.sqsEndpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    for (let taskId = 1; taskId <= MESSAGES; taskId += 1) {
      const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: playground.queues.queueUrl, MessageBody: bigBody(taskId) }));
      sent.push(MessageId as string);
    }
    sqs.destroy();
    const deadline = Date.now() + 10_000;
    while (watcher.events.filter((e) => e.type === "message.sent").length < MESSAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }, 60_000);
  afterAll(async () => {
    await playground.stop();
    await removeDataDir(playground.dataDir);
  });

  it("sends pages message.sent events with a preview of the body, its whole length and the task id read from the whole body", () => {
    const events = watcher.events.filter(isType("message.sent"));
    expect(events.map((e) => e.taskId)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
    for (const event of events) {
      expect(event.body).toBe(bigBody(event.taskId as number).slice(0, BODY_PREVIEW_CHARS));
      expect(event).toMatchObject({ bodyLength: bigBody(event.taskId as number).length, truncated: true });
      expect(bytes(event)).toBeLessThanOrEqual(EVENT_BYTES_AT_MOST);
    }
  });

  it(`sends ${CLIENTS} pages asking for snapshots over and over snapshots within the budget, with message bodies cut to a preview`, { timeout: 120_000 }, async () => {
    const pages = Array.from({ length: CLIENTS }, () => connect(playground.url));
    const snapshots = await Promise.all(
      pages.map(async ({ socket, snapshot }) => {
        const got = [await snapshot];
        for (let i = 0; i < SNAPSHOTS_EACH; i += 1) {
          const reply = await snapshotOf(socket);
          if ("error" in reply) throw new Error(`${reply.error.code}: ${reply.error.message}`);
          got.push(reply.data);
        }
        return got;
      }),
    );
    expect(snapshots.flat()).toHaveLength(CLIENTS * (SNAPSHOTS_EACH + 1));
    for (const snapshot of snapshots.flat()) {
      expect(bytes(snapshot)).toBeLessThanOrEqual(SNAPSHOT_BUDGET_BYTES);
      const messages = snapshot.queues[0]?.messages ?? [];
      expect(messages).toHaveLength(MESSAGES);
      for (const message of messages) expect(message).toMatchObject({ bodyLength: bigBody(message.taskId as number).length, truncated: true, body: expect.stringMatching(/^\{"task_id":/) });
      for (const message of messages) expect(message.body.length).toBeLessThanOrEqual(BODY_PREVIEW_CHARS);
    }
  });

  it("cuts bodies in GET /api/queues to the same preview", async () => {
    const queues = (await (await playground.get("/api/queues")).json()) as Snapshot["queues"];
    expect(queues[0]?.messages.map((m) => [m.body.length, m.truncated])).toEqual(Array.from({ length: MESSAGES }, () => [BODY_PREVIEW_CHARS, true]));
  });

  it("answers message:body with one message's whole body, to a follower as well", async () => {
    const { socket, snapshot } = connect(playground.url);
    await snapshot;
    await ask(socket, (reply) => socket.emit("follow:join", reply));
    const reply = await bodyOf(socket, { messageId: sent[3] });
    expect(reply).toEqual({ data: { messageId: sent[3], queue: "interview-queue", body: bigBody(4), bodyLength: bigBody(4).length } });
  });

  it.each([
    ["no body", undefined],
    ["a string", "abc"],
    ["no messageId", {}],
    ["a messageId that is not an id", { messageId: "../../etc" }],
    ["an unknown field", { messageId: "a", extra: 1 }],
  ])("refuses message:body with %s: InvalidMessageId", async (_name, request) => {
    const { socket, snapshot } = connect(playground.url);
    await snapshot;
    const reply = await bodyOf(socket, request);
    expect(reply).toEqual({ error: { code: "InvalidMessageId", message: expect.stringContaining('{"messageId": "…"}') } });
  });

  it("answers MessageNotFound for a message no queue holds, saying only its preview is left", async () => {
    const { socket, snapshot } = connect(playground.url);
    await snapshot;
    const reply = await bodyOf(socket, { messageId: "00000000-0000-0000-0000-000000000000" });
    expect(reply).toEqual({ error: { code: "MessageNotFound", message: expect.stringContaining("only its preview is left") } });
  });

  it("records the trigger's SQS calls with bodies cut to a preview, and marks them so the page offers the whole body", async () => {
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    await playground.send("PATCH", "/api/trigger", { Enabled: true });
    const call = await playground.waitForEvent(isType("sqs.call", (e) => e.call.operation === "ReceiveMessage" && ((e.call.response as { Messages?: unknown[] }).Messages?.length ?? 0) > 0));
    await playground.send("PATCH", "/api/trigger", { Enabled: false });
    const bodies = ((call.call.response as { Messages: { Body: string }[] }).Messages ?? []).map((m) => m.Body);
    for (const body of bodies) expect(body).toMatch(new RegExp(`^.{${BODY_PREVIEW_CHARS}}… \\(\\d+ characters\\)$`, "s"));
    expect(call.call.bodiesCut).toBe(true);
    expect(bytes(call)).toBeLessThanOrEqual(bodies.length * EVENT_BYTES_AT_MOST);
  });
});

describe("one heavy reply at a time per connection", () => {
  const playgrounds = playgroundPerTest();

  it("answers a third snapshot:get sent while one is on its way and another waits with RequestInProgress, and the waiting one after the first", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const session = await pollingSession(playground.url);
    await session.post("40");
    // Read until the connect snapshot has gone out, and the no-op written after it (the connection is free again).
    let seen: string[] = [];
    while (!seen.some((p) => p.startsWith('42["snapshot"')) || seen.at(-1) !== "6") seen = [...seen, ...(await session.packets())];
    await session.post('421["snapshot:get"]\x1e422["snapshot:get"]\x1e423["snapshot:get"]');
    // Acknowledgements are `43<id>[answer]`, in the order they were written; each GET takes what is ready.
    const answers: Record<string, Reply<Snapshot>> = {};
    while (Object.keys(answers).length < 3) {
      for (const p of (await session.packets()).filter((p) => p.startsWith("43"))) answers[p.slice(2, p.indexOf("["))] = (JSON.parse(p.slice(p.indexOf("["))) as [Reply<Snapshot>])[0];
    }
    expect(answers["1"]).toHaveProperty("data.seq");
    expect(answers["2"]).toHaveProperty("data.seq");
    expect(answers["3"]).toEqual({ error: { code: "RequestInProgress", message: expect.stringContaining("ask again once an answer has arrived") } });
  });

  it("refuses the connection after MAX_CONNECTIONS with TooManyConnections, which the page can show", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", MAX_CONNECTIONS: "2" });
    const [a, b] = [connect(playground.url), connect(playground.url)];
    await Promise.all([a.snapshot, b.snapshot]);
    const third = connect(playground.url);
    const refusal = await new Promise<Error & { data?: unknown }>((resolve) => third.socket.once("connect_error", resolve));
    expect(refusal.data).toEqual({ code: "TooManyConnections", message: expect.stringContaining("already has 2 pages connected (MAX_CONNECTIONS)") });
    expect(refusal.message).toBe((refusal.data as { message: string }).message);
  });

  it("lets a page connect again once another has left", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", MAX_CONNECTIONS: "1" });
    const first = connect(playground.url);
    await first.snapshot;
    first.socket.disconnect();
    const deadline = Date.now() + 5000;
    while (playground.io.of("/").sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await expect(connect(playground.url).snapshot).resolves.toMatchObject({ seq: expect.any(Number) });
  });

  it("keeps a snapshot over its budget within it: the newest tasks, and how many older ones were left out", async () => {
    const budget = 8 * 1024;
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" }, undefined, { snapshotBudgetBytes: budget });
    for (let i = 1; i <= 40; i += 1) await playground.post("/tasks", { title: `task number ${i}, with a title long enough to weigh something` });
    const { snapshot } = connect(playground.url);
    const got = await snapshot;
    expect(bytes(got)).toBeLessThanOrEqual(budget);
    expect(got.omitted).toMatchObject({ budgetBytes: budget, tasks: 40 - got.tasks.length, events: expect.any(Number), messages: expect.any(Number) });
    expect(got.tasks.length).toBeGreaterThan(0);
    expect(got.tasks.map((t) => t.id)).toEqual(Array.from({ length: got.tasks.length }, (_, i) => 40 - got.tasks.length + 1 + i));
    expect(got.events.at(-1)?.seq).toBe(got.seq);
  });
});

describe("a page that does not read", () => {
  const playgrounds = playgroundPerTest();

  it("is disconnected once its unsent events pass the backlog limit, while a page that reads keeps its connection", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" }, undefined, { socketBacklogBytes: 32 * 1024 });
    const reading = connect(playground.url);
    await reading.snapshot;
    // Long-polling with no GET after the connect: everything sent to it waits in the server.
    const stalled = await pollingSession(playground.url);
    await stalled.post("40");
    for (let i = 0; i < 100; i += 1) await playground.post("/tasks", { title: `task ${i}` });
    expect(await stalled.status()).toBe(400);
    const deadline = Date.now() + 5000;
    while (reading.events.filter((e) => e.type === "task.created").length < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(reading.socket.connected).toBe(true);
    expect(reading.events.filter((e) => e.type === "task.created")).toHaveLength(100);
  });
});
