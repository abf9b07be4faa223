import express, { Router } from "express";
import type { LessonService } from "../lessons/lessonService.js";
import { requireJson, requireJsonType } from "./controlRoutes.js";

export interface WorldActions {
  /** Purge the queues, clear tasks and faults, step mode off. */
  resetWorld: () => Promise<void>;
  /** Move the dead-letter queue's messages back to the task queue; how many moved. */
  redrive: () => Promise<number>;
}

/** Lessons, their checks and predictions (evaluated on the server against real state), reset and redrive. */
export function lessonRoutes(lessons: LessonService, actions: WorldActions): Router {
  const router = Router();
  router.get("/lessons", (_req, res) => void res.json(lessons.list()));
  router.get("/lessons/:id", (req, res) => void res.json(lessons.get(String(req.params.id))));
  router.post("/lessons/:id/checks", requireJson, express.json({ limit: 1024 }), (req, res) => {
    const body = (req.body ?? {}) as { step?: unknown; index?: unknown };
    res.json(lessons.check(String(req.params.id), body.step, body.index));
  });
  router.post("/lessons/:id/predictions", requireJson, express.json({ limit: 1024 }), (req, res) => {
    const body = (req.body ?? {}) as { step?: unknown; index?: unknown };
    res.json(lessons.outcome(String(req.params.id), body.step, body.index));
  });
  router.post("/reset", requireJsonType, async (_req, res) => {
    await actions.resetWorld();
    res.json({ reset: true });
  });
  router.post("/redrive", requireJsonType, async (_req, res) => {
    res.json({ moved: await actions.redrive() });
  });
  return router;
}
