import type { SqsCall } from "../../common/events.js";
import { createHandler, type HandlerFaults } from "../../lambda/handler.js";
import type { Config } from "../config.js";
import type { StepGate } from "../control/stepGate.js";
import type { Clock, Publish } from "../events/eventLog.js";
import { ACCOUNT_ID, startEmbeddedSqs } from "../queue/embeddedSqs.js";
import { TaskQueue, type TaskQueueSettings } from "../queue/taskQueue.js";
import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import { LambdaTrigger } from "../trigger/lambdaTrigger.js";
import type { TriggerSettings } from "../../common/events.js";
import type { Backend } from "./backend.js";
import { API_USER_AGENT, FUNCTION_NAME, TRIGGER_USER_AGENT } from "./names.js";

/** The embedded SQS never leaves loopback, whatever the API binds to. */
const SQS_HOST = "127.0.0.1";

export interface BackendDeps {
  config: Config;
  queueSettings: TaskQueueSettings;
  triggerSettings: TriggerSettings;
  publish: Publish;
  onCall: (call: SqsCall) => void;
  clock: Clock;
  log: (message: string, error?: unknown) => void;
}

export interface EmbeddedDeps extends BackendDeps {
  store: LowdbTaskStore;
  gate: StepGate;
  faults: () => HandlerFaults;
  /** Told each time the handler writes a task's completion (the chaos soak counts side effects). */
  onWorkDone?: (taskId: number) => void;
}

/** fauxqs in-process on :4566 and our own event source mapping invoking lambda/handler.ts in-process. */
export async function startEmbeddedBackend(deps: EmbeddedDeps): Promise<Backend> {
  const { config, publish, clock, gate } = deps;
  const sqs = await startEmbeddedSqs({
    host: SQS_HOST,
    port: config.SQS_PORT,
    urlHost: "localhost",
    region: config.AWS_REGION,
    publish,
    triggerUserAgent: TRIGGER_USER_AGENT,
    clock,
  });
  const connection = { endpoint: sqs.endpoint, region: config.AWS_REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const apiQueue = new TaskQueue(connection, deps.queueSettings, { userAgent: API_USER_AGENT, caller: "api", onCall: deps.onCall });
  const queues = await apiQueue.provision();
  const triggerQueue = new TaskQueue(connection, deps.queueSettings, { userAgent: TRIGGER_USER_AGENT, caller: "lambda-trigger", onCall: deps.onCall });
  await triggerQueue.resolve();

  // The handler is created before the trigger it reports to; `trigger` is set right below.
  let trigger: LambdaTrigger | undefined;
  const handler = createHandler({
    store: deps.store,
    workMs: config.HANDLER_WORK_MS,
    faults: deps.faults,
    ...(deps.onWorkDone ? { onWorkDone: deps.onWorkDone } : {}),
    reportsBatchItemFailures: () => trigger?.settings.FunctionResponseTypes.includes("ReportBatchItemFailures") ?? true,
    beforeUpdate: (taskId, record, context) => {
      const paused = gate.pass("update", { taskId, messageIds: [record.messageId], detail: `the handler is about to mark task ${taskId} completed` });
      return trigger ? trigger.frozenWhile(context.awsRequestId, paused) : paused;
    },
  });
  const running = new LambdaTrigger({
    queue: triggerQueue,
    handler,
    function: {
      functionName: FUNCTION_NAME,
      region: config.AWS_REGION,
      accountId: ACCOUNT_ID,
      timeoutMs: config.FUNCTION_TIMEOUT_SECONDS * 1000,
      memoryMb: 128,
    },
    settings: deps.triggerSettings,
    scalingSpeed: config.TRIGGER_SCALING_SPEED,
    gate,
    peek: () => {
      const next = sqs.inspect(config.QUEUE_NAME, 50)?.messages.find((m) => m.state === "visible");
      return next && { messageId: next.messageId, taskId: next.taskId };
    },
    endLongPolls: () => sqs.endLongPolls(config.QUEUE_NAME),
    publish,
    clock,
    onError: (error) => deps.log("lambda trigger:", error instanceof Error ? error.message : error),
  });
  trigger = running;

  return {
    mode: "embedded",
    queues,
    apiQueue,
    trigger: running,
    sqsEndpoint: `http://localhost:${sqs.port}`,
    capabilities: { stepMode: true, messageDetail: true, note: null },
    inspect: (messageLimit) => [config.QUEUE_NAME, config.DLQ_NAME].flatMap((name) => sqs.inspect(name, messageLimit) ?? []),
    visibilityTimeoutSeconds: () => Number(sqs.attribute(config.QUEUE_NAME, "VisibilityTimeout") ?? config.VISIBILITY_TIMEOUT_SECONDS),
    purgeAll: async () => sqs.purgeAll(),
    setSqsUnavailable: (unavailable) => sqs.setUnavailable(unavailable),
    onStepModeEnabled: () => sqs.endLongPolls(config.QUEUE_NAME),
    stop: async () => {
      await running.stop();
      await sqs.stop();
      apiQueue.destroy();
      triggerQueue.destroy();
    },
  };
}
