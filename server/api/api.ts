import express from "express";
import type { Controls } from "../control/controls.js";
import { controlRoutes, requireJson } from "./controlRoutes.js";
import { lessonRoutes, type WorldActions } from "./lessonRoutes.js";
import type { LessonService } from "../lessons/lessonService.js";
import type { DrillService } from "../lessons/drillService.js";
import { drillRoutes } from "./drillRoutes.js";
import type { Faults, FunctionSettings, QueueView, TriggerSettings } from "../../common/events.js";
import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import type { TaskSender } from "../flow/taskSender.js";
import type { Admission } from "./admission.js";
import { ApiError, errorResponder, notFound } from "./errors.js";
import { internalRoutes, type InternalDeps } from "./internalRoutes.js";
import { INTERNAL_PREFIX } from "../../common/internalApi.js";
import type { Capabilities } from "../backends/backend.js";
import type { ControlAccess } from "../security/controlAccess.js";
import { controlGuards } from "./controlGuard.js";
import { securityHeaders } from "./securityHeaders.js";
import type { Classroom } from "../events/classroom.js";
import { BODY_LIMIT_BYTES, parseCreateTask, parseTaskId } from "./taskInput.js";
import { functionCodeRoutes, type FunctionCodeDeps } from "./functionCodeRoutes.js";

export interface HealthReport {
  status: "ok";
  mode: string;
  capabilities: Capabilities;
  version: string;
  /**
   * maxReceiveCount: receives before SQS moves a message to the dead-letter queue (the page shows
   * "receive 2 of 3"); fifoMaxReceiveCount: the FIFO queue's, null while it has no redrive policy.
   */
  queues: { queueUrl: string; deadLetterQueueUrl: string; fifoQueueUrl: string; fifoDeadLetterQueueUrl: string; maxReceiveCount: number; fifoMaxReceiveCount: number | null };
  trigger: TriggerSettings & { state: string; concurrency: { running: number; limit: number; maximum: number } };
  function: FunctionSettings;
  faults: Faults;
  stepMode: { enabled: boolean; paused: number };
  warnings: string[];
}

export interface ApiDeps {
  store: LowdbTaskStore;
  sender: TaskSender;
  health: () => HealthReport;
  /** The queues as inspection sees them: never by ReceiveMessage, which would change them. */
  queues: () => QueueView[];
  log: (message: string, error?: unknown) => void;
  controls: Controls;
  /** The FIFO queue's mapping (GET/PATCH /api/trigger/fifo). */
  fifoControls?: Controls;
  lessons: LessonService;
  /** The interview drill (GET /api/drill); absent: no drill routes. */
  drill?: DrillService;
  world: WorldActions;
  /** The deployed function's way to the database and back (token-protected). */
  internal: InternalDeps;
  /** Who may use control actions (Host, Origin, the presenter token). */
  access: ControlAccess;
  /** Folder of the built client, served at `/`. */
  clientDir?: string;
  /** Closed when shutting down: requests that would change something are refused. */
  admission?: Admission;
  /** Counts requests from other machines (followers' reads included) against a per-address rate limit. */
  remoteRateLimit?: express.RequestHandler;
  /** Deployed function code (GET/PUT/DELETE /api/function/code); absent: no such routes. */
  functionCode?: Pick<FunctionCodeDeps, "code" | "off">;
  /** Presenter and followers: its guard runs on every control route (it refuses while followers watch); serves /follow. */
  classroom?: Pick<Classroom, "guard" | "routes">;
}

/** The playground's HTTP API: step 1 of the flow (POST /tasks) and the ways to look at tasks. */
export function createApi(deps: ApiDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("json spaces", 2);
  // One spelling per route: `/API/reset` is not `/api/reset` (404), as for every router below.
  app.set("case sensitive routing", true);
  app.use(securityHeaders());
  if (deps.remoteRateLimit) app.use(deps.remoteRateLimit);
  if (deps.admission) app.use(deps.admission.guard);
  const guards = controlGuards(deps.access, deps.classroom?.guard);
  if (deps.classroom) app.use(deps.classroom.routes());

  app.get("/health", (_req, res) => {
    res.json(deps.health());
  });

  app.get("/api/queues", (_req, res) => {
    res.json(deps.queues());
  });
  if (deps.functionCode) app.use("/api", functionCodeRoutes({ ...deps.functionCode, guards, access: deps.access }));
  app.use("/api", controlRoutes(deps.controls, guards, deps.fifoControls));
  app.use("/api", lessonRoutes(deps.lessons, deps.world, guards));
  if (deps.drill) app.use("/api", drillRoutes(deps.drill, guards));
  app.use(INTERNAL_PREFIX, internalRoutes(deps.internal));

  app.post("/tasks", ...guards.control, requireJson, express.json({ limit: BODY_LIMIT_BYTES, strict: false }), async (req, res) => {
    const { title, destination } = parseCreateTask(req.body);
    const result = await deps.sender.submit(title, destination);
    if (result.sent) {
      res.status(201).location(`/tasks/${result.task.id}`).json(result.task);
      return;
    }
    // Stored but not yet on the queue: accepted, and the reconciler will send it.
    res.status(202).location(`/tasks/${result.task.id}`).json(result.task);
  });

  app.get("/tasks", (_req, res) => {
    res.json(deps.store.list());
  });

  app.get("/tasks/:id", (req, res) => {
    const id = parseTaskId(req.params.id);
    const task = deps.store.get(id);
    if (!task) throw new ApiError(404, "TaskNotFound", `task ${id} does not exist`);
    res.json(task);
  });

  if (deps.clientDir) app.use(express.static(deps.clientDir, { index: "index.html" }));
  app.use(notFound);
  app.use(errorResponder((message, error) => deps.log(message, error)));
  return app;
}
