import { request } from "node:http";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as given: fetch would normalise `..` and `%2e%2e` away. */
  path: string;
  /** Sent exactly as given, Host and Origin included (fetch decides those itself). */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP request with full control over the request line and headers, as an attacker's page or curl could send it. */
export function rawRequest(baseUrl: string, { method = "GET", path, headers = {}, body }: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // An empty host header means none at all, as an HTTP/1.0 client sends.
    const sent = Object.fromEntries(Object.entries({ host: `localhost:${port}`, ...headers }).filter(([name, value]) => name !== "host" || value !== ""));
    const req = request({ host: hostname === "localhost" ? "127.0.0.1" : hostname, port, method, path, headers: sent, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A control request as curl sends it: JSON content type, Host localhost:<port>, no Origin. */
export const curlJson = (body?: unknown): Pick<RawRequest, "headers" | "body"> => ({
  headers: { "content-type": "application/json" },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
