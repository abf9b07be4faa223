import type { RequestHandler } from "express";
import { ControlAccess } from "../security/controlAccess.js";
import { ApiError } from "./errors.js";

/**
 * The guards that every route able to change something runs first. They are put on the routes
 * themselves, not matched against the path: a guard that compared paths could disagree with the
 * router about what a path means (`/API/reset`, `//api`, `%2F`…), while a guard on the route runs
 * exactly when the route does, whatever spelling reached it.
 */
export interface ControlGuards {
  /** POSTs that only read (a lesson's check or prediction): the caller must name this playground (Host, Origin). */
  read: RequestHandler;
  /** Actions that change the world: Host and Origin, then in a classroom or while followers watch, the presenter's credentials. */
  control: RequestHandler[];
}

/** Refuses, with 403 before any route runs, a request from another site (Origin) or through another name (Host: DNS rebinding). */
function sameSite(access: ControlAccess): RequestHandler {
  return (req, _res, next) => {
    const refused = access.foreign(req.headers.host, req.headers.origin);
    if (refused) throw new ApiError(403, refused.code, refused.message);
    next();
  };
}

/** In a classroom (CLASSROOM=true) control actions need the presenter token. */
function presenterInClassroom(access: ControlAccess): RequestHandler {
  return (req, _res, next) => {
    const refused = access.presenter(ControlAccess.credential(req.headers.authorization));
    if (refused) throw new ApiError(403, refused.code, refused.message);
    next();
  };
}

/**
 * The guards for this playground's rules; `whileFollowed` is the classroom's own rule (the
 * presenter's credentials while any follower watches), when there is a classroom.
 */
export function controlGuards(access: ControlAccess, whileFollowed?: RequestHandler): ControlGuards {
  const read = sameSite(access);
  return { read, control: [read, presenterInClassroom(access), ...(whileFollowed ? [whileFollowed] : [])] };
}
