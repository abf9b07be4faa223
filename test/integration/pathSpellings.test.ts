import { connect } from "node:net";
import { io, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../common/events.js";
import { playgroundPerFile, type TestPlayground } from "../helpers/playground.js";
import { rawRequest } from "../helpers/rawHttp.js";
import { registeredRoutes } from "../helpers/routes.js";

// Every route that can change something, with a body that would change the world if the route ran.
// A route added without a sample here fails the first test: the matrix below must cover it.
const SAMPLES: Record<string, unknown> = {
  "POST /tasks": { title: "through another spelling" },
  "PATCH /api/trigger": { Enabled: true, BatchSize: 7 },
  "PATCH /api/trigger/fifo": { Enabled: true, BatchSize: 7 },
  "PATCH /api/function": { Timeout: 4 },
  "PUT /api/faults": { failRate: 1 },
  "PUT /api/step-mode": { enabled: true },
  "POST /api/step-mode/next": undefined,
  "POST /api/reset": undefined,
  "POST /api/redrive": undefined,
  "POST /api/trial": undefined,
  "POST /api/lessons/:id/checks": { step: 0, index: 0 },
  "POST /api/lessons/:id/predictions": { step: 0, index: 0 },
  // A deploy or a reset publishes function.deployed, so the event count shows one that got through.
  "PUT /api/function/code": { language: "nodejs", code: "export const handler = async () => ({});" },
  "DELETE /api/function/code": undefined,
  "POST /api/drill/checks": { question: "timeout-mid-batch", index: 0 },
};
/** POSTs that only read: in a classroom anyone may send them, but never from another site. */
const READS = new Set(["POST /api/lessons/:id/checks", "POST /api/lessons/:id/predictions", "POST /api/drill/checks"]);
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The same path written the ways a router and a guard could disagree on. */
function spellings(path: string): string[] {
  const [, first = "", rest = ""] = /^\/([^/]+)(.*)$/.exec(path) ?? [];
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  return [
    path,
    path.toUpperCase(),
    `/${first[0]?.toUpperCase()}${first.slice(1)}${rest}`,
    `/${first.toUpperCase()}${rest}`,
    `/${path}`,
    `/${first}/..${path}`,
    `/${first}/.${rest}`,
    rest ? `/${first}%2F${rest.slice(1)}` : `${path}%2F`,
    rest ? `/${first}%2f${rest.slice(1)}` : `${path}%2f`,
    `/${encodedFirst}${rest}`,
    `/${first}.${rest}`,
    `${path}.`,
    `${path}/`,
    `${path}?via=query`,
    `${path}%00`,
  ];
}

const lessonPath = (path: string) => path.replace(":id", "the-whole-flow");

function mutatingRoutes(playground: TestPlayground): { key: string; path: string; method: string; body: unknown }[] {
  return registeredRoutes(playground.api)
    .filter((route) => !SAFE.has(route.method) && !route.path.startsWith("/internal/"))
    .map((route) => {
      const key = `${route.method} ${route.path}`;
      return { key, method: route.method, path: lessonPath(route.path), body: SAMPLES[key] };
    });
}

/** Everything a control action could change. */
const worldOf = (playground: TestPlayground) => ({
  tasks: playground.store.list().length,
  faults: playground.controls.faults(),
  trigger: playground.trigger.settings,
  function: playground.controls.functionView(),
  stepMode: playground.gate.isEnabled,
  seq: playground.events.lastSeq,
});

const send = (playground: TestPlayground, method: string, path: string, body: unknown, headers: Record<string, string>) =>
  rawRequest(playground.url, { method, path, headers: { "content-type": "application/json", ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/**
 * Sends every spelling of every route that changes something with these headers: each must be
 * refused (or reach no route) and change nothing. POSTs that only read may answer 200 when
 * `readsPass` (a classroom lets anyone check a lesson).
 */
async function expectEverySpellingRefused(playground: TestPlayground, headers: Record<string, string>, readsPass: boolean): Promise<void> {
  for (const route of mutatingRoutes(playground)) {
    for (const path of spellings(route.path)) {
      const before = worldOf(playground);
      const answer = await send(playground, route.method, path, route.body, headers);
      const allowed = readsPass && READS.has(route.key) ? [200, 400, 403, 404] : [400, 403, 404];
      expect({ route: route.key, path, status: answer.status }).toEqual({ route: route.key, path, status: expect.toBeOneOf(allowed) });
      expect(worldOf(playground)).toEqual(before);
    }
  }
}

describe("every registered route that changes something", () => {
  const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });

  it("has a sample body in this test, so the matrix below covers it", () => {
    const keys = mutatingRoutes(playground()).map((route) => route.key);
    expect(keys.filter((key) => !(key in SAMPLES))).toEqual([]);
    expect(keys.length).toBe(Object.keys(SAMPLES).length);
  });

  it("refuses every spelling of its path under a foreign Host (DNS rebinding) and changes nothing", async () => {
    const port = new URL(playground().url).port;
    await expectEverySpellingRefused(playground(), { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, false);
  });

  it("refuses every spelling of its path from a page on another site (Origin) and changes nothing", async () => {
    await expectEverySpellingRefused(playground(), { origin: "https://evil.example" }, false);
  });

  it("treats a path in capitals as no route at all (404): paths are case-sensitive", async () => {
    const answer = await send(playground(), "POST", "/API/reset", undefined, {});
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error: { code: "NotFound" } });
  });
});

describe("in a classroom, every spelling without the presenter token", () => {
  const playground = playgroundPerFile({ CLASSROOM: "true", PRESENTER_TOKEN: "presenter-token-for-spellings-0123", TRIGGER_ENABLED: "false" });

  it("is refused for every route that changes something, and changes nothing", async () => {
    await expectEverySpellingRefused(playground(), {}, true);
  });

  it("is refused over Socket.IO too, whatever the event's spelling", async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(playground().url, { transports: ["websocket"], forceNew: true });
    try {
      await new Promise<void>((resolve) => socket.once("snapshot", () => resolve()));
      const before = worldOf(playground());
      for (const event of ["faults:set", "FAULTS:SET", "Faults:set", "faults:set ", "faults%3Aset"]) {
        const reply = (await (socket as unknown as Socket).emitWithAck(event, { failRate: 1 })) as { error?: { code: string } };
        expect({ event, code: reply.error?.code }).toEqual({ event, code: expect.toBeOneOf(["PresenterTokenRequired", "UnknownEvent"]) });
      }
      expect(worldOf(playground())).toEqual(before);
    } finally {
      socket.disconnect();
    }
  });
});

describe("while a follower watches on loopback, every spelling without the presenter's credentials", () => {
  const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });

  it("is refused for every route that changes something, and changes nothing", async () => {
    const follower: Socket<ServerToClientEvents, ClientToServerEvents> = io(playground().url, { transports: ["websocket"], forceNew: true });
    try {
      await new Promise<void>((resolve) => follower.once("snapshot", () => resolve()));
      await follower.emitWithAck("follow:join");
      await expectEverySpellingRefused(playground(), {}, true);
    } finally {
      follower.disconnect();
    }
  });
});

describe("Socket.IO's handshake under other spellings of its path", () => {
  const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });

  it.each(["/SOCKET.IO/", "/Socket.io/", "//socket.io/", "/%73ocket.io/", "/socket.io%2F"])("never hands a foreign page a session at %s", async (prefix) => {
    const port = new URL(playground().url).port;
    const answer = await rawRequest(playground().url, { path: `${prefix}?EIO=4&transport=polling`, headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` } });
    expect(answer.status).toBeOneOf([400, 403, 404]);
    expect(answer.text).not.toContain('"sid"');
  });

  it.each(["/TERMINAL", "/Terminal", "/terminal/", "//terminal"])("knows no namespace %s: the terminal is only ever /terminal", async (namespace) => {
    const socket = io(`${playground().url}${namespace}`, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: playground().terminalToken } });
    try {
      const error = await new Promise<Error>((resolve, reject) => {
        socket.once("connect_error", resolve);
        socket.once("connect", () => reject(new Error(`connected to ${namespace}`)));
      });
      expect(error.message).toBe("Invalid namespace");
    } finally {
      socket.disconnect();
    }
  });

  it("answers a refused WebSocket upgrade with 400 Bad Request, the reason as text, and closes the connection", async () => {
    const port = Number(new URL(playground().url).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(
          [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            `Host: localhost:${port}`,
            "Origin: https://evil.example",
            "Connection: Upgrade",
            "Upgrade: websocket",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "",
            "",
          ].join("\r\n"),
        );
      });
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toContain("ForeignOrigin: ");
  });
});
