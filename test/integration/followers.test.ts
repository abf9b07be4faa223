import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientToServerEvents, PresenterPosition, ServerToClientEvents } from "../../common/events.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

type PlaygroundSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function connect(url: string, presenter?: string): Promise<PlaygroundSocket> {
  const socket: PlaygroundSocket = io(url, { transports: ["websocket"], forceNew: true, ...(presenter ? { auth: { presenter } } : {}) });
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once("snapshot", () => resolve()));
  return socket;
}

async function withFollower(logs: string[] = []): Promise<{ playground: TestPlayground; presenter: PlaygroundSocket; follower: PlaygroundSocket }> {
  const playground = await playgrounds.start({}, undefined, { presenterToken: "presenter-secret-1234", log: (message) => void logs.push(message) });
  const presenter = await connect(playground.url, playground.presenterToken);
  const follower = await connect(playground.url);
  await follower.emitWithAck("follow:join");
  return { playground, presenter, follower };
}

const position: PresenterPosition = { lessonId: "retries-and-dlq", step: 2, seq: null };

describe("presenter and followers over Socket.IO", () => {
  it("hands the presenter's announced position to every follower", async () => {
    const { presenter, follower } = await withFollower();
    const heard = new Promise<PresenterPosition>((resolve) => follower.once("presenter:position", resolve));
    const reply = await presenter.emitWithAck("presenter:announce", position);
    expect(reply).toEqual({ data: { followers: 1 } });
    await expect(heard).resolves.toEqual(position);
  });

  it("tells a follower joining late where the presenter is", async () => {
    const { playground, presenter } = await withFollower();
    await presenter.emitWithAck("presenter:announce", position);
    const late = await connect(playground.url);
    await expect(late.emitWithAck("follow:join")).resolves.toEqual({ data: position });
  });

  it("refuses an announcement without the presenter token, so nobody else can steer the followers", async () => {
    const { playground } = await withFollower();
    const stranger = await connect(playground.url);
    const reply = await stranger.emitWithAck("presenter:announce", position);
    expect(reply).toMatchObject({ error: { code: "PresenterTokenRequired" } });
  });

  it("refuses an announcement that is not a position", async () => {
    const { presenter } = await withFollower();
    const reply = await presenter.emitWithAck("presenter:announce", { lessonId: "x", step: 0 });
    expect(reply).toMatchObject({ error: { code: "InvalidPosition" } });
  });

  it("refuses a follower's control action over the socket, changes nothing and logs it", async () => {
    const logs: string[] = [];
    const { playground, follower } = await withFollower(logs);
    const reply = await follower.emitWithAck("faults:set", { failRate: 1 });
    expect(reply).toMatchObject({ error: { code: "PresenterTokenRequired", message: expect.stringContaining("read-only") } });
    expect(playground.controls.faults().failRate).toBe(0);
    expect(logs.some((line) => line.includes("refused faults:set from a follower"))).toBe(true);
  });

  it("lets the presenter's socket act while followers watch", async () => {
    const { playground, presenter } = await withFollower();
    const reply = await presenter.emitWithAck("faults:set", { failRate: 0.5 });
    expect(reply).toEqual({ data: expect.objectContaining({ failRate: 0.5 }) });
    expect(playground.controls.faults().failRate).toBe(0.5);
  });

  it("counts followers for every page, down again when one leaves", async () => {
    const { presenter, follower } = await withFollower();
    const counts: number[] = [];
    presenter.on("classroom:followers", (n) => counts.push(n));
    follower.disconnect();
    await expect.poll(() => counts.at(-1)).toBe(0);
  });
});

describe("control actions over HTTP while followers watch", () => {
  it("refuses a request without the presenter token with 403 PresenterTokenRequired, and logs it", async () => {
    const logs: string[] = [];
    const { playground } = await withFollower(logs);
    const response = await playground.send("PUT", "/api/faults", { failRate: 1 });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "PresenterTokenRequired" } });
    expect(playground.controls.faults().failRate).toBe(0);
    expect((await playground.post("/tasks", { title: "from a follower" })).status).toBe(403);
    expect(playground.store.list()).toEqual([]);
    expect(logs.some((line) => line.includes("refused PUT /api/faults"))).toBe(true);
  });

  it("accepts the presenter token as a bearer token", async () => {
    const { playground } = await withFollower();
    const response = await fetch(`${playground.url}/api/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${playground.presenterToken}` },
      body: JSON.stringify({ failRate: 1 }),
    });
    expect(response.status).toBe(200);
  });

  it("still answers reads and lesson checks without the token", async () => {
    const { playground } = await withFollower();
    expect((await playground.get("/api/faults")).status).toBe(200);
    expect((await playground.post("/api/lessons/the-whole-flow/checks", { step: 0, index: 0 })).status).toBe(200);
  });

  it("needs no token while nobody follows, as on a learner's own machine", async () => {
    const playground = await playgrounds.start();
    expect((await playground.send("PUT", "/api/faults", { failRate: 1 })).status).toBe(200);
  });

  it("sends /follow to the follower page", async () => {
    const playground = await playgrounds.start();
    const response = await fetch(`${playground.url}/follow`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/?follow");
  });
});
