import { Agent, request } from "node:http";

// Kept-alive connections to the playground: a call costs no handshake, and node:http costs a
// fraction of fetch's (undici's) time per request, which a function pays on every record.
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * The part of `fetch` PlaygroundLink uses, over node:http: for `http:` URLs only (the playground on
 * this machine). Resolves with a Response holding the whole body; rejects when the connection
 * fails or `init.signal` aborts.
 */
export const loopbackFetch = (input: string, init: RequestInit = {}): Promise<Response> =>
  new Promise((resolve, reject) => {
    const req = request(input, { method: init.method ?? "GET", headers: init.headers as Record<string, string>, agent, ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status }));
      });
    });
    req.on("error", reject);
    req.end(typeof init.body === "string" ? init.body : undefined);
  });
