import { Agent, request } from "node:http";
import type { FetchLike } from "./playgroundLink.js";

// Kept-alive connections to the playground: a call costs no handshake, and node:http costs a
// fraction of fetch's (undici's) time per request, which a function pays on every record.
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * The part of `fetch` PlaygroundLink uses, over node:http, for `http:` URLs only (the playground
 * on this machine): resolves with the status and the whole body, without building a WHATWG
 * Response; rejects when the connection fails or the socket stays silent for `init.timeoutMs`.
 * The limit is the socket's idle timeout, not an AbortSignal: a signal and its timer per call were
 * about a twentieth of an execution environment's CPU in a burst (bench/README.md).
 */
export const loopbackFetch: FetchLike = (input, init) =>
  new Promise((resolve, reject) => {
    const req = request(input, { method: init.method, headers: init.headers, agent, ...(init.timeoutMs === undefined ? {} : { timeout: init.timeoutMs }) }, (res) => {
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
    req.on("timeout", () => req.destroy(new Error(`no answer within ${init.timeoutMs} ms`)));
    req.end(init.body);
  });
