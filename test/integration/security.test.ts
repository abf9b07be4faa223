import type { AddressInfo } from "node:net";
import { io } from "socket.io-client";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ClientToServerEvents, Reply, ServerToClientEvents } from "../../common/events.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { curlJson, rawRequest } from "../helpers/rawHttp.js";

// One playground for the file: every refusal below must leave it exactly as it was.
const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });
let port: string;
beforeAll(() => {
  port = new URL(playground().url).port;
});

/** Everything a control action could change. */
const world = () => ({
  tasks: playground().store.list().length,
  faults: playground().controls.faults(),
  trigger: playground().trigger.settings,
  stepMode: playground().gate.isEnabled,
  seq: playground().events.lastSeq,
});

const CONTROL_ACTIONS: { method: string; path: string; body?: unknown }[] = [
  { method: "POST", path: "/tasks", body: { title: "from another site" } },
  { method: "PUT", path: "/api/faults", body: { failRate: 1 } },
  { method: "PATCH", path: "/api/trigger", body: { Enabled: true } },
  { method: "PATCH", path: "/api/function", body: { Timeout: 4 } },
  { method: "PUT", path: "/api/step-mode", body: { enabled: true } },
  { method: "POST", path: "/api/step-mode/next" },
  { method: "POST", path: "/api/reset" },
  { method: "POST", path: "/api/redrive" },
  { method: "POST", path: "/api/trial" },
];

describe("where the playground listens", () => {
  it("binds 127.0.0.1 by default, so no other machine can reach it", () => {
    const address = playground().io.httpServer.address() as AddressInfo;
    expect(address.address).toBe("127.0.0.1");
  });
});

describe("control actions on loopback", () => {
  it.each(CONTROL_ACTIONS)("accepts $method $path from curl on this machine, without a token", async ({ method, path, body }) => {
    const answer = await rawRequest(playground().url, { method, path, ...curlJson(body) });
    // step-mode/next answers 409 when nothing waits: the guard let it through to the route.
    expect([200, 201, 409]).toContain(answer.status);
    await rawRequest(playground().url, { method: "POST", path: "/api/reset", ...curlJson() });
    await rawRequest(playground().url, { method: "PATCH", path: "/api/trigger", ...curlJson({ Enabled: false }) });
    await rawRequest(playground().url, { method: "PATCH", path: "/api/function", ...curlJson({ Timeout: 3 }) });
  });

  it("accepts the playground's own page (Origin the same as the server's)", async () => {
    const answer = await rawRequest(playground().url, { method: "PUT", path: "/api/faults", headers: { "content-type": "application/json", origin: `http://localhost:${port}` }, body: "{}" });
    expect(answer.status).toBe(200);
  });

  it.each(CONTROL_ACTIONS)("refuses $method $path from a page on another site (cross-site Origin) with 403 and changes nothing", async ({ method, path, body }) => {
    const before = world();
    const answer = await rawRequest(playground().url, { method, path, headers: { "content-type": "application/json", origin: "https://evil.example" }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ error: { code: "ForeignOrigin", message: expect.stringContaining("https://evil.example") } });
    expect(world()).toEqual(before);
  });

  it.each(CONTROL_ACTIONS)("refuses $method $path sent under a foreign Host (DNS rebinding) with 403 and changes nothing", async ({ method, path, body }) => {
    const before = world();
    const headers = { "content-type": "application/json", host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const answer = await rawRequest(playground().url, { method, path, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ error: { code: "ForeignHost", message: expect.stringMatching(/does not name this playground/) } });
    expect(world()).toEqual(before);
  });

  it.each([
    ["an opaque origin (sandboxed page, file://)", { origin: "null" }, 403],
    ["a loopback Host with another port", { host: "localhost:1" }, 403],
    // Node's HTTP server answers this one itself: HTTP/1.1 requires a Host.
    ["no Host at all", { host: "" }, 400],
  ])("refuses %s", async (_name, headers, status) => {
    const before = world();
    const answer = await rawRequest(playground().url, { method: "PUT", path: "/api/faults", headers: { "content-type": "application/json", ...headers }, body: '{"failRate": 1}' });
    expect(answer.status).toBe(status);
    expect(world()).toEqual(before);
  });

  it.each([
    ["POST /api/reset", "/api/reset"],
    ["POST /api/redrive", "/api/redrive"],
    ["POST /api/trial", "/api/trial"],
    ["POST /api/step-mode/next", "/api/step-mode/next"],
  ])("refuses %s without a JSON content type (what a plain HTML form sends) with 415", async (_name, path) => {
    await playground().post("/tasks", { title: "kept" });
    const before = world();
    for (const type of [undefined, "application/x-www-form-urlencoded", "text/plain"]) {
      const answer = await rawRequest(playground().url, { method: "POST", path, headers: type ? { "content-type": type } : {} });
      expect(answer.status).toBe(415);
      expect(answer.json).toMatchObject({ error: { code: "UnsupportedMediaType", message: expect.stringContaining("Content-Type: application/json") } });
    }
    expect(world()).toEqual(before);
  });

  it("keeps reads open: GET needs neither a token nor a JSON content type", async () => {
    const answer = await rawRequest(playground().url, { path: "/api/faults", headers: { origin: "https://evil.example" } });
    expect(answer.status).toBe(200);
  });
});

describe("Socket.IO's handshake", () => {
  const handshake = (headers: Record<string, string>) => rawRequest(playground().url, { path: "/socket.io/?EIO=4&transport=polling", headers });

  it("refuses a page from another site (Origin) with 403 and a reason", async () => {
    const answer = await handshake({ origin: "https://evil.example" });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ message: expect.stringMatching(/^ForeignOrigin: /) });
  });

  it("refuses a foreign Host (DNS rebinding)", async () => {
    const answer = await handshake({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ message: expect.stringMatching(/^ForeignHost: /) });
  });

  it("accepts the playground's own page, and clients that send no Origin", async () => {
    expect((await handshake({ origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await handshake({})).status).toBe(200);
  });

  it("refuses a WebSocket from another site: the client never connects", async () => {
    const socket = io(playground().url, { transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { origin: "https://evil.example" } });
    try {
      const error = await new Promise<Error>((resolve, reject) => {
        socket.once("connect_error", resolve);
        socket.once("connect", () => reject(new Error("connected from a foreign origin")));
      });
      expect(error.message).toMatch(/websocket error/);
    } finally {
      socket.disconnect();
    }
  });
});

describe("security headers", () => {
  it("sends a CSP that allows only the page's own scripts and connections, and the usual hardening", async () => {
    const answer = await rawRequest(playground().url, { path: "/" });
    const csp = String(answer.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(answer.headers["x-powered-by"]).toBeUndefined();
  });

  it("sends them on API answers and errors too", async () => {
    const answer = await rawRequest(playground().url, { path: "/api/nope" });
    expect(answer.status).toBe(404);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("an internal error", () => {
  const SECRET = "secret detail /home/someone/.aws/credentials";

  it("answers HTTP with a generic JSON message: no stack, no detail", async () => {
    const spy = vi.spyOn(playground().store, "list").mockImplementation(() => {
      throw new Error(SECRET);
    });
    try {
      const answer = await rawRequest(playground().url, { path: "/tasks" });
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({ error: { code: "InternalError", message: "something went wrong on the server" } });
      expect(answer.text).not.toMatch(/secret|\bat \w|\.ts:\d/);
    } finally {
      spy.mockRestore();
    }
  });

  it("answers Socket.IO with a generic {error}: no stack, no detail", async () => {
    const spy = vi.spyOn(playground().controls, "triggerView").mockImplementation(() => {
      throw new Error(SECRET);
    });
    const socket = io(playground().url, { transports: ["websocket"], forceNew: true }) as import("socket.io-client").Socket<ServerToClientEvents, ClientToServerEvents>;
    try {
      const reply: Reply<unknown> = await socket.emitWithAck("trigger:get");
      expect(reply).toEqual({ error: { code: "InternalError", message: "something went wrong on the server" } });
    } finally {
      socket.disconnect();
      spy.mockRestore();
    }
  });
});

describe("the functions' endpoint (the internal routes on a loopback port of their own)", () => {
  const endpoint = () => playground().functionEndpointUrl ?? "";
  const host = () => new URL(endpoint()).host;
  const claim = { taskId: 1, invocationId: "inv/msg", leaseMs: 1000 };
  const asFunction = () => ({ host: host(), authorization: `Bearer ${playground().internalToken}`, "content-type": "application/json" });

  it("answers the function (its token, its Host, no Origin)", async () => {
    const answer = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/claim", headers: asFunction(), body: JSON.stringify(claim) });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ outcome: "missing" });
  });

  it.for([
    ["a page from another site (Origin)", { origin: "https://evil.example" }],
    ["a page on any site (Sec-Fetch-Site)", { "sec-fetch-site": "cross-site" }],
    ["a foreign Host (DNS rebinding)", { host: "evil.example" }],
  ] as const)("refuses %s with 403, even with the token, and changes nothing", async ([, headers]) => {
    const before = world();
    const answer = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/claim", headers: { ...asFunction(), ...headers }, body: JSON.stringify(claim) });
    expect(answer.status).toBe(403);
    expect((answer.json as { error: { code: string } }).error.code).toBe("Forbidden");
    expect(world()).toEqual(before);
  });

  it("refuses a call without the token (401) and a body that is not JSON (400), with no detail", async () => {
    const noToken = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/claim", headers: { ...asFunction(), authorization: "" }, body: JSON.stringify(claim) });
    expect(noToken.status).toBe(401);
    const badJson = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/claim", headers: asFunction(), body: "{not json" });
    expect(badJson.status).toBe(400);
    expect(badJson.text).not.toMatch(/\bat \w|\.ts:\d/);
  });

  it("answers an unknown route with 404 and a body over 1 MiB with 413, in the API's error shape, and changes nothing", async () => {
    const before = world();
    const unknown = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/delete-everything", headers: asFunction(), body: "{}" });
    expect(unknown.status).toBe(404);
    expect((unknown.json as { error: { code: string } }).error.code).toBe("NotFound");
    const wrongMethod = await rawRequest(endpoint(), { method: "GET", path: "/internal/store/claim", headers: asFunction() });
    expect(wrongMethod.status).toBe(404);
    const large = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/claim", headers: asFunction(), body: JSON.stringify({ ...claim, pad: "x".repeat(1024 * 1024) }) });
    expect(large.status).toBe(413);
    expect((large.json as { error: { code: string } }).error.code).toBe("BodyTooLarge");
    const invalid = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/claim", headers: asFunction(), body: JSON.stringify({ ...claim, taskId: -1 }) });
    expect(invalid.status).toBe(400);
    expect((invalid.json as { error: { code: string } }).error.code).toBe("InvalidInternalRequest");
    const proto = await rawRequest(endpoint(), { method: "POST", path: "/internal/store/claim", headers: asFunction(), body: `{"__proto__": {"outcome": "claimed"}, "taskId": 1, "invocationId": "inv/msg", "leaseMs": 1000}` });
    expect(proto.status).toBe(400);
    expect(({} as Record<string, unknown>).outcome).toBeUndefined();
    expect(world()).toEqual(before);
  });

  it("answers a GET without a body (the function's settings)", async () => {
    const answer = await rawRequest(endpoint(), { method: "GET", path: "/internal/invocation-config", headers: asFunction() });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ reportsBatchItemFailures: expect.any(Object) });
  });
});
