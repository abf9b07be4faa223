import express, { Router } from "express";
import type { LessonService } from "../lessons/lessonService.js";
import { requireJson, requireJsonType } from "./controlRoutes.js";
import type { ControlGuards } from "./controlGuard.js";

export interface WorldActions {
  /** Purge the queues, clear tasks and faults, step mode off. */
  resetWorld: () => Promise<void>;
  /** Move the dead-letter queue's messages back to the task queue; how many moved. */
  redrive: () => Promise<number>;
  /** Start a lab's trial: the tasks created from now on are the trial's; answers the last task id before it (0: none). */
  startTrial: () => number;
}

/**
 * Lessons, their checks and predictions (evaluated on the server against real state: POSTs that
 * only read, so they need only `guards.read`), reset, trial and redrive (`guards.control`).
 */
export function lessonRoutes(lessons: LessonService, actions: WorldActions, guards: ControlGuards): Router {
  const router = Router({ caseSensitive: true });
  const { read, control } = guards;
  router.get("/lessons", (_req, res) => void res.json(lessons.list()));
  router.get("/lessons/:id", (req, res) => void res.json(lessons.get(String(req.params.id))));
  router.post("/lessons/:id/checks", read, requireJson, express.json({ limit: 1024 }), (req, res) => {
    const body = (req.body ?? {}) as { step?: unknown; index?: unknown };
    res.json(lessons.check(String(req.params.id), body.step, body.index));
  });
  router.post("/lessons/:id/predictions", read, requireJson, express.json({ limit: 1024 }), (req, res) => {
    const body = (req.body ?? {}) as { step?: unknown; index?: unknown };
    res.json(lessons.outcome(String(req.params.id), body.step, body.index));
  });
  router.post("/reset", ...control, requireJsonType, async (_req, res) => {
    await actions.resetWorld();
    res.json({ reset: true });
  });
  router.post("/trial", ...control, requireJsonType, (_req, res) => {
    res.json({ afterTaskId: actions.startTrial() });
  });
  router.post("/redrive", ...control, requireJsonType, async (_req, res) => {
    res.json({ moved: await actions.redrive() });
  });
  return router;
}
