// The playground's view of the world as a fold over the event contract: the browser renders it,
// lesson checks read it on the server, and replays rebuild it. Given the same snapshot and the
// same events it always ends in the same state. For speed under bursts of thousands of events,
// `applyEvent` updates the state it is given (the fold owns it) instead of copying it per event.
import { fifoQueueName } from "./fifo.js";
import { addToTimeline, visibilityTimeoutSet, isTimelineCall } from "./heartbeat.js";
import type { Consumer, Faults, FlowEvent, FunctionLanguage, FunctionSettings, PausedStep, Snapshot, SqsCall, Task, TriggerSettings, TriggerState } from "./events.js";

export type MessageState = "visible" | "in-flight" | "delayed" | "dead-lettered";

export interface MessageView {
  messageId: string;
  taskId: number | null;
  queue: string;
  state: MessageState;
  receiveCount: number;
  /** In flight: epoch ms when visibility runs out (message.visible-again follows at that moment). */
  visibleAt: number | null;
  /** When the current receive happened: with visibleAt, the length of the countdown. */
  receivedAt: number | null;
  consumer: Consumer | null;
  sentAt: number;
  /** A FIFO queue's message: its MessageGroupId (the visualizer draws one lane per group). */
  groupId?: string;
  /** When it arrived in the dead-letter queue (epoch ms), once dead-lettered. */
  deadLetteredAt?: number;
}

/** The last message whose retention period ended, as it was then. */
export interface ExpiredView {
  messageId: string;
  taskId: number | null;
  queue: string;
  /** Its first send and its expiry (epoch ms). */
  sentAt: number;
  expiredAt: number;
  /** When it had arrived in the dead-letter queue it expired from; null when it expired where it was sent. */
  deadLetteredAt: number | null;
  retentionSeconds: number;
}

export interface InvocationView {
  invocationId: string;
  messageIds: string[];
  taskIds: (number | null)[];
  startedAt: number;
  status: "running" | "completed" | "failed";
  durationMs: number | null;
  failedMessageIds: string[];
  error: string | null;
  /** The function's version when it was invoked (state.functionCode.version then): whose code ran, or failed. */
  version: number;
}

export interface Counters {
  sent: number;
  received: number;
  deleted: number;
  deadLettered: number;
  returned: number;
  invocations: number;
  failedInvocations: number;
  /** Messages the trigger's FilterCriteria left out: deleted without an invocation. */
  filtered: number;
  /** Messages SQS deleted because their retention period ended. */
  expired: number;
  /** Invocations Lambda throttled (the function's reserved concurrency was in use). */
  throttled: number;
}

export interface PlaygroundState {
  seq: number;
  /** Where SQS and Lambda run and what can be seen there (null: not told, i.e. embedded). */
  backend: Snapshot["backend"] | null;
  tasks: Record<number, Task>;
  lastTaskId: number | null;
  messages: Record<string, MessageView>;
  invocations: Record<string, InvocationView>;
  concurrency: { running: number; limit: number; maximum: number };
  /** The highest concurrency limit seen since the start (or the last reset): did the trigger scale up? */
  peakConcurrencyLimit: number;
  trigger: { state: TriggerState | null; settings: TriggerSettings | null };
  /** The FIFO queue's event source mapping: its own state, settings and concurrency (one batch per active group). */
  fifoMapping: { state: TriggerState | null; settings: TriggerSettings | null; concurrency: { running: number; limit: number; maximum: number } };
  faults: Faults | null;
  stepMode: { enabled: boolean; paused: PausedStep[] };
  /**
   * Execution environments alive now (a cold start adds one, an environment's end takes it away):
   * invocations beyond them wait for one, this machine's limit and not Lambda's. Kept across a reset.
   */
  environments: number;
  /** The function's settings (timeout in seconds, reserved concurrency), null until a snapshot or a `function.updated` says them. */
  functionSettings: FunctionSettings | null;
  counters: Counters;
  /** The most recent events, oldest first (SQS calls are kept apart, in `calls`, except step mode's heartbeat and the function's visibility changes: common/heartbeat.ts). */
  timeline: FlowEvent[];
  /** The most recent SQS calls, oldest first: the wire inspector. */
  calls: (SqsCall & { seq: number; at: number })[];
  /**
   * SQS calls since the start (or the last reset), by `<caller> <operation>` (e.g. "other-client
   * ReceiveMessage"): how many, and how many ReceiveMessage answered with no message (an empty
   * receive, which SQS bills as a request like any other).
   */
  callCounts: Record<string, { calls: number; empty: number; failed: number }>;
  /** The function's code: version 0 is the lesson's handler; a deploy (PUT /api/function/code) makes 1, 2, …; kept across a world reset, as the server keeps it. */
  functionCode: {
    version: number;
    language: FunctionLanguage | null;
    /** The last task id when this version was deployed (0: none): tasks above it were created for this version. */
    deployedAfterTaskId: number;
  };
  /** The last message that expired (its retention period ended), or null. */
  lastExpired: ExpiredView | null;
  /** The last message that expired from a dead-letter queue, or null. */
  lastDeadLetterExpired: ExpiredView | null;
  /** A lab's trial: the tasks with an id above this one are its tasks (null: no trial since the last reset). */
  trialAfterTaskId: number | null;
  /** How many times each task's messages were received (by anyone), kept after the message is deleted. */
  receivesByTask: Record<number, number>;
  /** How many times each task's order was charged (`charge.made`): more than once is a duplicate side effect. */
  chargesByTask: Record<number, number>;
  /** The task whose step 5 (update) step mode held last, or null: lesson 1's stepped task is one that waited there. */
  steppedTaskId: number | null;
  /**
   * How long (whole seconds) the trigger's latest receive hid its message: the queue's visibility
   * timeout as the trigger met it (it sets none of its own). Null before its first receive.
   */
  triggerVisibilitySeconds: number | null;
}

export const TIMELINE_LIMIT = 1000;
export const CALLS_LIMIT = 300;
/** Finished invocations kept for display; running ones are always kept. */
const FINISHED_INVOCATIONS_KEPT = 200;

export function emptyState(): PlaygroundState {
  return {
    seq: 0,
    backend: null,
    tasks: {},
    lastTaskId: null,
    messages: {},
    invocations: {},
    concurrency: { running: 0, limit: 0, maximum: 0 },
    peakConcurrencyLimit: 0,
    trigger: { state: null, settings: null },
    fifoMapping: { state: null, settings: null, concurrency: { running: 0, limit: 0, maximum: 0 } },
    faults: null,
    stepMode: { enabled: false, paused: [] },
    environments: 0,
    functionSettings: null,
    counters: { sent: 0, received: 0, deleted: 0, deadLettered: 0, returned: 0, invocations: 0, failedInvocations: 0, filtered: 0, expired: 0, throttled: 0 },
    timeline: [],
    calls: [],
    callCounts: {},
    functionCode: { version: 0, language: null, deployedAfterTaskId: 0 },
    lastExpired: null,
    lastDeadLetterExpired: null,
    trialAfterTaskId: null,
    receivesByTask: {},
    chargesByTask: {},
    steppedTaskId: null,
    triggerVisibilitySeconds: null,
  };
}

/** The state a snapshot describes: tasks and queue contents as inspected, plus its recent events. */
export function stateFromSnapshot(snapshot: Snapshot): PlaygroundState {
  const state = emptyState();
  for (const task of snapshot.tasks) {
    state.tasks[task.id] = task;
    state.lastTaskId = Math.max(state.lastTaskId ?? 0, task.id);
  }
  // The first queue is the task queue, and its `.fifo` twin the FIFO task queue; the others are dead-letter queues.
  const [main] = snapshot.queues;
  const sources = new Set(main ? [main.name, fifoQueueName(main.name)] : []);
  for (const queue of snapshot.queues) {
    for (const m of queue.messages) {
      state.messages[m.messageId] = {
        messageId: m.messageId,
        taskId: m.taskId,
        queue: queue.name,
        state: sources.has(queue.name) ? m.state : "dead-lettered",
        receiveCount: m.receiveCount,
        visibleAt: m.visibleAt,
        receivedAt: null,
        consumer: null,
        sentAt: m.sentAt,
        ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
      };
    }
  }
  for (const event of snapshot.events) if (event.type !== "sqs.call" || isTimelineCall(event.call)) addToTimeline(state.timeline, event);
  state.timeline = state.timeline.slice(-TIMELINE_LIMIT);
  state.calls = snapshot.events.flatMap((e) => (e.type === "sqs.call" ? [{ ...e.call, seq: e.seq, at: e.at }] : [])).slice(-CALLS_LIMIT);
  // Counted since the last reset, as the live fold counts them (a reset empties the counts): after
  // a reload the wire said "ReceiveMessage × 73, 51 empty" beside a ✓ "no empty receive". Older
  // than the snapshot's events, a reset leaves the counts to the events it holds.
  const lastReset = snapshot.events.findLastIndex((event) => event.type === "world.reset");
  for (const event of snapshot.events.slice(lastReset + 1)) if (event.type === "sqs.call") countCall(state, event.call);
  state.seq = snapshot.seq;
  state.backend = snapshot.backend ?? null;
  if (snapshot.controls) {
    state.trigger = { ...snapshot.controls.trigger };
    state.concurrency = { ...snapshot.controls.concurrency };
    state.peakConcurrencyLimit = snapshot.controls.concurrency.limit;
    if (snapshot.controls.fifoMapping) state.fifoMapping = { ...snapshot.controls.fifoMapping };
    state.faults = snapshot.controls.faults;
    state.stepMode = { enabled: snapshot.controls.stepMode.enabled, paused: [...snapshot.controls.stepMode.paused] };
    state.environments = snapshot.controls.environments ?? 0;
    state.functionSettings = snapshot.controls.function ?? null;
  }
  return state;
}

/** Fold one event into the state. Events at or before `state.seq` are skipped (a snapshot already holds them). */
export function applyEvent(state: PlaygroundState, event: FlowEvent): PlaygroundState {
  if (event.seq <= state.seq) return state;
  state.seq = event.seq;
  if (event.type === "sqs.call") {
    state.calls.push({ ...event.call, seq: event.seq, at: event.at });
    if (state.calls.length > CALLS_LIMIT * 1.25) state.calls.splice(0, state.calls.length - CALLS_LIMIT);
    followVisibilityChange(state, event.call, event.at);
    countCall(state, event.call);
    if (isTimelineCall(event.call)) addToTimeline(state.timeline, event);
    return state;
  }
  addToTimeline(state.timeline, event);
  if (state.timeline.length > TIMELINE_LIMIT * 1.25) state.timeline.splice(0, state.timeline.length - TIMELINE_LIMIT);
  const message = "messageId" in event ? state.messages[event.messageId] : undefined;
  switch (event.type) {
    case "task.created":
    case "task.updated":
      state.tasks[event.taskId] = event.task;
      if (event.type === "task.created") state.lastTaskId = event.taskId;
      break;
    case "message.sent":
      state.counters.sent += 1;
      state.messages[event.messageId] = {
        messageId: event.messageId,
        taskId: event.taskId,
        queue: event.queue,
        state: "visible",
        receiveCount: 0,
        visibleAt: null,
        receivedAt: null,
        consumer: null,
        sentAt: event.at,
        ...(event.groupId !== undefined ? { groupId: event.groupId } : {}),
      };
      break;
    case "message.received":
      state.counters.received += 1;
      if (event.taskId !== null) state.receivesByTask[event.taskId] = (state.receivesByTask[event.taskId] ?? 0) + 1;
      if (event.consumer === "lambda-trigger") state.triggerVisibilitySeconds = Math.round((event.visibleAt - event.at) / 1000);
      state.messages[event.messageId] = {
        ...(message ?? { messageId: event.messageId, taskId: event.taskId, queue: event.queue, sentAt: event.at }),
        state: "in-flight",
        receiveCount: event.receiveCount,
        visibleAt: event.visibleAt,
        receivedAt: event.at,
        consumer: event.consumer,
      };
      break;
    case "message.delayed":
      if (message) Object.assign(message, { state: "delayed", visibleAt: event.visibleAt });
      break;
    case "message.visible-again":
      state.counters.returned += 1;
      if (message) Object.assign(message, { state: "visible", visibleAt: null, receivedAt: null, receiveCount: event.receiveCount });
      break;
    case "message.deleted":
      state.counters.deleted += 1;
      delete state.messages[event.messageId];
      break;
    case "message.dead-lettered":
      state.counters.deadLettered += 1;
      state.messages[event.messageId] = {
        ...(message ?? { messageId: event.messageId, taskId: event.taskId, sentAt: event.at, consumer: null }),
        queue: event.deadLetterQueue,
        state: "dead-lettered",
        receiveCount: event.receiveCount,
        visibleAt: null,
        receivedAt: null,
        deadLetteredAt: event.at,
      };
      break;
    case "message.expired":
      state.counters.expired += 1;
      state.lastExpired = {
        messageId: event.messageId,
        taskId: event.taskId,
        queue: event.queue,
        sentAt: event.sentAt,
        expiredAt: event.at,
        deadLetteredAt: message?.deadLetteredAt ?? null,
        retentionSeconds: event.retentionSeconds,
      };
      if (state.lastExpired.deadLetteredAt !== null) state.lastDeadLetterExpired = state.lastExpired;
      delete state.messages[event.messageId];
      break;
    case "lambda.throttled":
      state.counters.throttled += 1;
      break;
    case "trigger.filtered":
      state.counters.filtered += event.messageIds.length;
      break;
    case "lambda.invoked":
      state.counters.invocations += 1;
      state.invocations[event.invocationId] = {
        invocationId: event.invocationId,
        messageIds: event.messageIds,
        taskIds: event.taskIds,
        startedAt: event.at,
        status: "running",
        durationMs: null,
        failedMessageIds: [],
        error: null,
        version: state.functionCode.version,
      };
      pruneInvocations(state);
      break;
    case "lambda.completed":
    case "lambda.failed": {
      const invocation = state.invocations[event.invocationId];
      if (event.type === "lambda.failed") state.counters.failedInvocations += 1;
      if (!invocation) break;
      invocation.status = event.type === "lambda.completed" ? "completed" : "failed";
      invocation.durationMs = event.durationMs;
      invocation.failedMessageIds = event.type === "lambda.completed" ? event.failedMessageIds : event.messageIds;
      invocation.error = event.type === "lambda.failed" ? event.error : null;
      break;
    }
    case "lambda.concurrency":
      if (event.mapping === "fifo") {
        state.fifoMapping.concurrency = { running: event.running, limit: event.limit, maximum: event.maximum };
        break;
      }
      state.concurrency = { running: event.running, limit: event.limit, maximum: event.maximum };
      state.peakConcurrencyLimit = Math.max(state.peakConcurrencyLimit, event.limit);
      break;
    case "trigger.state":
      (event.mapping === "fifo" ? state.fifoMapping : state.trigger).state = event.state;
      break;
    case "trigger.updated":
      (event.mapping === "fifo" ? state.fifoMapping : state.trigger).settings = event.settings;
      break;
    case "faults.changed":
      state.faults = event.faults;
      break;
    case "step-mode.changed":
      state.stepMode = { enabled: event.enabled, paused: event.enabled ? state.stepMode.paused : [] };
      break;
    case "step.paused": {
      const { type: _t, seq: _s, at: _a, ...paused } = event;
      state.stepMode.paused.push(paused);
      if (paused.step === "update") state.steppedTaskId = paused.taskId;
      break;
    }
    case "step.released":
      state.stepMode.paused = state.stepMode.paused.filter((p) => p.pauseId !== event.pauseId);
      break;
    case "world.reset":
      // Step mode and faults are kept: the reset switched them off with their own events when it
      // began, and this event comes after its purge. Step mode switched on in between (lesson 1's
      // reset then its step-mode block, pressed quickly) was wiped here while the server kept it:
      // the page lost the Release button and the checks read step mode as off.
      Object.assign(state, { ...emptyState(), seq: state.seq, timeline: state.timeline, calls: state.calls, trigger: state.trigger, fifoMapping: state.fifoMapping, concurrency: state.concurrency, peakConcurrencyLimit: state.concurrency.limit, stepMode: state.stepMode, faults: state.faults, functionCode: state.functionCode, environments: state.environments, functionSettings: state.functionSettings });
      break;
    case "lambda.cold-start":
      state.environments += 1;
      break;
    case "lambda.environment-ended":
      state.environments = Math.max(0, state.environments - 1);
      break;
    case "function.updated":
      state.functionSettings = event.settings;
      break;
    case "trial.started":
      state.trialAfterTaskId = event.afterTaskId;
      break;
    case "charge.made":
      state.chargesByTask[event.taskId] = event.charges;
      break;
    case "function.deployed":
      state.functionCode = { version: event.version, language: event.version === 0 ? null : event.language, deployedAfterTaskId: state.lastTaskId ?? 0 };
      break;
  }
  return state;
}

export function foldEvents(events: Iterable<FlowEvent>, state: PlaygroundState = emptyState()): PlaygroundState {
  for (const event of events) applyEvent(state, event);
  return state;
}

/** Counts a call under `<caller> <operation>`; a ReceiveMessage that returned no message counts as empty too. */
function countCall(state: PlaygroundState, call: SqsCall): void {
  const key = `${call.caller} ${call.operation}`;
  const count = (state.callCounts[key] ??= { calls: 0, empty: 0, failed: 0 });
  count.calls += 1;
  if (call.error) count.failed += 1;
  const messages = (call.response as { Messages?: unknown[] } | null)?.Messages;
  if (call.operation === "ReceiveMessage" && !call.error && (messages?.length ?? 0) === 0) count.empty += 1;
}

function pruneInvocations(state: PlaygroundState): void {
  // Counting keys first: this runs for every finished invocation, and most of the time there is nothing to prune.
  if (Object.keys(state.invocations).length <= FINISHED_INVOCATIONS_KEPT * 1.25) return;
  const finished = Object.values(state.invocations).filter((i) => i.status !== "running");
  if (finished.length <= FINISHED_INVOCATIONS_KEPT * 1.25) return;
  finished.sort((a, b) => a.startedAt - b.startedAt);
  for (const old of finished.slice(0, finished.length - FINISHED_INVOCATIONS_KEPT)) delete state.invocations[old.invocationId];
}

/**
 * ChangeMessageVisibility(Batch) moved in-flight messages' deadlines to `at` + the timeout it set
 * (step mode's heartbeat does this every few seconds): no flow event says so, only the call. Left
 * out, a message the trigger held showed "visible · waiting" 5 s after its receive. A batch whose
 * entries set different timeouts is not followed (its messages cannot be told apart by receipt here).
 * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
 */
function followVisibilityChange(state: PlaygroundState, call: SqsCall, at: number): void {
  if (call.error || (call.operation !== "ChangeMessageVisibility" && call.operation !== "ChangeMessageVisibilityBatch")) return;
  const seconds = visibilityTimeoutSet(call);
  if (seconds === null) return;
  for (const id of call.messageIds) {
    const message = state.messages[id];
    if (message?.state === "in-flight") message.visibleAt = at + seconds * 1000;
  }
}

/** A message's state at `now`: in flight or delayed past its deadline means visible, whatever SQS has applied yet. */
export function messageStateAt(message: MessageView, now: number): MessageState {
  const due = message.visibleAt !== null && message.visibleAt <= now;
  return (message.state === "in-flight" || message.state === "delayed") && due ? "visible" : message.state;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
  deadLettered: number;
}

export function queueCounts(state: PlaygroundState, now: number): QueueCounts {
  const counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0, deadLettered: 0 };
  for (const message of Object.values(state.messages)) {
    const current = messageStateAt(message, now);
    if (current === "in-flight") counts.inFlight += 1;
    else if (current === "dead-lettered") counts.deadLettered += 1;
    else counts[current] += 1;
  }
  return counts;
}

export function tasksByStatus(state: PlaygroundState): Record<Task["status"], number> {
  const counts = { pending: 0, processing: 0, completed: 0, failed: 0 };
  for (const task of Object.values(state.tasks)) counts[task.status] += 1;
  return counts;
}

/**
 * The SQS calls behind an event: those that concerned its messages, nearest to it first. SQS
 * reports what it did while the call is still being answered, so the record of the call that
 * caused an event usually comes just after the event.
 */
export function callsFor(state: PlaygroundState, event: FlowEvent, limit = 2): PlaygroundState["calls"] {
  if (event.type === "sqs.call") return [{ ...event.call, seq: event.seq, at: event.at }];
  const ids = "messageIds" in event ? event.messageIds : "messageId" in event ? [event.messageId] : [];
  if (ids.length === 0) return [];
  // A purge names no message: its PurgeQueue is the one on the event's queue (a second is refused for 60 s).
  const purged = event.type === "message.deleted" && event.purgedBy !== undefined ? event.queue : null;
  // The call that made the event first ("message deleted" opened on the ReceiveMessage before its DeleteMessageBatch, 76 lines up), then by time.
  const own = purged === null ? OWN_CALL[event.type] : /^PurgeQueue$/;
  const isOwn = (call: PlaygroundState["calls"][number]) => own?.test(call.operation) ?? false;
  const concerns = (call: PlaygroundState["calls"][number]) =>
    call.messageIds.some((id) => ids.includes(id)) || (purged !== null && !call.error && call.operation === "PurgeQueue" && queueNameOf(call.request) === purged);
  const nearest = state.calls.filter(concerns).sort((a, b) => Math.abs(a.seq - event.seq) - Math.abs(b.seq - event.seq));
  // The nearest own call is always among them: a purge of many messages is farther from the first one's row than its send.
  const ownCall = nearest.find(isOwn);
  // Beside its own call, the context is another operation: "received (receive 13)" opened on two
  // ReceiveMessage calls, receive 12's as well, as if one receive had been two (lab 2).
  const shown = ownCall ? [ownCall, ...nearest.filter((call) => !isOwn(call)).slice(0, limit - 1)] : nearest.slice(0, limit);
  return shown.sort((a, b) => Number(isOwn(b)) - Number(isOwn(a)) || a.seq - b.seq);
}

/** The queue a call's QueueUrl names: its last path segment (SQS takes a bare name too). */
function queueNameOf(request: unknown): string | undefined {
  const url = (request as { QueueUrl?: unknown } | null)?.QueueUrl;
  return typeof url === "string" ? url.slice(url.lastIndexOf("/") + 1) : undefined;
}

/** The SQS operation behind each kind of message event. */
const OWN_CALL: Partial<Record<FlowEvent["type"], RegExp>> = {
  "message.sent": /^SendMessage/,
  "message.received": /^ReceiveMessage$/,
  "message.deleted": /^DeleteMessage/,
  "message.delayed": /^SendMessage/,
};
