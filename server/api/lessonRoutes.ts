import express, { Router } from "express";
import type { LessonService } from "../lessons/lessonService.js";
import { requireJson } from "./controlRoutes.js";

/** Lessons, their checks (evaluated on the server against real state), and "Reset the world". */
export function lessonRoutes(lessons: LessonService, resetWorld: () => Promise<void>): Router {
  const router = Router();
  router.get("/lessons", (_req, res) => void res.json(lessons.list()));
  router.get("/lessons/:id", (req, res) => void res.json(lessons.get(String(req.params.id))));
  router.post("/lessons/:id/checks", requireJson, express.json({ limit: 1024 }), (req, res) => {
    const body = (req.body ?? {}) as { step?: unknown; index?: unknown };
    res.json(lessons.check(String(req.params.id), body.step, body.index));
  });
  router.post("/reset", async (_req, res) => {
    await resetWorld();
    res.json({ reset: true });
  });
  return router;
}
