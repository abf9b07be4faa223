import { Agent, request } from "node:http";
import type { FetchLike } from "./playgroundLink.js";

// Kept-alive connections to the playground: a call costs no handshake, and node:http costs a
// fraction of fetch's (undici's) time per request, which a function pays on every record.
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * The part of `fetch` PlaygroundLink uses, over node:http, for `http:` URLs only (the playground
 * on this machine): resolves with the status and the whole body, without building a WHATWG
 * Response; rejects when the connection fails or `init.signal` aborts.
 */
export const loopbackFetch: FetchLike = (input, init) =>
  new Promise((resolve, reject) => {
    const req = request(input, { method: init.method, headers: init.headers, agent, ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString("utf8");
        resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body) });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
