import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { QueueView, Snapshot } from "../common/events.js";
import { createHandler } from "../lambda/handler.js";
import { createApi, type HealthReport } from "./api/api.js";
import { ConfigError, type Config } from "./config.js";
import { EventLog, type Clock } from "./events/eventLog.js";
import { attachSocketServer, type PlaygroundSocketServer } from "./events/socketServer.js";
import { Reconciler } from "./flow/reconciler.js";
import { TaskSender } from "./flow/taskSender.js";
import { ACCOUNT_ID, startEmbeddedSqs, type EmbeddedSqs } from "./queue/embeddedSqs.js";
import { TaskQueue, type QueueAddresses } from "./queue/taskQueue.js";
import { LowdbTaskStore } from "./store/lowdbTaskStore.js";
import { LambdaTrigger } from "./trigger/lambdaTrigger.js";

export const TRIGGER_USER_AGENT = "queue-flow-playground/lambda-trigger";
const API_USER_AGENT = "queue-flow-playground/api";
export const FUNCTION_NAME = "process-task";
/** The embedded SQS never leaves loopback, whatever the API binds to. */
const SQS_HOST = "127.0.0.1";
const SNAPSHOT_EVENTS = 500;

export interface PlaygroundOptions {
  log?: (message: string, error?: unknown) => void;
  clock?: Clock;
  /** Folder of the built client, served at `/`. */
  clientDir?: string;
}

export interface Playground {
  readonly url: string;
  readonly sqsEndpoint: string;
  readonly queues: QueueAddresses;
  readonly events: EventLog;
  readonly store: LowdbTaskStore;
  readonly trigger: LambdaTrigger;
  readonly io: PlaygroundSocketServer;
  readonly sqs: EmbeddedSqs;
  readonly reconciler: Reconciler;
  snapshot(): Snapshot;
  stop(): Promise<void>;
}

/** Wires the whole flow together and starts it: the single place where the parts meet. */
export async function startPlayground(config: Config, options: PlaygroundOptions = {}): Promise<Playground> {
  if (config.mode !== "embedded") {
    throw new ConfigError(`mode "${config.mode}" is not available yet: run without AWS_ENDPOINT_URL / PLAYGROUND_MODE for the embedded backend`);
  }
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ""));
  const clock = options.clock ?? Date.now;
  const events = new EventLog(config.EVENT_LOG_SIZE, clock);
  const store = await LowdbTaskStore.open({ dataDir: config.DATA_DIR, onChange: events.publish, clock });

  const sqs: EmbeddedSqs = await startEmbeddedSqs({
    host: SQS_HOST,
    port: config.SQS_PORT,
    urlHost: "localhost",
    region: config.AWS_REGION,
    publish: events.publish,
    triggerUserAgent: TRIGGER_USER_AGENT,
    clock,
  });
  const connection = { endpoint: sqs.endpoint, region: config.AWS_REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const settings = {
    queueName: config.QUEUE_NAME,
    deadLetterQueueName: config.DLQ_NAME,
    visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
  };
  const apiQueue = new TaskQueue(connection, settings, { userAgent: API_USER_AGENT });
  const queues = await apiQueue.provision();
  const triggerQueue = new TaskQueue(connection, settings, { userAgent: TRIGGER_USER_AGENT });
  await triggerQueue.resolve();

  const sender = new TaskSender(store, apiQueue);
  const reconciler = new Reconciler(store, sender, (r) => log(`reconciler: re-sent ${r.resent} task message(s), ${r.stillFailing} still failing`));
  await reconciler.resendUnfinished();
  reconciler.startPeriodic(config.RECONCILE_INTERVAL_SECONDS * 1000);

  // A message in the dead-letter queue will not be processed again: its task has failed.
  events.subscribe((event) => {
    if (event.type !== "message.dead-lettered" || event.queue !== config.QUEUE_NAME || event.taskId === null) return;
    const reason = `message ${event.messageId} moved to ${event.deadLetterQueue} after ${event.receiveCount} receives`;
    store.markDeadLettered(event.taskId, reason).catch((error: unknown) => log("could not mark a dead-lettered task failed", error));
  });

  const trigger = new LambdaTrigger({
    queue: triggerQueue,
    handler: createHandler({ store, workMs: config.HANDLER_WORK_MS }),
    function: {
      functionName: FUNCTION_NAME,
      region: config.AWS_REGION,
      accountId: ACCOUNT_ID,
      timeoutMs: config.FUNCTION_TIMEOUT_SECONDS * 1000,
      memoryMb: 128,
    },
    settings: { batchSize: config.BATCH_SIZE, reportBatchItemFailures: true, concurrency: config.TRIGGER_CONCURRENCY, waitSeconds: 20 },
    publish: events.publish,
    clock,
    onError: (error) => log("lambda trigger:", error instanceof Error ? error.message : error),
  });
  if (config.TRIGGER_ENABLED) trigger.start();

  const inspectQueues = (): QueueView[] =>
    [config.QUEUE_NAME, config.DLQ_NAME].flatMap((name) => sqs.inspect(name) ?? []);
  const snapshot = (): Snapshot => ({ seq: events.lastSeq, tasks: store.list(), queues: inspectQueues(), events: events.recent(SNAPSHOT_EVENTS) });
  const health = (): HealthReport => ({
    status: "ok",
    mode: config.mode,
    version: config.version,
    queues: { queueUrl: queues.queueUrl, deadLetterQueueUrl: queues.deadLetterQueueUrl },
    trigger: {
      state: trigger.state,
      batchSize: trigger.settings.batchSize,
      concurrency: trigger.settings.concurrency,
      reportBatchItemFailures: trigger.settings.reportBatchItemFailures,
    },
  });

  const api = createApi({ store, sender, health, queues: inspectQueues, log, ...(options.clientDir ? { clientDir: options.clientDir } : {}) });
  const server: Server = createServer(api);
  const io = attachSocketServer(server, events, snapshot);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === "127.0.0.1" || config.HOST === "0.0.0.0" ? "localhost" : config.HOST;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop taking new tasks, let batches in flight finish (or be left for redelivery), then close SQS.
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      await trigger.stop();
      await reconciler.stop();
      await closed;
      await sqs.stop();
      apiQueue.destroy();
      triggerQueue.destroy();
      await store.flush();
    })());

  return { url: `http://${host}:${port}`, sqsEndpoint: sqs.endpoint, queues, events, store, trigger, io, sqs, reconciler, snapshot, stop };
}
