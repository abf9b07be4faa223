import express, { type RequestHandler } from "express";
import type { QueueView } from "../../common/events.js";
import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import type { TaskSender } from "../flow/taskSender.js";
import { ApiError, errorResponder, notFound } from "./errors.js";
import { BODY_LIMIT_BYTES, parseCreateTask, parseTaskId } from "./taskInput.js";

export interface HealthReport {
  status: "ok";
  mode: string;
  version: string;
  queues: { queueUrl: string; deadLetterQueueUrl: string };
  trigger: { state: string; batchSize: number; concurrency: number; reportBatchItemFailures: boolean };
}

export interface ApiDeps {
  store: LowdbTaskStore;
  sender: TaskSender;
  health: () => HealthReport;
  /** The queues as inspection sees them: never by ReceiveMessage, which would change them. */
  queues: () => QueueView[];
  log: (message: string, error?: unknown) => void;
  /** Folder of the built client, served at `/`. */
  clientDir?: string;
}

const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.is("application/json")) {
    throw new ApiError(415, "UnsupportedMediaType", "send the body as JSON with the header Content-Type: application/json");
  }
  if (!hasBody) throw new ApiError(400, "InvalidBody", 'the request body is empty; send JSON like {"title": "Test Task"}');
  next();
};

/** The playground's HTTP API: step 1 of the flow (POST /tasks) and the ways to look at tasks. */
export function createApi(deps: ApiDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("json spaces", 2);

  app.get("/health", (_req, res) => {
    res.json(deps.health());
  });

  app.get("/api/queues", (_req, res) => {
    res.json(deps.queues());
  });

  app.post("/tasks", requireJson, express.json({ limit: BODY_LIMIT_BYTES, strict: false }), async (req, res) => {
    const { title } = parseCreateTask(req.body);
    const result = await deps.sender.submit(title);
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
