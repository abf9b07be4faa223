import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../common/events.js";
import { playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { terminalsPerTest } from "../helpers/terminal.js";

// A learner opens the printed link (`/?token=<run token>`) and, on the same machine, a /follow page
// (a second screen, a colleague's tab). The learner's page and terminal act as the presenter; the
// follower stays read-only.
const playgrounds = playgroundPerTest();
const terminals = terminalsPerTest();
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

type PlaygroundSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function connect(url: string, auth: Record<string, unknown> = {}): Promise<PlaygroundSocket> {
  const socket: PlaygroundSocket = io(url, { transports: ["websocket"], forceNew: true, auth });
  sockets.push(socket as Socket);
  await new Promise<void>((resolve) => socket.once("snapshot", () => resolve()));
  return socket;
}

/** A playground on loopback with one follower page watching; `followerAuth` is what the follower's handshake sends. */
async function watched(env: Record<string, string> = {}, followerAuth: Record<string, unknown> = {}): Promise<{ playground: TestPlayground; follower: PlaygroundSocket }> {
  const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", ...env });
  const follower = await connect(playground.url, followerAuth);
  await follower.emitWithAck("follow:join");
  expect(playground.classroom.followers).toBe(1);
  return { playground, follower };
}

/** A control request as the learner's page sends it: its run token as the bearer credential. */
const fromLearnerPage = (playground: TestPlayground, method: string, path: string, body?: unknown) =>
  fetch(`${playground.url}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${playground.terminalToken}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("the learner's own page while a follower watches on the same machine", () => {
  it("runs its HTTP controls with the printed link's run token", async () => {
    const { playground } = await watched();
    expect((await fromLearnerPage(playground, "PUT", "/api/faults", { failRate: 0.5 })).status).toBe(200);
    expect((await fromLearnerPage(playground, "POST", "/tasks", { title: "the learner's task" })).status).toBe(201);
    expect((await fromLearnerPage(playground, "POST", "/api/reset")).status).toBe(200);
  });

  it("runs its Socket.IO controls with the run token in the handshake", async () => {
    const { playground } = await watched();
    const page = await connect(playground.url, { presenter: playground.terminalToken });
    expect(await page.emitWithAck("faults:set", { failRate: 0.25 })).toEqual({ data: expect.objectContaining({ failRate: 0.25 }) });
    expect(playground.controls.faults().failRate).toBe(0.25);
  });

  it("is refused without a credential, as any other client is", async () => {
    const { playground } = await watched();
    expect((await playground.send("PUT", "/api/faults", { failRate: 1 })).status).toBe(403);
    expect(playground.controls.faults().failRate).toBe(0);
  });
});

describe("the learner's terminal while a follower watches on the same machine", () => {
  it("runs the lessons' curl commands unchanged: curl sends the shell's own token", async () => {
    const { playground } = await watched();
    const terminal = terminals.open(playground.url, { token: playground.terminalToken });
    const port = new URL(playground.url).port;
    terminal.type(`curl -s -o /dev/null -w 'faults-%{http_code}\\n' -X PUT http://localhost:${port}/api/faults -H "Content-Type: application/json" -d '{"failRate": 1}'`);
    await terminal.waitFor(/faults-200/);
    terminal.type(`curl -s -o /dev/null -w 'task-%{http_code}\\n' -X POST $PLAYGROUND_URL/tasks -H "Content-Type: application/json" -d '{"title": "from the terminal"}'`);
    await terminal.waitFor(/task-201/);
    expect(playground.controls.faults().failRate).toBe(1);
  });

  it("does not give its shell the run token, which opens a terminal", async () => {
    const { playground } = await watched();
    const terminal = terminals.open(playground.url, { token: playground.terminalToken });
    terminal.type(`cat "$CURL_HOME/netrc" "$CURL_HOME/.curlrc"; env; echo listed-$((1+1))`);
    const output = await terminal.waitFor(/listed-2/);
    expect(output).toMatch(/machine localhost login playground password \S+/);
    expect(output).not.toContain(playground.terminalToken);
  });
});

describe("the follower while the learner acts", () => {
  it("stays read-only: its own control attempts are refused", async () => {
    const { playground, follower } = await watched();
    expect(await follower.emitWithAck("faults:set", { failRate: 1 })).toMatchObject({ error: { code: "PresenterTokenRequired" } });
    expect(await follower.emitWithAck("step-mode:set", { enabled: true })).toMatchObject({ error: { code: "PresenterTokenRequired" } });
    expect(playground.controls.faults().failRate).toBe(0);
    expect(playground.gate.isEnabled).toBe(false);
  });

  it("stays read-only even when its handshake carries the run token (a tab copied from the learner's)", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const follower = await connect(playground.url, { presenter: playground.terminalToken });
    await follower.emitWithAck("follow:join");
    expect(await follower.emitWithAck("faults:set", { failRate: 1 })).toMatchObject({ error: { code: "PresenterTokenRequired", message: expect.stringContaining("read-only") } });
    expect(playground.controls.faults().failRate).toBe(0);
  });
});

describe("a real classroom", () => {
  it("does not count the run token as the presenter's: only the presenter token acts", async () => {
    const playground = await playgrounds.start({ CLASSROOM: "true", TRIGGER_ENABLED: "false" });
    const refused = await fromLearnerPage(playground, "PUT", "/api/faults", { failRate: 1 });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "PresenterTokenRequired" } });
    expect(playground.controls.faults().failRate).toBe(0);
  });
});

describe("a page that sends a token this run did not give out (its link is from an earlier run)", () => {
  /** The handshake's refusal (connect_error data), or "connected". */
  const handshake = (url: string, auth: Record<string, unknown>) =>
    new Promise<unknown>((resolve) => {
      const socket = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth });
      sockets.push(socket);
      socket.once("connect", () => resolve("connected"));
      socket.once("connect_error", (error) => resolve((error as Error & { data?: unknown }).data));
    });

  it("is refused at the handshake with UnknownToken, so it never looks live", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const earlier = "0".repeat(playground.terminalToken.length);
    expect(await handshake(playground.url, { presenter: earlier })).toMatchObject({ code: "UnknownToken" });
  });

  it("connects with this run's tokens, or with none", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    expect(await handshake(playground.url, { presenter: playground.terminalToken })).toBe("connected");
    expect(await handshake(playground.url, { presenter: playground.presenterToken })).toBe("connected");
    expect(await handshake(playground.url, {})).toBe("connected");
  });
});
