import type { RequestHandler } from "express";
import type { Clock } from "../events/eventLog.js";
import { AddressBuckets, SOCKET_RATE_LIMIT, type RateLimit } from "../events/rateLimit.js";
import { isLoopbackHost } from "../terminal/access.js";
import { ApiError } from "./errors.js";

/** The API's routes, in any letter case (express matches them case-insensitively). */
const API_ROUTES = /^\/(api|tasks)(\/|$)/i;

/**
 * The API as seen from other machines (a classroom's followers, reads included) is rate-limited
 * per client address, as each Socket.IO connection is: `limit.burst` requests at once, then
 * `limit.perSecond`. A read such as GET /tasks can weigh megabytes, and followers read freely.
 * Requests from this machine are not counted: there only the learner (and their scripts) can ask.
 * Over the limit: 429 RateLimited with Retry-After, and nothing runs.
 */
export function remoteRateLimit(clock: Clock, limit: RateLimit = SOCKET_RATE_LIMIT): RequestHandler {
  const buckets = new AddressBuckets(limit, clock);
  return (req, res, next) => {
    const address = req.socket.remoteAddress ?? "";
    if (!API_ROUTES.test(req.path) || isLoopbackHost(address) || buckets.take(address)) return next();
    res.setHeader("Retry-After", String(Math.ceil(1 / limit.perSecond)));
    throw new ApiError(429, "RateLimited", `too many requests from ${address}: at most ${limit.burst} at once and ${limit.perSecond} a second; slow down`);
  };
}
