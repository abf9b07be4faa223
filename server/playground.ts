import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import type { QueueView, Snapshot, SqsCall, TriggerSettings } from "../common/events.js";
import { applyEvent, stateFromSnapshot } from "../common/state.js";
import { LessonService } from "./lessons/lessonService.js";
import { PROJECT_ROOT } from "./projectRoot.js";
import { loadDrill, loadLessons } from "./lessons/loadLessons.js";
import { DrillService } from "./lessons/drillService.js";
import type { ParsedDrill } from "./lessons/parseDrill.js";
import { Admission } from "./api/admission.js";
import { createApi, type HealthReport } from "./api/api.js";
import { remoteRateLimit } from "./api/remoteRateLimit.js";
import { ConfigError, type Config } from "./config.js";
import { EventLog, type Clock } from "./events/eventLog.js";
import { attachSocketServer, type PlaygroundSocketServer } from "./events/socketServer.js";
import { Classroom } from "./events/classroom.js";
import { budgetSnapshot, sharedSnapshots, type SnapshotParts } from "./events/snapshotBudget.js";
import { messageBodyReader } from "./events/messageBodies.js";
import { Reconciler } from "./flow/reconciler.js";
import { TaskSender } from "./flow/taskSender.js";
import { ACCOUNT_ID } from "./sqs/embedded.js";
import { fifoQueueName } from "../common/fifo.js";
import type { QueueAddresses } from "./queue/taskQueue.js";
import { LowdbTaskStore } from "./store/lowdbTaskStore.js";
import { Controls } from "./control/controls.js";
import { ControlError } from "./control/errors.js";
import { FaultSwitch } from "./control/faults.js";
import { Payments } from "./flow/payments.js";
import { StepGate } from "./control/stepGate.js";
import { terminalOff } from "./terminal/access.js";
import { attachTerminal } from "./terminal/terminalServer.js";
import type { TriggerControl } from "./trigger/triggerControl.js";
import type { Backend } from "./backends/backend.js";
import { startEmbeddedBackend } from "./backends/embedded.js";
import type { ProvisioningOptions } from "./backends/remote.js";
import { FUNCTION_MEMORY_MB, FUNCTION_NAME, functionNameFor } from "./backends/names.js";
import { InvocationReports } from "./backends/invocationReports.js";
import { controlAccessFor, playgroundHostsFor } from "./security/access.js";
import { lockDataDir } from "./store/dataDirLock.js";
import type { Lesson } from "../common/lessons.js";
import { worldActions } from "./control/worldActions.js";
import { startFunctionRuntime, type FunctionRuntime, type FunctionRuntimeOptions } from "./runtime/functionRuntime.js";
import { startFunctionEndpoint, type FunctionEndpoint } from "./api/functionEndpoint.js";
import { terminalOff as codeCellsOff } from "./terminal/access.js";
import { DEFAULT_TRIGGER_SETTINGS, updateTriggerSettings, visibilityRuleViolation } from "./trigger/mappingSettings.js";
import { watchRedrivePolicy } from "./queue/redriveWatch.js";

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
  /** The most a snapshot sent to a page may weigh (UTF-8 bytes of its JSON); SNAPSHOT_BUDGET_BYTES by default. */
  snapshotBudgetBytes?: number;
  /** A page whose unsent events pass this many bytes is disconnected (MAX_BACKLOG_BYTES by default). */
  socketBacklogBytes?: number;
  /** Told each time the handler writes a task's completion (the chaos soak counts side effects). */
  onWorkDone?: (taskId: number) => void;
  /** Deployed functions: the Python to look for (`python3`), and how many execution environments at once (8). */
  functionRuntime?: Pick<FunctionRuntimeOptions, "pythonCommand" | "maxEnvironments" | "maxStarting" | "idleMs">;
  /**
   * The lessons and drill of config.LESSONS_DIR, already loaded (the tests start hundreds of
   * playgrounds on the same lessons, and parsing them was most of a start's CPU); read from the
   * folder when absent. Given, they are this playground's own: nothing else may hold them.
   */
  loaded?: { lessons: Lesson[]; drill: ParsedDrill | undefined };
}

export interface Playground {
  readonly url: string;
  readonly sqsEndpoint: string;
  readonly queues: QueueAddresses;
  readonly events: EventLog;
  readonly store: LowdbTaskStore;
  readonly trigger: TriggerControl;
  readonly io: PlaygroundSocketServer;
  /** The HTTP API (express); tests list its routes. */
  readonly api: Express;
  readonly backend: Backend;
  readonly reconciler: Reconciler;
  readonly controls: Controls;
  readonly gate: StepGate;
  readonly terminalToken: string;
  readonly presenterToken: string;
  readonly classroom: Classroom;
  /** The secret the deployed function uses for the internal store routes. */
  readonly internalToken: string;
  /** Where the functions this playground runs reach its internal routes (embedded mode), else null. */
  readonly functionEndpointUrl: string | null;
  /** The snapshot a page gets: within its byte budget, bodies cut to their preview. */
  snapshot(): Snapshot;
  stop(): Promise<void>;
}

/**
 * Wires the whole flow together and starts it: the single place where the parts meet.
 * @throws LessonError for a broken lesson, StoreError when the data folder is another
 * playground's or its files are unusable, ConfigError for settings AWS would refuse
 */
export async function startPlayground(config: Config, options: PlaygroundOptions = {}): Promise<Playground> {
  const triggerSettings = initialTriggerSettings(config);
  // A broken lesson stops start-up with its file and line, before anything listens.
  const lessons = options.loaded?.lessons ?? loadLessons(resolve(PROJECT_ROOT, config.LESSONS_DIR), PROJECT_ROOT);
  const drill = options.loaded ? options.loaded.drill : loadDrill(resolve(PROJECT_ROOT, config.LESSONS_DIR), PROJECT_ROOT, lessons);
  // One playground per data folder: a second would hand out the same task ids.
  const lock = lockDataDir(config.DATA_DIR);
  try {
    const playground = await startWired(config, options, { lessons, drill }, triggerSettings);
    lock.listening(playground.url);
    const stop = playground.stop;
    let stopped: Promise<void> | undefined;
    return Object.assign(playground, { stop: () => (stopped ??= stop().finally(() => lock.release())) });
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startWired(config: Config, options: PlaygroundOptions, { lessons, drill }: { lessons: Lesson[]; drill: ParsedDrill | undefined }, triggerSettings: TriggerSettings): Promise<Playground> {
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
  // The FIFO twin: same visibility timeout and maxReceiveCount, `.fifo` names (SQS requires them).
  const fifoQueueSettings = { ...queueSettings, queueName: fifoQueueName(config.QUEUE_NAME), deadLetterQueueName: fifoQueueName(config.DLQ_NAME) };
  const fifoTriggerSettings = fifoMappingSettings(triggerSettings);
  const onCall = (call: SqsCall) => void events.publish({ type: "sqs.call", call });
  const gate = new StepGate(events.publish);
  // The backend is created after the faults it must honour; `backend` is set right below.
  let backend: Backend | undefined;
  const faults = new FaultSwitch(events.publish, (f) => backend?.setSqsUnavailable(f.sqsUnavailable));
  const reports = new InvocationReports(events.publish, clock);
  // Lab 1's payment service: as slow as the chaos panel's delay per record.
  const payments = new Payments({ taskExists: (taskId) => store.get(taskId) !== undefined, latencyMs: () => faults.faults.delayMs, publish: events.publish });
  const internalToken = options.internalToken ?? randomBytes(24).toString("hex");
  const backendDeps = { config, queueSettings, fifoQueueSettings, triggerSettings, fifoTriggerSettings, publish: events.publish, onCall, clock, log };
  // The port never changes once listening; server.address() on every request cost 1% of a burst.
  let listeningPort: number | undefined;
  const pageHosts = playgroundHostsFor(config, () => listeningPort ?? -1);
  // The embedded SQS answers a browser only from the playground's own page (none before it listens).
  const pageOrigin = (origin: string) => listeningPort !== undefined && pageHosts.allowsOrigin(origin);
  // The function's way to the task database (embedded mode): set once the internal routes exist.
  // The trigger may invoke before (messages left by a crash): environments wait for `reachable`.
  let functionEndpoint: FunctionEndpoint | undefined;
  let endpointListens = () => {};
  const reachable = new Promise<void>((resolve) => (endpointListens = resolve));
  // Every version of the function runs out of this process, behind the Lambda Runtime API (embedded mode only).
  const functionRuntime: FunctionRuntime | null =
    config.mode === "embedded"
      ? await startFunctionRuntime({
          ...options.functionRuntime,
          functionName: FUNCTION_NAME,
          region: config.AWS_REGION,
          accountId: ACCOUNT_ID,
          memoryMb: FUNCTION_MEMORY_MB,
          internalUrl: () => functionEndpoint?.url ?? "",
          reachable,
          internalToken,
          sqsEndpoint: () => backend?.sqsEndpoint ?? "",
          publish: events.publish,
          lessonInRuntime: config.LESSON_FUNCTION === "runtime",
        })
      : null;
  backend =
    config.mode === "embedded"
      ? await startEmbeddedBackend({ ...backendDeps, store, gate, pageOrigin, faults: () => faults.faults, function: (functionRuntime as FunctionRuntime).runner, ...(options.onWorkDone ? { onWorkDone: options.onWorkDone } : {}) })
      : // Loaded only here: the Lambda SDK costs a few hundred milliseconds of every embedded start.
        await (await import("./backends/remote.js")).startRemoteBackend({ ...backendDeps, reports, internalToken, provisioning: options.provisioning });
  const { apiQueue, queues, trigger: running } = backend;
  const world: Backend = backend;

  const sender = new TaskSender(store, apiQueue, gate, backend.fifo.apiQueue);
  const fifo = backend.fifo;
  const reconciler = new Reconciler(store, sender, (r) => log(`reconciler: re-sent ${r.resent} task message(s), ${r.stillFailing} still failing`));
  await reconciler.resendUnfinished(world.locateMessages?.());
  reconciler.startPeriodic(config.RECONCILE_INTERVAL_SECONDS * 1000);

  const sourceQueues = new Set([config.QUEUE_NAME, fifoQueueSettings.queueName]);
  // A message in the dead-letter queue will not be processed again: its task has failed.
  events.subscribe((event) => {
    if (event.type !== "message.dead-lettered" || !sourceQueues.has(event.queue) || event.taskId === null) return;
    const reason = `message ${event.messageId} moved to ${event.deadLetterQueue} after ${event.receiveCount} receives`;
    store.markDeadLettered(event.taskId, reason).catch((error: unknown) => log("could not mark a dead-lettered task failed", error));
  });
  // A failed task's message back in the task queue (a redrive, whoever started it) puts the task back to pending.
  events.subscribe((event) => {
    if (event.type !== "message.sent" || !sourceQueues.has(event.queue) || event.taskId === null) return;
    store.markRedriven(event.taskId, event.messageId).catch((error: unknown) => log("could not mark a redriven task pending", error));
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
  const fifoControls = new Controls({
    trigger: fifo.trigger,
    gate,
    faults,
    publish: events.publish,
    clock,
    eventSourceArn: fifo.queues.queueArn,
    functionArn,
    visibilityTimeoutSeconds: () => world.visibilityTimeoutSeconds(),
    fifo: true,
  });
  if (triggerSettings.Enabled) running.start();
  if (fifoTriggerSettings.Enabled) fifo.trigger.start();

  const inspectQueues = (): QueueView[] => world.inspect();
  // Each source queue's own policy: lab 2's FIFO queue has none while the standard queue keeps 3.
  const watchPolicy = (queue: string) => watchRedrivePolicy({ queue, read: () => world.maxReceiveCount(queue), subscribe: (listener) => events.subscribe(listener), publish: events.publish });
  const redrivePolicy = watchPolicy(config.QUEUE_NAME);
  const fifoRedrivePolicy = watchPolicy(fifoQueueSettings.queueName);
  // Everything, for the server's own fold; pages get it cut to the snapshot budget.
  const snapshotParts = (): SnapshotParts => ({
    seq: events.lastSeq,
    tasks: store.list(),
    queues: inspectQueues(),
    events: events.recent(SNAPSHOT_EVENTS),
    backend: { mode: config.mode, ...world.capabilities },
    controls: {
      trigger: { state: running.state, settings: running.settings },
      concurrency: running.concurrency,
      fifoMapping: { state: fifo.trigger.state, settings: fifo.trigger.settings, concurrency: fifo.trigger.concurrency },
      faults: faults.faults,
      stepMode: { enabled: gate.isEnabled, paused: gate.paused() },
      environments: functionRuntime?.pool.size ?? 0,
      function: (({ warnings: _warnings, ...settings }) => settings)(controls.functionView()),
    },
  });
  const snapshot = sharedSnapshots(() => budgetSnapshot(snapshotParts(), options.snapshotBudgetBytes), () => events.lastSeq, clock);
  const health = (): HealthReport => ({
    status: "ok",
    mode: config.mode,
    capabilities: world.capabilities,
    version: config.version,
    queues: {
      queueUrl: queues.queueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      fifoQueueUrl: fifo.queues.queueUrl,
      fifoDeadLetterQueueUrl: fifo.queues.deadLetterQueueUrl,
      // As SQS holds it now: a learner may have changed it (lab 1 sets 10).
      maxReceiveCount: redrivePolicy.current() ?? config.MAX_RECEIVE_COUNT,
      fifoMaxReceiveCount: fifoRedrivePolicy.current(),
    },
    trigger: { state: running.state, ...running.settings, concurrency: running.concurrency },
    function: { Timeout: Math.round(running.functionTimeoutMs / 1000), ReservedConcurrentExecutions: running.reservedConcurrency },
    faults: faults.faults,
    stepMode: { enabled: gate.isEnabled, paused: gate.paused().length },
    warnings: controls.triggerView().warnings,
  });

  // The server's own copy of the state fold: lesson checks read the same state the browser draws.
  const mirror = stateFromSnapshot(snapshotParts());
  events.subscribe((event) => applyEvent(mirror, event));
  const actions = worldActions({ gate, environments: functionRuntime?.pool ?? null, triggers: [running, fifo.trigger], faults, controls: [controls, fifoControls], functionCode: functionRuntime?.code ?? null, world, store, payments, redrive: () => apiQueue.redrive(), mirror, publish: events.publish });
  let addresses: { playgroundUrl: string; sqsPort: number } | undefined;
  const listeningAt = () => {
    if (!addresses) throw new Error("lessons are served only once the playground listens");
    return addresses;
  };
  const lessonService = new LessonService(lessons, mirror, clock, listeningAt);
  events.subscribe((event) => lessonService.observe(event.seq));
  const drillService = drill ? new DrillService(drill, mirror, clock, listeningAt) : undefined;
  const internal = {
    store,
    payments,
    ...(world.functionServices ? { functionServices: world.functionServices } : {}),
    ...(options.onWorkDone ? { onWorkDone: options.onWorkDone } : {}),
    token: internalToken,
    reports,
    invocationConfig: () => ({
      workMs: config.HANDLER_WORK_MS,
      faults: faults.faults,
      reportsBatchItemFailures: {
        [backend.queues.queueArn]: running.settings.FunctionResponseTypes.includes("ReportBatchItemFailures"),
        [fifo.queues.queueArn]: fifo.trigger.settings.FunctionResponseTypes.includes("ReportBatchItemFailures"),
      },
    }),
  };
  if (functionRuntime) {
    functionEndpoint = await startFunctionEndpoint(internal, log);
    endpointListens();
  }
  const presenterToken = options.presenterToken ?? config.PRESENTER_TOKEN ?? randomBytes(16).toString("hex");
  const terminalToken = options.terminalToken ?? randomBytes(16).toString("hex");
  // The terminal's curl sends this one (never the run token, which opens a shell): see terminal/curlConfig.ts.
  const shellToken = randomBytes(16).toString("hex");
  const access = controlAccessFor(config, { presenterToken, learnerTokens: [terminalToken, shellToken] }, pageHosts);
  const admission = new Admission();
  const classroom = new Classroom({ access, log: (message) => log(message) });
  const functionCode = { code: functionRuntime?.code ?? null, off: codeCellsOff(config) };
  const api = createApi({ functionCode, admission, access, classroom, remoteRateLimit: remoteRateLimit(clock), store, sender, health, queues: inspectQueues, controls, fifoControls, world: actions, lessons: lessonService, ...(drillService ? { drill: drillService } : {}), internal, log, ...(options.clientDir ? { clientDir: options.clientDir } : {}) });
  const server: Server = createServer(api);
  const messageBody = messageBodyReader((messageId) => world.messageBody(messageId));
  const io = attachSocketServer(server, events, snapshot, controls, { access, clock, classroom, maxConnections: config.MAX_CONNECTIONS, messageBody, log: (message) => log(message), ...(options.socketBacklogBytes ? { maxBacklogBytes: options.socketBacklogBytes } : {}) });
  classroom.attach(io);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  listeningPort = port;
  const host = config.HOST === "127.0.0.1" || config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
  const url = `http://${host}:${port}`;
  const terminal = attachTerminal(io, {
    token: terminalToken,
    shellToken,
    off: terminalOff(config),
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
      await functionRuntime?.stop();
      await functionEndpoint?.close();
      reports.stop();
      await closed;
      await store.flush();
    })());

  return { url, sqsEndpoint: world.sqsEndpoint, queues, events, store, trigger: running, io, api, backend: world, reconciler, controls, gate, terminalToken, presenterToken, classroom, internalToken, functionEndpointUrl: functionEndpoint?.url ?? null, snapshot, stop };
}

/** The FIFO mapping starts from the standard one's settings within FIFO's rules: BatchSize at most 10, no window. */
function fifoMappingSettings(settings: TriggerSettings): TriggerSettings {
  return { ...settings, BatchSize: Math.min(10, settings.BatchSize), MaximumBatchingWindowInSeconds: 0 };
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
    if (error instanceof ControlError) throw new ConfigError(`${error.code}: ${error.message}${error.detail ? ` (${error.detail})` : ""} (BATCH_SIZE, BATCHING_WINDOW_SECONDS, MAXIMUM_CONCURRENCY)`);
    throw error;
  }
}
