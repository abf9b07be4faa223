import { timingSafeEqual } from "node:crypto";
import express, { Router, type RequestHandler } from "express";
import { z } from "zod";
import { INTERNAL_ROUTES, type ChargeResult, type InvocationConfig, type StepPauseResult } from "../../common/internalApi.js";
import type { TaskStore } from "../../lambda/taskStore.js";
import type { FunctionServices } from "../backends/backend.js";
import type { InvocationReports } from "../backends/invocationReports.js";
import { QueueError } from "../queue/taskQueue.js";
import type { Payments } from "../flow/payments.js";
import { ApiError } from "./errors.js";

export interface InternalDeps {
  store: TaskStore;
  token: string;
  invocationConfig: () => InvocationConfig;
  reports: InvocationReports;
  /** The payment service behind the `charge` helper (null: none, e.g. in a test of the store routes). */
  payments?: Payments;
  /** Step-mode pauses and ChangeMessageVisibility for the lesson's function (embedded mode); absent elsewhere. */
  functionServices?: FunctionServices;
  /** Told each time a task's completion is written (the chaos soak counts side effects). */
  onWorkDone?: (taskId: number) => void;
}

const taskRef = { taskId: z.number().int().positive(), invocationId: z.string().min(1).max(200) };
const claimSchema = z.strictObject({ ...taskRef, leaseMs: z.number().int().min(0).max(900_000) });
const completeSchema = z.strictObject(taskRef);
const releaseSchema = z.strictObject({ ...taskRef, reason: z.string().max(2000) });
const chargeSchema = z.strictObject({ taskId: taskRef.taskId });
const stepPauseSchema = z.strictObject({ taskId: taskRef.taskId, messageId: z.string().min(1).max(200), invocationId: taskRef.invocationId });
const changeVisibilitySchema = z.strictObject({ queueArn: z.string().min(1).max(2048), receiptHandle: z.string().min(1).max(4096), seconds: z.number().int().min(0).max(43_200) });
const ids = z.array(z.string().min(1).max(200)).max(10_000);
const startedSchema = z.strictObject({
  invocationId: z.string().min(1).max(200),
  functionName: z.string().min(1).max(140),
  messageIds: ids,
  taskIds: z.array(z.number().int().nullable()).max(10_000),
  receiveCounts: z.array(z.number().int().min(0)).max(10_000),
  remainingMs: z.number().int().min(0).max(900_000),
  eventSourceArn: z.string().max(2048).optional(),
});
const endedSchema = z.discriminatedUnion("outcome", [
  z.strictObject({ invocationId: z.string().min(1), durationMs: z.number().min(0), outcome: z.literal("completed"), failedMessageIds: ids }),
  z.strictObject({ invocationId: z.string().min(1), durationMs: z.number().min(0), outcome: z.literal("failed"), error: z.string().max(4000), messageIds: ids }),
]);

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiError(400, "InvalidInternalRequest", result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return result.data;
}

/** Only the deployed function knows the token: it was put in the function's environment at deploy time. */
function requireToken(token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
    const given = Buffer.from(req.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ApiError(401, "Unauthorized", "internal routes need the playground's internal token (Authorization: Bearer …)");
    }
    next();
  };
}

/**
 * The handler's database path when it runs in LocalStack's or AWS's Lambda: the store's three
 * calls over HTTP (the playground stays the only writer of lowdb), the settings it reads per
 * invocation, and its start/end reports.
 */
export function internalRoutes(deps: InternalDeps): Router {
  const router = Router({ caseSensitive: true });
  router.use(requireToken(deps.token), express.json({ limit: "1mb" }));
  router.post(INTERNAL_ROUTES.claim, async (req, res) => {
    const { taskId, invocationId, leaseMs } = parse(claimSchema, req.body);
    res.json(await deps.store.claim(taskId, invocationId, leaseMs));
  });
  router.post(INTERNAL_ROUTES.complete, async (req, res) => {
    const { taskId, invocationId } = parse(completeSchema, req.body);
    const completed = await deps.store.complete(taskId, invocationId);
    if (completed) deps.onWorkDone?.(taskId);
    res.json({ completed });
  });
  router.post(INTERNAL_ROUTES.release, async (req, res) => {
    const { taskId, invocationId, reason } = parse(releaseSchema, req.body);
    await deps.store.release(taskId, invocationId, reason);
    res.json({});
  });
  router.post(INTERNAL_ROUTES.charge, async (req, res) => {
    const { taskId } = parse(chargeSchema, req.body);
    const charges = deps.payments ? await deps.payments.charge(taskId) : null;
    if (charges === null) throw new ApiError(404, "TaskNotFound", `task ${taskId} does not exist: there is no order to charge`);
    res.json({ charges } satisfies ChargeResult);
  });
  router.post(INTERNAL_ROUTES.stepPause, async (req, res) => {
    const request = parse(stepPauseSchema, req.body);
    if (!deps.functionServices) throw new ApiError(404, "NotSupported", "step mode pauses inside the function only in embedded mode");
    let heldMs: number;
    try {
      heldMs = await deps.functionServices.stepPause(request);
    } catch {
      throw new ApiError(503, "StepAbandoned", `the pause before task ${request.taskId}'s completion ended without a Next (the playground is stopping)`);
    }
    res.json({ heldMs } satisfies StepPauseResult);
  });
  router.post(INTERNAL_ROUTES.changeVisibility, async (req, res) => {
    const { queueArn, receiptHandle, seconds } = parse(changeVisibilitySchema, req.body);
    if (!deps.functionServices) throw new ApiError(404, "NotSupported", "the playground changes visibility for the function only in embedded mode");
    try {
      await deps.functionServices.changeVisibility(queueArn, receiptHandle, seconds);
    } catch (error) {
      if (error instanceof QueueError) throw new ApiError(400, error.code, error.message);
      throw error;
    }
    res.json({});
  });
  router.get(INTERNAL_ROUTES.invocationConfig, (_req, res) => void res.json(deps.invocationConfig()));
  router.post(INTERNAL_ROUTES.invocationStarted, (req, res) => {
    deps.reports.started(parse(startedSchema, req.body));
    res.json({});
  });
  router.post(INTERNAL_ROUTES.invocationEnded, (req, res) => {
    deps.reports.ended(parse(endedSchema, req.body));
    res.json({});
  });
  return router;
}
