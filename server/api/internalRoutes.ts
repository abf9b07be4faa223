import express, { Router } from "express";
import { hasToken, internalActions, MISSING_TOKEN, type InternalDeps } from "./internalActions.js";

export type { InternalDeps } from "./internalActions.js";

/**
 * The internal routes on the playground's own port, for a handler that runs in LocalStack's or
 * AWS's Lambda: every internal action, behind the internal token, with express's JSON body parser.
 */
export function internalRoutes(deps: InternalDeps): Router {
  const router = Router({ caseSensitive: true });
  const tokenOk = hasToken(deps.token);
  router.use((req, _res, next) => {
    if (!tokenOk(req.headers.authorization)) throw MISSING_TOKEN();
    next();
  }, express.json({ limit: "1mb" }));
  for (const [path, action] of Object.entries(internalActions(deps))) {
    const route = async (req: express.Request, res: express.Response) => void res.json(await action.run(req.body));
    if (action.method === "GET") router.get(path, route);
    else router.post(path, route);
  }
  return router;
}
