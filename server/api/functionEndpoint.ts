import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { INTERNAL_PREFIX } from "../../common/internalApi.js";
import { ApiError, errorAnswer } from "./errors.js";
import { hasToken, internalActions, MISSING_TOKEN, type InternalDeps } from "./internalActions.js";

/** The internal routes on a loopback port of their own, for the functions this playground runs. */
export interface FunctionEndpoint {
  /** `http://127.0.0.1:<port>`: what the function's PLAYGROUND_INTERNAL_URL says. */
  readonly url: string;
  close(): Promise<void>;
}

/** The largest request body a function may send (bytes), as on the playground's port. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Where the embedded mode's functions reach the task database: the same internal actions (and
 * token) as on the playground's port, served apart from the learner's API, so that a batch still
 * in flight when the playground stops can write its results while the API already refuses new
 * tasks. Served by node:http without express: a function calls it twice per record, and express's
 * router and body parser were most of the server's time per call. Loopback only; like the Runtime
 * API it refuses a request with an Origin or Sec-Fetch-Site header (a browser page) or another Host
 * (DNS rebinding), and the internal token is needed besides. Closed after the trigger has drained.
 */
export async function startFunctionEndpoint(deps: InternalDeps, log: (message: string, error?: unknown) => void): Promise<FunctionEndpoint> {
  const actions = new Map(Object.entries(internalActions(deps)).map(([path, action]) => [`${action.method} ${INTERNAL_PREFIX}${path}`, action]));
  const tokenOk = hasToken(deps.token);
  let address = "";
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
  const fail = (res: ServerResponse, error: unknown) => {
    const { status, body } = errorAnswer(error, log);
    answer(res, status, body);
  };
  const server: Server = createServer((req, res) => {
    // A web page the learner visits can reach this port too: the Runtime API's rule, before the token is even read.
    if (req.headers.origin !== undefined || req.headers["sec-fetch-site"] !== undefined || req.headers.host !== address) {
      return fail(res, new ApiError(403, "Forbidden", "this endpoint answers only the functions this playground runs"));
    }
    if (!tokenOk(req.headers.authorization)) return fail(res, MISSING_TOKEN());
    const action = actions.get(`${req.method ?? ""} ${req.url ?? ""}`);
    if (!action) return fail(res, new ApiError(404, "NotFound", `no route for ${req.method ?? ""} ${req.url ?? ""}`));
    readJson(req).then(
      (body) => Promise.resolve(action.run(body)).then((result) => answer(res, 200, result)),
    ).catch((error: unknown) => fail(res, error));
  });
  // Step-mode pauses hold a call open for as long as the learner reads.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  address = `127.0.0.1:${port}`;
  return {
    url: `http://${address}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The request's body as JSON (undefined when empty); rejects with ApiError 413 past BODY_LIMIT, 400 when it is not JSON. */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Answered at once; the rest of the body is read and dropped, so the connection stays usable.
      if (size > BODY_LIMIT) reject(new ApiError(413, "BodyTooLarge", `the request body is larger than ${BODY_LIMIT} bytes`));
      else chunks.push(chunk);
    });
    req.on("error", () => reject(new ApiError(400, "RequestAborted", "the request was aborted before its body arrived")));
    req.on("end", () => {
      if (size > BODY_LIMIT) return;
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new ApiError(400, "InvalidJson", "the request body is not valid JSON"));
      }
    });
  });
}
