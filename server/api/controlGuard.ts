import type { RequestHandler } from "express";
import { ControlAccess } from "../security/controlAccess.js";
import { ApiError } from "./errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Only the API's own routes: other paths (the Lambda's internal store endpoint) have their own rules. */
const GUARDED = /^\/(api|tasks)(\/|$)/;
/** POSTs that only read: a lesson's check or prediction evaluates the state and changes nothing. */
const READ_ONLY = /^\/api\/lessons\/[^/]+\/(checks|predictions)\/?$/;

/**
 * Every request that can change the playground must come from a client that names it (Host) and,
 * when a browser says which page sent it (Origin), from the playground's own page; in the
 * classroom it must also carry the presenter token. Refusals are 403 before any route runs.
 */
export function controlGuard(access: ControlAccess): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || !GUARDED.test(req.path)) return next();
    const refused =
      access.foreign(req.headers.host, req.headers.origin) ?? (READ_ONLY.test(req.path) ? null : access.presenter(ControlAccess.bearer(req.headers.authorization)));
    if (refused) throw new ApiError(403, refused.code, refused.message);
    next();
  };
}
