import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { INTERNAL_ROUTES, type ChargeResult, type StoreCallsResult, type InvocationConfig, type StepPauseResult } from "../../common/internalApi.js";
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
const callsSchema = z.strictObject({
  calls: z
    .array(
      z.discriminatedUnion("call", [
        claimSchema.extend({ call: z.literal("claim") }),
        completeSchema.extend({ call: z.literal("complete") }),
        releaseSchema.extend({ call: z.literal("release") }),
      ]),
    )
    .min(1)
    .max(100),
});
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

/** One internal route: its method, and what it does with the request's JSON body (undefined when it has none). */
export interface InternalAction {
  method: "GET" | "POST";
  /** Resolves with the JSON answer; rejects with ApiError (or an error errors.ts translates). */
  run(body: unknown): unknown;
}

/** Whether an Authorization header is `Bearer <token>`, compared in constant time. */
export function hasToken(token: string): (authorization: string | undefined) => boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  return (authorization) => {
    const given = Buffer.from(authorization ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

export const MISSING_TOKEN = () => new ApiError(401, "Unauthorized", "internal routes need the playground's internal token (Authorization: Bearer …)");

/**
 * The handler's database path when it runs outside the server's process: the store's three calls
 * (the playground stays the only writer of lowdb), the settings it reads per invocation, its
 * start/end reports, and the services of the lessons (payments, step mode, visibility), keyed by
 * path under INTERNAL_PREFIX. Served by express on the playground's port (internalRoutes.ts) and
 * by node:http on the functions' own endpoint (functionEndpoint.ts).
 */
export function internalActions(deps: InternalDeps): Record<string, InternalAction> {
  const complete = async (taskId: number, invocationId: string) => {
    const completed = await deps.store.complete(taskId, invocationId);
    if (completed) deps.onWorkDone?.(taskId);
    return { completed };
  };
  return {
    [INTERNAL_ROUTES.claim]: {
      method: "POST",
      run: (body) => {
        const { taskId, invocationId, leaseMs } = parse(claimSchema, body);
        return deps.store.claim(taskId, invocationId, leaseMs);
      },
    },
    [INTERNAL_ROUTES.complete]: {
      method: "POST",
      run: async (body) => {
        const { taskId, invocationId } = parse(completeSchema, body);
        return complete(taskId, invocationId);
      },
    },
    // Every call is checked before the first runs: a bad one changes nothing.
    [INTERNAL_ROUTES.calls]: {
      method: "POST",
      run: async (body) => {
        const { calls } = parse(callsSchema, body);
        const results: unknown[] = [];
        for (const call of calls) {
          if (call.call === "claim") results.push(await deps.store.claim(call.taskId, call.invocationId, call.leaseMs));
          else if (call.call === "complete") results.push(await complete(call.taskId, call.invocationId));
          else results.push(await deps.store.release(call.taskId, call.invocationId, call.reason).then(() => ({})));
        }
        return { results } satisfies StoreCallsResult;
      },
    },
    [INTERNAL_ROUTES.release]: {
      method: "POST",
      run: async (body) => {
        const { taskId, invocationId, reason } = parse(releaseSchema, body);
        await deps.store.release(taskId, invocationId, reason);
        return {};
      },
    },
    [INTERNAL_ROUTES.charge]: {
      method: "POST",
      run: async (body) => {
        const { taskId } = parse(chargeSchema, body);
        const charges = deps.payments ? await deps.payments.charge(taskId) : null;
        if (charges === null) throw new ApiError(404, "TaskNotFound", `task ${taskId} does not exist: there is no order to charge`);
        return { charges } satisfies ChargeResult;
      },
    },
    [INTERNAL_ROUTES.stepPause]: {
      method: "POST",
      run: async (body) => {
        const request = parse(stepPauseSchema, body);
        if (!deps.functionServices) throw new ApiError(404, "NotSupported", "step mode pauses inside the function only in embedded mode");
        let heldMs: number;
        try {
          heldMs = await deps.functionServices.stepPause(request);
        } catch {
          throw new ApiError(503, "StepAbandoned", `the pause before task ${request.taskId}'s completion ended without a Next (the playground is stopping)`);
        }
        return { heldMs } satisfies StepPauseResult;
      },
    },
    [INTERNAL_ROUTES.changeVisibility]: {
      method: "POST",
      run: async (body) => {
        const { queueArn, receiptHandle, seconds } = parse(changeVisibilitySchema, body);
        if (!deps.functionServices) throw new ApiError(404, "NotSupported", "the playground changes visibility for the function only in embedded mode");
        try {
          await deps.functionServices.changeVisibility(queueArn, receiptHandle, seconds);
        } catch (error) {
          if (error instanceof QueueError) throw new ApiError(400, error.code, error.message);
          throw error;
        }
        return {};
      },
    },
    [INTERNAL_ROUTES.invocationConfig]: { method: "GET", run: () => deps.invocationConfig() },
    [INTERNAL_ROUTES.invocationStarted]: {
      method: "POST",
      run: (body) => {
        deps.reports.started(parse(startedSchema, body));
        return {};
      },
    },
    [INTERNAL_ROUTES.invocationEnded]: {
      method: "POST",
      run: (body) => {
        deps.reports.ended(parse(endedSchema, body));
        return {};
      },
    },
  };
}
