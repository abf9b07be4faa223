// The lesson function's HTTP client to the playground: its time limit is the socket's idle timeout
// (no AbortSignal per call), so a playground that never answers fails the call instead of holding
// the invocation, and a kept-alive socket carries no limit into a later call that has none.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loopbackFetch } from "../../lambda/loopbackFetch.js";
import { PlaygroundLink, PlaygroundLinkError } from "../../lambda/playgroundLink.js";

let server: Server;
let base = "";
beforeAll(async () => {
  // /silent never answers; /slow answers after 300 ms; anything else at once.
  server = createServer((req, res) => {
    if (req.url === "/silent") return;
    const answer = () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url }));
    if (req.url === "/slow") setTimeout(answer, 300);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("loopbackFetch", () => {
  it("rejects a call the server leaves unanswered past timeoutMs", async () => {
    await expect(loopbackFetch(`${base}/silent`, { method: "GET", headers: {}, timeoutMs: 200 })).rejects.toThrow("no answer within 200 ms");
  });

  it("resolves with the status and body when the answer comes in time", async () => {
    const response = await loopbackFetch(`${base}/slow`, { method: "POST", headers: {}, body: "{}", timeoutMs: 2_000 });
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text())).toEqual({ path: "/slow" });
  });

  it("leaves no limit on a kept-alive socket for a later call without one", async () => {
    await loopbackFetch(`${base}/fast`, { method: "GET", headers: {}, timeoutMs: 100 });
    // The same kept-alive socket, no limit: the 300 ms answer is waited for.
    const response = await loopbackFetch(`${base}/slow`, { method: "GET", headers: {} });
    expect(JSON.parse(await response.text())).toEqual({ path: "/slow" });
  });
});

describe("PlaygroundLink over loopbackFetch", () => {
  it("turns a playground that never answers into a PlaygroundLinkError naming the address", async () => {
    // A server of its own that answers nothing, whatever the path.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const link = new PlaygroundLink(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, "token", (url, init) => loopbackFetch(url, { ...init, timeoutMs: 150 }));
      const error = await link.claim(1, "inv/1", 1_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlaygroundLinkError);
      expect((error as Error).message).toMatch(/could not be reached: no answer within 150 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
