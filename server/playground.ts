import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import type { AddressInfo } from "node:net";
import type { QueueView, Snapshot, SqsCall } from "../common/events.js";
import { applyEvent, stateFromSnapshot } from "../common/state.js";
import { taskIdOf } from "../common/taskMessage.js";
import { LessonService } from "./lessons/lessonService.js";
import { PROJECT_ROOT } from "./projectRoot.js";
import { loadLessons } from "./lessons/loadLessons.js";
import { Admission } from "./api/admission.js";
import { createApi, type HealthReport } from "./api/api.js";
import { ConfigError, type Config } from "./config.js";
import { EventLog, type Clock } from "./events/eventLog.js";
import { attachSocketServer, type PlaygroundSocketServer } from "./events/socketServer.js";
import { Classroom } from "./events/classroom.js";
import { Reconciler } from "./flow/reconciler.js";
import { TaskSender } from "./flow/taskSender.js";
import { ACCOUNT_ID } from "./queue/embeddedSqs.js";
import type { QueueAddresses } from "./queue/taskQueue.js";
import { LowdbTaskStore } from "./store/lowdbTaskStore.js";
import { Controls } from "./control/controls.js";
import { ControlError } from "./control/errors.js";
import { FaultSwitch } from "./control/faults.js";
import { StepGate } from "./control/stepGate.js";
import { isLoopbackHost } from "./terminal/access.js";
import { attachTerminal } from "./terminal/terminalServer.js";
import type { TriggerControl } from "./trigger/triggerControl.js";
import type { Backend } from "./backends/backend.js";
import { startEmbeddedBackend } from "./backends/embedded.js";
import type { ProvisioningOptions } from "./backends/remote.js";
import { functionNameFor } from "./backends/names.js";
import { InvocationReports } from "./backends/invocationReports.js";
import { controlAccessFor } from "./security/access.js";
import { DEFAULT_TRIGGER_SETTINGS, updateTriggerSettings, visibilityRuleViolation } from "./trigger/mappingSettings.js";

export { PROJECT_ROOT };
const SNAPSHOT_EVENTS = 500;

export interface PlaygroundOptions {
  log?: (message: string, error?: unknown) => void;
  clock?: Clock;
  /** Folder of the built client, served at `/`. */
  clientDir?: string;
  /** The secret of the start URL (`/?token=…`) that opens the terminal; random per run by default. */
  terminalToken?: string;
  /** The presenter's secret (`/?presenter=<token>`): control actions need it in a classroom and while followers watch; PRESENTER_TOKEN, else random per run. */
  presenterToken?: string;
  /** The environment the terminal's shell inherits (server/main.ts passes its own); else just a standard PATH. */
  shellEnv?: Record<string, string | undefined>;
  /** The internal routes' token; random per run by default (the deployed function gets it in its environment). */
  internalToken?: string;
  /** LocalStack/AWS mode: how the Lambda side is reached and deployed (tests pass a recording Lambda stub). */
  provisioning?: ProvisioningOptions;
  /** Told each time the handler writes a task's completion (the chaos soak counts side effects). */
  onWorkDone?: (taskId: number) => void;
}

export interface Playground {
  readonly url: string;
  readonly sqsEndpoint: string;
  readonly queues: QueueAddresses;
  readonly events: EventLog;
  readonly store: LowdbTaskStore;
  readonly trigger: TriggerControl;
  readonly io: PlaygroundSocketServer;
  readonly backend: Backend;
  readonly reconciler: Reconciler;
  readonly controls: Controls;
  readonly gate: StepGate;
  readonly terminalToken: string;
  readonly presenterToken: string;
  readonly classroom: Classroom;
  /** The secret the deployed function uses for the internal store routes. */
  readonly internalToken: string;
  snapshot(): Snapshot;
  stop(): Promise<void>;
}

/** Wires the whole flow together and starts it: the single place where the parts meet. */
export async function startPlayground(config: Config, options: PlaygroundOptions = {}): Promise<Playground> {
  const triggerSettings = initialTriggerSettings(config);
  // A broken lesson stops start-up with its file and line, before anything listens.
  const lessons = loadLessons(resolve(PROJECT_ROOT, config.LESSONS_DIR), PROJECT_ROOT);
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ""));
  const clock = options.clock ?? Date.now;
  const events = new EventLog(config.EVENT_LOG_SIZE, clock);
  const store = await LowdbTaskStore.open({ dataDir: config.DATA_DIR, onChange: events.publish, clock });

  const queueSettings = {
    queueName: config.QUEUE_NAME,
    deadLetterQueueName: config.DLQ_NAME,
    visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
  };
  const onCall = (call: SqsCall) => void events.publish({ type: "sqs.call", call });
  const gate = new StepGate(events.publish);
  // The backend is created after the faults it must honour; `backend` is set right below.
  let backend: Backend | undefined;
  const faults = new FaultSwitch(events.publish, (f) => backend?.setSqsUnavailable(f.sqsUnavailable));
  const reports = new InvocationReports(events.publish, clock);
  const internalToken = options.internalToken ?? randomBytes(24).toString("hex");
  const backendDeps = { config, queueSettings, triggerSettings, publish: events.publish, onCall, clock, log };
  backend =
    config.mode === "embedded"
      ? await startEmbeddedBackend({ ...backendDeps, store, gate, faults: () => faults.faults, ...(options.onWorkDone ? { onWorkDone: options.onWorkDone } : {}) })
      : // Loaded only here: the Lambda SDK costs a few hundred milliseconds of every embedded start.
        await (await import("./backends/remote.js")).startRemoteBackend({ ...backendDeps, reports, internalToken, provisioning: options.provisioning });
  const { apiQueue, queues, trigger: running } = backend;
  const world: Backend = backend;

  const sender = new TaskSender(store, apiQueue, gate);
  const reconciler = new Reconciler(store, sender, (r) => log(`reconciler: re-sent ${r.resent} task message(s), ${r.stillFailing} still failing`));
  await reconciler.resendUnfinished();
  reconciler.startPeriodic(config.RECONCILE_INTERVAL_SECONDS * 1000);

  // A message in the dead-letter queue will not be processed again: its task has failed.
  events.subscribe((event) => {
    if (event.type !== "message.dead-lettered" || event.queue !== config.QUEUE_NAME || event.taskId === null) return;
    const reason = `message ${event.messageId} moved to ${event.deadLetterQueue} after ${event.receiveCount} receives`;
    store.markDeadLettered(event.taskId, reason).catch((error: unknown) => log("could not mark a dead-lettered task failed", error));
  });

  const accountId = queues.queueArn.split(":")[4] ?? ACCOUNT_ID;
  const functionArn = `arn:aws:lambda:${config.AWS_REGION}:${accountId}:function:${functionNameFor(config)}`;
  const controls = new Controls({
    trigger: running,
    gate,
    faults,
    publish: events.publish,
    clock,
    eventSourceArn: queues.queueArn,
    functionArn,
    visibilityTimeoutSeconds: () => world.visibilityTimeoutSeconds(),
    onStepModeEnabled: () => world.onStepModeEnabled(),
    stepModeUnavailable: world.capabilities.stepMode ? null : `step mode needs the embedded backend: in ${config.mode} mode the Lambda service runs the trigger, so the playground cannot pause it`,
  });
  if (triggerSettings.Enabled) running.start();

  const inspectQueues = (): QueueView[] => world.inspect();
  const snapshot = (): Snapshot => ({
    seq: events.lastSeq,
    tasks: store.list(),
    queues: inspectQueues(),
    events: events.recent(SNAPSHOT_EVENTS),
    backend: { mode: config.mode, ...world.capabilities },
    controls: {
      trigger: { state: running.state, settings: running.settings },
      concurrency: running.concurrency,
      faults: faults.faults,
      stepMode: { enabled: gate.isEnabled, paused: gate.paused() },
    },
  });
  const health = (): HealthReport => ({
    status: "ok",
    mode: config.mode,
    capabilities: world.capabilities,
    version: config.version,
    queues: { queueUrl: queues.queueUrl, deadLetterQueueUrl: queues.deadLetterQueueUrl },
    trigger: { state: running.state, ...running.settings, concurrency: running.concurrency },
    function: { Timeout: Math.round(running.functionTimeoutMs / 1000) },
    faults: faults.faults,
    stepMode: { enabled: gate.isEnabled, paused: gate.paused().length },
    warnings: controls.triggerView().warnings,
  });

  // The server's own copy of the state fold: lesson checks read the same state the browser draws.
  const mirror = stateFromSnapshot(snapshot());
  events.subscribe((event) => applyEvent(mirror, event));
  const resetWorld = async () => {
    gate.setEnabled(false);
    faults.set({});
    await world.purgeAll();
    await store.clear();
    events.publish({ type: "world.reset" });
  };
  const redrive = async () => {
    const moved = await apiQueue.redrive();
    for (const { newMessageId, body } of moved) {
      const taskId = taskIdOf(body);
      if (taskId !== null) await store.markRedriven(taskId, newMessageId);
    }
    return moved.length;
  };
  let addresses: { playgroundUrl: string; sqsPort: number } | undefined;
  const lessonService = new LessonService(lessons, mirror, clock, () => {
    if (!addresses) throw new Error("lessons are served only once the playground listens");
    return addresses;
  });
  const internal = {
    store,
    token: internalToken,
    reports,
    invocationConfig: () => ({
      workMs: config.HANDLER_WORK_MS,
      faults: faults.faults,
      reportsBatchItemFailures: running.settings.FunctionResponseTypes.includes("ReportBatchItemFailures"),
    }),
  };
  const presenterToken = options.presenterToken ?? config.PRESENTER_TOKEN ?? randomBytes(16).toString("hex");
  // The port never changes once listening; server.address() on every request cost 1% of a burst.
  let listeningPort: number | undefined;
  const access = controlAccessFor(config, presenterToken, () => (listeningPort ??= (server.address() as AddressInfo).port));
  const admission = new Admission();
  const classroom = new Classroom({ presenterToken, log: (message) => log(message) });
  const api = createApi({ admission, access, classroom, store, sender, health, queues: inspectQueues, controls, world: { resetWorld, redrive }, lessons: lessonService, internal, log, ...(options.clientDir ? { clientDir: options.clientDir } : {}) });
  const server: Server = createServer(api);
  const io = attachSocketServer(server, events, snapshot, controls, { access, clock, classroom });
  classroom.attach(io);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === "127.0.0.1" || config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
  const url = `http://${host}:${port}`;
  const terminalToken = options.terminalToken ?? randomBytes(16).toString("hex");
  const terminal = attachTerminal(io, {
    token: terminalToken,
    enabled: isLoopbackHost(config.HOST),
    playgroundUrl: url,
    baseEnv: options.shellEnv ?? {},
    rootDir: PROJECT_ROOT,
    sqsEndpoint: world.sqsEndpoint,
    region: config.AWS_REGION,
    log,
  });
  addresses = { playgroundUrl: `http://${host}:${port}`, sqsPort: Number(new URL(world.sqsEndpoint).port || 443) };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop taking new tasks, let batches in flight finish (or be left for redelivery), then close SQS.
      // Paused steps are abandoned first, so stopping never waits on a learner's Next.
      admission.close();
      gate.close();
      terminal.close();
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      // Browsers keep connections open: drop the idle ones now, and any still busy after a grace period.
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 2000);
      force.unref();
      await reconciler.stop();
      await world.stop();
      reports.stop();
      await closed;
      await store.flush();
    })());

  return { url, sqsEndpoint: world.sqsEndpoint, queues, events, store, trigger: running, io, backend: world, reconciler, controls, gate, terminalToken, presenterToken, classroom, internalToken, snapshot, stop };
}

/** The trigger's settings from configuration, checked by the same rules as PATCH /api/trigger. */
function initialTriggerSettings(config: Config) {
  const violation = visibilityRuleViolation(config.VISIBILITY_TIMEOUT_SECONDS, config.FUNCTION_TIMEOUT_SECONDS);
  // Lambda refuses to create a trigger like this (InvalidParameterValueException), so we do too.
  if (violation) throw new ConfigError(`InvalidParameterValueException: ${violation} (VISIBILITY_TIMEOUT_SECONDS, FUNCTION_TIMEOUT_SECONDS)`);
  try {
    return updateTriggerSettings(DEFAULT_TRIGGER_SETTINGS, {
      BatchSize: config.BATCH_SIZE,
      MaximumBatchingWindowInSeconds: config.BATCHING_WINDOW_SECONDS,
      FunctionResponseTypes: config.REPORT_BATCH_ITEM_FAILURES ? ["ReportBatchItemFailures"] : [],
      ScalingConfig: config.MAXIMUM_CONCURRENCY === undefined ? {} : { MaximumConcurrency: config.MAXIMUM_CONCURRENCY },
      Enabled: config.TRIGGER_ENABLED,
    });
  } catch (error) {
    if (error instanceof ControlError) throw new ConfigError(`${error.code}: ${error.message} (BATCH_SIZE, BATCHING_WINDOW_SECONDS, MAXIMUM_CONCURRENCY)`);
    throw error;
  }
}
