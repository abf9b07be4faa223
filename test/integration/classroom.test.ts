import { networkInterfaces } from "node:os";
import { io, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../common/events.js";
import { makeDataDir, playgroundPerFile, removeDataDir } from "../helpers/playground.js";
import { spawnServer } from "../helpers/process.js";
import { curlJson, rawRequest } from "../helpers/rawHttp.js";

const PRESENTER_TOKEN = "presenter-token-for-tests-0123456789";
const bearer = { authorization: `Bearer ${PRESENTER_TOKEN}` };
/** This machine's address on a network, if it has one: how the audience reaches a classroom. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((entry) => entry.family === "IPv4" && !entry.internal)?.address;

const playground = playgroundPerFile({ HOST: "0.0.0.0", CLASSROOM: "true", PRESENTER_TOKEN, TRIGGER_ENABLED: "false" });

const world = () => ({ tasks: playground().store.list().length, faults: playground().controls.faults(), stepMode: playground().gate.isEnabled, seq: playground().events.lastSeq });

type PlaygroundSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
async function connect(auth: Record<string, unknown>): Promise<PlaygroundSocket> {
  const socket: PlaygroundSocket = io(playground().url, { transports: ["websocket"], forceNew: true, auth });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

describe("a classroom (HOST=0.0.0.0 CLASSROOM=true)", () => {
  it.each([
    ["no token", {}],
    ["a wrong token", { authorization: `Bearer ${"x".repeat(PRESENTER_TOKEN.length)}` }],
    ["the token in the wrong scheme", { authorization: `Basic ${PRESENTER_TOKEN}` }],
  ])("refuses control actions with %s, even from this machine, and changes nothing", async (_name, headers) => {
    const before = world();
    for (const [method, path, body] of [["PUT", "/api/faults", { failRate: 1 }], ["POST", "/tasks", { title: "x" }], ["POST", "/api/reset", undefined]] as const) {
      const sent = curlJson(body);
      const answer = await rawRequest(playground().url, { method, path, ...sent, headers: { ...sent.headers, ...headers } });
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({ error: { code: "PresenterTokenRequired", message: expect.stringContaining("Authorization: Bearer") } });
    }
    expect(world()).toEqual(before);
  });

  it("lets the presenter act with Authorization: Bearer <token>", async () => {
    const sent = curlJson({ failRate: 0.5 });
    const answer = await rawRequest(playground().url, { method: "PUT", path: "/api/faults", ...sent, headers: { ...sent.headers, ...bearer } });
    expect(answer.status).toBe(200);
    expect(playground().controls.faults().failRate).toBe(0.5);
    playground().controls.setFaults({});
  });

  it("lets the audience read, and evaluate a lesson's checks, without a token", async () => {
    expect((await rawRequest(playground().url, { path: "/api/faults" })).status).toBe(200);
    const check = await rawRequest(playground().url, { method: "POST", path: "/api/lessons/the-whole-flow/checks", ...curlJson({ step: 0, index: 0 }) });
    expect(check.status).toBe(200);
  });

  it("answers control events over Socket.IO only for the presenter", async () => {
    const audience = await connect({});
    const presenter = await connect({ presenter: PRESENTER_TOKEN });
    try {
      const before = world();
      expect(await audience.emitWithAck("faults:set", { failRate: 1 })).toMatchObject({ error: { code: "PresenterTokenRequired" } });
      expect(await audience.emitWithAck("step-mode:next")).toMatchObject({ error: { code: "PresenterTokenRequired" } });
      expect(world()).toEqual(before);
      expect(await audience.emitWithAck("faults:get")).toEqual({ data: playground().controls.faults() });
      expect(await presenter.emitWithAck("faults:set", { delayMs: 1 })).toMatchObject({ data: { delayMs: 1 } });
      expect(await presenter.emitWithAck("faults:set", {})).toMatchObject({ data: { delayMs: 0 } });
    } finally {
      audience.disconnect();
      presenter.disconnect();
    }
  });

  it.skipIf(!lanAddress)("serves the audience on this machine's network address, and the presenter from there too", async () => {
    const url = playground().url.replace("localhost", lanAddress ?? "");
    const host = new URL(url).host;
    expect((await rawRequest(url, { path: "/api/lessons", headers: { host } })).status).toBe(200);
    const sent = curlJson({});
    const answer = await rawRequest(url, { method: "PUT", path: "/api/faults", headers: { ...sent.headers, ...bearer, host, origin: `http://${host}` }, body: "{}" });
    expect(answer.status).toBe(200);
  });
});

describe("starting a classroom", () => {
  it("refuses HOST=0.0.0.0 without CLASSROOM=true, saying how", async () => {
    await expect(spawnServer({ HOST: "0.0.0.0", TRIGGER_ENABLED: "false" })).rejects.toThrow(/set CLASSROOM=true as well/);
  });

  it("prints the presenter URL with its token and a warning that it is reachable from other machines", async () => {
    const dataDir = await makeDataDir();
    const server = await spawnServer({ DATA_DIR: dataDir, HOST: "0.0.0.0", CLASSROOM: "true", PRESENTER_TOKEN, TRIGGER_ENABLED: "false" });
    try {
      expect(server.output()).toMatch(new RegExp(`presenter\\s+http://localhost:\\d+/\\?presenter=${PRESENTER_TOKEN}`));
      const deadline = Date.now() + 10_000;
      while (!server.output().includes("warning: classroom mode") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(server.output()).toMatch(/warning: classroom mode: bound to 0\.0\.0\.0.*control actions need the presenter token/);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
      await removeDataDir(dataDir);
    }
  });
});
