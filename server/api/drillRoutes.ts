import express, { Router } from "express";
import type { DrillService } from "../lessons/drillService.js";
import type { ControlGuards } from "./controlGuard.js";
import { requireJson } from "./controlRoutes.js";

/**
 * The interview drill: `GET /api/drill` (its questions) and `POST /api/drill/checks`
 * `{"question": "<id>", "index": n}` (one check of a question's experiment, evaluated now on the
 * real state; it only reads, so it needs only `guards.read`). The experiment's actions use the
 * ordinary routes (tasks, faults, trigger, reset, redrive), as lesson blocks do.
 */
export function drillRoutes(drill: DrillService, guards: ControlGuards): Router {
  const router = Router({ caseSensitive: true });
  router.get("/drill", (_req, res) => void res.json(drill.get()));
  router.post("/drill/checks", guards.read, requireJson, express.json({ limit: 1024 }), (req, res) => {
    const body = (req.body ?? {}) as { question?: unknown; index?: unknown };
    res.json(drill.check(body.question, body.index));
  });
  return router;
}
