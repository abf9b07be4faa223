import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { INTERNAL_PREFIX } from "../../common/internalApi.js";
import { ApiError, errorResponder, notFound } from "./errors.js";
import { internalRoutes, type InternalDeps } from "./internalRoutes.js";

/** The internal routes on a loopback port of their own, for the functions this playground runs. */
export interface FunctionEndpoint {
  /** `http://127.0.0.1:<port>`: what the function's PLAYGROUND_INTERNAL_URL says. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Where the embedded mode's functions reach the task database: the same internal routes (and
 * token) as on the playground's port, served apart from the learner's API, so that a batch still
 * in flight when the playground stops can write its results while the API already refuses new
 * tasks, and a function's calls pay for no page middleware. Loopback only; like the Runtime API
 * it refuses a request with an Origin or Sec-Fetch-Site header (a browser page) or another Host
 * (DNS rebinding), and the internal token is needed besides. Closed after the trigger has drained.
 */
export async function startFunctionEndpoint(deps: InternalDeps, log: (message: string, error?: unknown) => void): Promise<FunctionEndpoint> {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("case sensitive routing", true);
  let address = "";
  // A web page the learner visits can reach this port too: the Runtime API's rule, before the token is even read.
  app.use((req, _res, next) => {
    if (req.headers.origin !== undefined || req.headers["sec-fetch-site"] !== undefined || req.headers.host !== address) {
      throw new ApiError(403, "Forbidden", "this endpoint answers only the functions this playground runs");
    }
    next();
  });
  app.use(INTERNAL_PREFIX, internalRoutes(deps));
  app.use(notFound);
  app.use(errorResponder(log));
  const server: Server = createServer(app);
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
