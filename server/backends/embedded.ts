import type { SqsCall } from "../../common/events.js";
import { maxReceiveCountOf } from "../../common/redrivePolicy.js";
import type { LessonSettings, StepPauseRequest } from "../../common/internalApi.js";
import { createHandler } from "../../lambda/handler.js";
import type { Config } from "../config.js";
import type { StepGate } from "../control/stepGate.js";
import type { Clock, Publish } from "../events/eventLog.js";
import { ACCOUNT_ID } from "../sqs/embedded.js";
import { startEmbeddedSqs } from "./embeddedSqs.js";
import { TaskQueue, type TaskQueueSettings } from "../queue/taskQueue.js";
import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import { FunctionConcurrency } from "../trigger/functionConcurrency.js";
import { LambdaTrigger } from "../trigger/lambdaTrigger.js";
import type { TriggerQueue } from "../trigger/triggerQueue.js";
import { parseReceiptHandle } from "../sqs/model/receiptHandle.js";
import { EngineQueue } from "./engineQueue.js";
import { CallsInFlight } from "../queue/callsInFlight.js";
import type { DeployedHandler } from "../runtime/runtimeHandler.js";
import type { Faults, TriggerSettings } from "../../common/events.js";
import type { Backend } from "./backend.js";
import { API_USER_AGENT, FUNCTION_MEMORY_MB, FUNCTION_NAME, FUNCTION_USER_AGENT } from "./names.js";

/** The embedded SQS never leaves loopback, whatever the API binds to. */
const SQS_HOST = "127.0.0.1";

export interface BackendDeps {
  config: Config;
  queueSettings: TaskQueueSettings;
  /** The FIFO twin's names (`.fifo`), same visibility timeout and maxReceiveCount. */
  fifoQueueSettings: TaskQueueSettings;
  triggerSettings: TriggerSettings;
  /** The FIFO mapping's first settings: BatchSize at most 10, no window. */
  fifoTriggerSettings: TriggerSettings;
  publish: Publish;
  onCall: (call: SqsCall) => void;
  clock: Clock;
  log: (message: string, error?: unknown) => void;
}

export interface EmbeddedDeps extends BackendDeps {
  store: LowdbTaskStore;
  gate: StepGate;
  faults: () => Faults;
  /** Told each time the in-process handler writes a task's completion (the chaos soak counts side effects). */
  onWorkDone?: (taskId: number) => void;
  /** Whether an Origin is the playground's own page: the only page the SQS port answers. */
  pageOrigin: (origin: string) => boolean;
  /** The function (server/runtime/): every version, the lesson's included, runs through the Lambda Runtime API. */
  function: FunctionRunner;
}

/** How the trigger reaches the function, and how a step-mode pause inside it stops its clock. */
export interface FunctionRunner {
  handler: DeployedHandler;
  /** A learner's version is deployed (with LESSON_FUNCTION=in-process, the lesson's handler runs in this process otherwise). */
  deployed(): boolean;
  /** The invocation's environment is not killed at its timeout while `pending` is pending; resolves with the time held (ms). */
  holdWhile(requestId: string, pending: Promise<unknown>): Promise<number>;
}

/**
 * Our SQS engine (server/sqs/) in-process on :4566 and our own event source mapping, invoking the
 * function through the Lambda Runtime API — or, with LESSON_FUNCTION=in-process and no learner's
 * version deployed, lambda/handler.ts in this process.
 */
export async function startEmbeddedBackend(deps: EmbeddedDeps): Promise<Backend> {
  const { config, publish, clock, gate } = deps;
  // The trigger's calls, answered in this process, are recorded after the API's calls begun before them.
  const apiCalls = new CallsInFlight();
  const sqs = await startEmbeddedSqs({
    triggerCallsAfter: (record) => apiCalls.afterCurrent(record),
    host: SQS_HOST,
    port: config.SQS_PORT,
    region: config.AWS_REGION,
    publish,
    pageOrigin: deps.pageOrigin,
    dataDir: config.DATA_DIR,
    fsync: config.SQS_FSYNC,
    log: (message) => deps.log(message),
    ...(config.PUBLIC_HOST ? { publicHost: config.PUBLIC_HOST } : {}),
  });
  const connection = { endpoint: sqs.endpoint, region: config.AWS_REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const apiQueue = new TaskQueue(connection, deps.queueSettings, { userAgent: API_USER_AGENT, caller: "api", onCall: deps.onCall, record: { inFlight: apiCalls } });
  const queues = await apiQueue.provision();
  // The trigger calls the engine in this process (engineQueue.ts); the function's own SQS client
  // acts on receipts the trigger received, and the engine's receipts name their message.
  const messageOfReceipt = (handle: string) => parseReceiptHandle(handle)?.messageId;
  const triggerQueue = new EngineQueue(sqs, deps.queueSettings, queues);
  const functionQueue = new TaskQueue(connection, deps.queueSettings, { userAgent: FUNCTION_USER_AGENT, caller: "function", onCall: deps.onCall, record: { messageOfReceipt } });
  await functionQueue.resolve();

  // As SQS holds it now: a learner may change it from the terminal (set-queue-attributes).
  const visibilityTimeoutSeconds = () => Number(sqs.attribute(config.QUEUE_NAME, "VisibilityTimeout") ?? config.VISIBILITY_TIMEOUT_SECONDS);

  const fifoApiQueue = new TaskQueue(connection, deps.fifoQueueSettings, { userAgent: API_USER_AGENT, caller: "api", onCall: deps.onCall, record: { inFlight: apiCalls } });
  const fifoQueues = await fifoApiQueue.provision();
  const fifoTriggerQueue = new EngineQueue(sqs, deps.fifoQueueSettings, fifoQueues);
  const fifoFunctionQueue = new TaskQueue(connection, deps.fifoQueueSettings, { userAgent: FUNCTION_USER_AGENT, caller: "function", onCall: deps.onCall, record: { messageOfReceipt } });
  await fifoFunctionQueue.resolve();
  /** The function's SQS client for the queue a record came from (its eventSourceARN). */
  const functionQueueOf = (queueArn: string) => (queueArn === fifoFunctionQueue.urls.queueArn ? fifoFunctionQueue : functionQueue);

  /** One mapping: the same function behind each, with that mapping's own settings. */
  const mappingOn = (queue: TriggerQueue, settings: TriggerSettings): LambdaTrigger => {
    const queueName = queue.settings.queueName;
    const fn = deps.function;
    // What the lesson's function reads per invocation; `trigger` is set right below.
    let trigger: LambdaTrigger | undefined;
    const lessonSettings = (): LessonSettings => ({
      workMs: config.HANDLER_WORK_MS,
      faults: deps.faults(),
      reportsBatchItemFailures: trigger?.settings.FunctionResponseTypes.includes("ReportBatchItemFailures") ?? true,
      stepMode: gate.isEnabled,
    });
    const inProcess =
      config.LESSON_FUNCTION === "in-process"
        ? createHandler({
            store: deps.store,
            workMs: config.HANDLER_WORK_MS,
            faults: deps.faults,
            ...(deps.onWorkDone ? { onWorkDone: deps.onWorkDone } : {}),
            changeVisibility: (record, seconds) => functionQueueOf(record.eventSourceARN).changeVisibility(record.receiptHandle, seconds),
            reportsBatchItemFailures: () => trigger?.settings.FunctionResponseTypes.includes("ReportBatchItemFailures") ?? true,
            beforeUpdate: (taskId, record, context) => {
              const paused = gate.pass("update", { taskId, messageIds: [record.messageId], detail: `the handler is about to mark task ${taskId} completed` });
              return trigger ? trigger.frozenWhile(context.awsRequestId, paused) : paused;
            },
          })
        : null;
    trigger = new LambdaTrigger({
      queue,
      handler: (event, context) =>
        inProcess && !fn.deployed()
          ? inProcess(event, context)
          : fn.handler(event, context, (pending) => trigger?.frozenWhile(context.awsRequestId, pending) ?? pending, lessonSettings()),
      function: functionConfig,
      settings,
      scalingSpeed: config.TRIGGER_SCALING_SPEED,
      gate,
      // As SQS holds it now: a learner may change it from the terminal (set-queue-attributes).
      visibilityTimeoutSeconds: () => Number(sqs.attribute(queueName, "VisibilityTimeout") ?? config.VISIBILITY_TIMEOUT_SECONDS),
      peek: () => {
        const next = sqs.inspect(queueName, 50)?.messages.find((m) => m.state === "visible");
        return next && { messageId: next.messageId, taskId: next.taskId };
      },
      endLongPolls: () => sqs.endLongPolls(queueName),
      publish,
      clock,
      onError: (error) => deps.log(`lambda trigger (${queueName}):`, error instanceof Error ? error.message : error),
      concurrency: functionConcurrency,
    });
    return trigger;
  };
  // Both mappings invoke one function: its timeout is one setting (PATCH /api/function changes it for both).
  // …and its reserved concurrency is one limit over both mappings' invocations.
  const functionConcurrency = new FunctionConcurrency();
  const functionConfig = { functionName: FUNCTION_NAME, region: config.AWS_REGION, accountId: ACCOUNT_ID, timeoutMs: config.FUNCTION_TIMEOUT_SECONDS * 1000, memoryMb: FUNCTION_MEMORY_MB };
  const running = mappingOn(triggerQueue, deps.triggerSettings);
  const fifoRunning = mappingOn(fifoTriggerQueue, deps.fifoTriggerSettings);
  const queueNames = [config.QUEUE_NAME, config.DLQ_NAME, deps.fifoQueueSettings.queueName, deps.fifoQueueSettings.deadLetterQueueName];

  return {
    mode: "embedded",
    queues,
    apiQueue,
    trigger: running,
    fifo: { queues: fifoQueues, apiQueue: fifoApiQueue, trigger: fifoRunning },
    sqsEndpoint: `http://localhost:${sqs.port}`,
    capabilities: { stepMode: true, messageDetail: true, note: null },
    inspect: (messageLimit) => queueNames.flatMap((name) => sqs.inspect(name, messageLimit) ?? []),
    messageBody: (messageId) => {
      for (const queue of queueNames) {
        const body = sqs.messageBody(queue, messageId);
        if (body !== undefined) return { queue, body };
      }
      return undefined;
    },
    locateMessages: () => {
      const where = new Map<string, "queue" | "dead-letter">();
      for (const queue of [config.QUEUE_NAME, deps.fifoQueueSettings.queueName]) for (const id of sqs.messageIds(queue)) where.set(id, "queue");
      for (const dlq of [config.DLQ_NAME, deps.fifoQueueSettings.deadLetterQueueName]) for (const id of sqs.messageIds(dlq)) where.set(id, "dead-letter");
      return (messageId) => where.get(messageId);
    },
    visibilityTimeoutSeconds,
    maxReceiveCount: (queue) => maxReceiveCountOf(sqs.attribute(queue, "RedrivePolicy")),
    purgeAll: async () => {
      // At once, in the caller's turn of the event loop: a poller must not receive between a
      // reset's abandoning of step mode and the purge.
      sqs.purgeAll();
      // A learner (or a page) may have deleted a queue or changed its attributes from a terminal:
      // provisioning again re-creates what is missing and brings attributes and redrive policy back.
      await apiQueue.provision();
      await fifoApiQueue.provision();
    },
    setSqsUnavailable: (unavailable) => sqs.setUnavailable(unavailable),
    functionServices: {
      stepPause: async ({ taskId, messageId, invocationId }: StepPauseRequest) => {
        const paused = gate.pass("update", { taskId, messageIds: [messageId], detail: `the handler is about to mark task ${taskId} completed` });
        // The trigger's clock and the environment's kill both stand still while the learner reads.
        const frozen = Promise.all([running.frozenWhile(invocationId, paused), fifoRunning.frozenWhile(invocationId, paused)]);
        const heldMs = await deps.function.holdWhile(invocationId, frozen);
        await frozen;
        return heldMs;
      },
      changeVisibility: (queueArn, receiptHandle, seconds) => functionQueueOf(queueArn).changeVisibility(receiptHandle, seconds),
    },
    onStepModeEnabled: () => {
      sqs.endLongPolls(config.QUEUE_NAME);
      sqs.endLongPolls(deps.fifoQueueSettings.queueName);
    },
    stop: async () => {
      await Promise.all([running.stop(), fifoRunning.stop()]);
      await sqs.stop();
      for (const client of [apiQueue, functionQueue, fifoApiQueue, fifoFunctionQueue]) client.destroy();
    },
  };
}
