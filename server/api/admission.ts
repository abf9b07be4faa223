import type { RequestHandler } from "express";
import { ApiError } from "./errors.js";

/**
 * Whether the API still takes work. Shutting down closes it first: from then on every request
 * that would change something (a new task, a control action) is answered 503 ShuttingDown, so a
 * client knows at once it was not accepted, while reads keep working until the server closes.
 */
export class Admission {
  private open = true;

  close(): void {
    this.open = false;
  }

  readonly guard: RequestHandler = (req, res, next) => {
    if (this.open || req.method === "GET" || req.method === "HEAD") return next();
    // The client should not reuse this connection: the next one finds the port closed.
    res.setHeader("connection", "close");
    throw new ApiError(503, "ShuttingDown", "the playground is shutting down and takes no new work; try again once it is back");
  };
}
