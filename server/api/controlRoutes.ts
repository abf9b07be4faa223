import { Router, type RequestHandler } from "express";
import express from "express";
import type { Controls } from "../control/controls.js";
import type { ControlGuards } from "./controlGuard.js";
import { ApiError } from "./errors.js";
import { BODY_LIMIT_BYTES } from "./taskInput.js";

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const WRONG_TYPE = "send control actions as JSON with the header Content-Type: application/json (even without a body), as the lessons' curl commands do";

/**
 * A control action without a body must still declare JSON: a web page can send a plain form or
 * text to another site without asking, but never a JSON request (the browser asks first, and the
 * playground does not answer yes).
 */
export const requireJsonType: RequestHandler = (req, _res, next) => {
  if (!JSON_TYPE.test(req.headers["content-type"] ?? "")) throw new ApiError(415, "UnsupportedMediaType", WRONG_TYPE);
  next();
};

/** A control action's body must be JSON, declared as such. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.is("application/json")) {
    throw new ApiError(415, "UnsupportedMediaType", "send the body as JSON with the header Content-Type: application/json");
  }
  if (!hasBody) throw new ApiError(400, "InvalidBody", "the request body is empty; send a JSON object");
  next();
};

const json = [requireJson, express.json({ limit: BODY_LIMIT_BYTES, strict: false })];

/** The trigger, the function, faults and step mode, over HTTP (AWS field names where AWS has them); every change runs `guards.control` first. */
export function controlRoutes(controls: Controls, guards: ControlGuards, fifoControls?: Controls): Router {
  const router = Router({ caseSensitive: true });
  const { control } = guards;
  if (fifoControls) {
    // The FIFO queue's own mapping (interview-queue.fifo): the same fields, plus the FIFO rules.
    router.get("/trigger/fifo", (_req, res) => void res.json(fifoControls.triggerView()));
    router.patch("/trigger/fifo", ...control, ...json, async (req, res) => void res.json(await fifoControls.updateTrigger(req.body)));
  }
  router.get("/trigger", (_req, res) => void res.json(controls.triggerView()));
  router.patch("/trigger", ...control, ...json, async (req, res) => void res.json(await controls.updateTrigger(req.body)));
  router.get("/function", (_req, res) => void res.json(controls.functionView()));
  router.patch("/function", ...control, ...json, async (req, res) => void res.json(await controls.updateFunction(req.body)));
  router.get("/faults", (_req, res) => void res.json(controls.faults()));
  router.put("/faults", ...control, ...json, (req, res) => void res.json(controls.setFaults(req.body)));
  router.get("/step-mode", (_req, res) => void res.json(controls.stepMode()));
  router.put("/step-mode", ...control, ...json, (req, res) => void res.json(controls.setStepMode(req.body)));
  // The body is optional ({"step": "…"} names the step expected to be waiting), but the type is JSON.
  router.post("/step-mode/next", ...control, requireJsonType, express.json({ limit: BODY_LIMIT_BYTES, strict: false }), (req, res) => void res.json(controls.next(req.body)));
  return router;
}
