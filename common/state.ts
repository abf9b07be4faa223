// The playground's view of the world as a fold over the event contract: the browser renders it,
// lesson checks read it on the server, and replays rebuild it. Given the same snapshot and the
// same events it always ends in the same state. For speed under bursts of thousands of events,
// `applyEvent` updates the state it is given (the fold owns it) instead of copying it per event.
import type { Consumer, Faults, FlowEvent, PausedStep, Snapshot, SqsCall, Task, TriggerSettings, TriggerState } from "./events.js";

export type MessageState = "visible" | "in-flight" | "delayed" | "dead-lettered";

export interface MessageView {
  messageId: string;
  taskId: number | null;
  queue: string;
  state: MessageState;
  receiveCount: number;
  /** In flight: epoch ms when visibility runs out. Past it, the message is visible (SQS applies that lazily). */
  visibleAt: number | null;
  /** When the current receive happened: with visibleAt, the length of the countdown. */
  receivedAt: number | null;
  consumer: Consumer | null;
  sentAt: number;
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
}

export interface Counters {
  sent: number;
  received: number;
  deleted: number;
  deadLettered: number;
  returned: number;
  invocations: number;
  failedInvocations: number;
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
  faults: Faults | null;
  stepMode: { enabled: boolean; paused: PausedStep[] };
  counters: Counters;
  /** The most recent events, oldest first (SQS calls are kept apart, in `calls`). */
  timeline: FlowEvent[];
  /** The most recent SQS calls, oldest first: the wire inspector. */
  calls: (SqsCall & { seq: number; at: number })[];
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
    faults: null,
    stepMode: { enabled: false, paused: [] },
    counters: { sent: 0, received: 0, deleted: 0, deadLettered: 0, returned: 0, invocations: 0, failedInvocations: 0 },
    timeline: [],
    calls: [],
  };
}

/** The state a snapshot describes: tasks and queue contents as inspected, plus its recent events. */
export function stateFromSnapshot(snapshot: Snapshot): PlaygroundState {
  const state = emptyState();
  for (const task of snapshot.tasks) {
    state.tasks[task.id] = task;
    state.lastTaskId = Math.max(state.lastTaskId ?? 0, task.id);
  }
  // The first queue is the task queue; the others are dead-letter queues.
  const [main] = snapshot.queues;
  for (const queue of snapshot.queues) {
    for (const m of queue.messages) {
      state.messages[m.messageId] = {
        messageId: m.messageId,
        taskId: m.taskId,
        queue: queue.name,
        state: queue === main ? m.state : "dead-lettered",
        receiveCount: m.receiveCount,
        visibleAt: m.visibleAt,
        receivedAt: null,
        consumer: null,
        sentAt: m.sentAt,
      };
    }
  }
  state.timeline = snapshot.events.filter((e) => e.type !== "sqs.call").slice(-TIMELINE_LIMIT);
  state.calls = snapshot.events.flatMap((e) => (e.type === "sqs.call" ? [{ ...e.call, seq: e.seq, at: e.at }] : [])).slice(-CALLS_LIMIT);
  state.seq = snapshot.seq;
  state.backend = snapshot.backend ?? null;
  if (snapshot.controls) {
    state.trigger = { ...snapshot.controls.trigger };
    state.concurrency = { ...snapshot.controls.concurrency };
    state.peakConcurrencyLimit = snapshot.controls.concurrency.limit;
    state.faults = snapshot.controls.faults;
    state.stepMode = { enabled: snapshot.controls.stepMode.enabled, paused: [...snapshot.controls.stepMode.paused] };
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
    return state;
  }
  state.timeline.push(event);
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
      state.messages[event.messageId] = { messageId: event.messageId, taskId: event.taskId, queue: event.queue, state: "visible", receiveCount: 0, visibleAt: null, receivedAt: null, consumer: null, sentAt: event.at };
      break;
    case "message.received":
      state.counters.received += 1;
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
      };
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
      state.concurrency = { running: event.running, limit: event.limit, maximum: event.maximum };
      state.peakConcurrencyLimit = Math.max(state.peakConcurrencyLimit, event.limit);
      break;
    case "trigger.state":
      state.trigger.state = event.state;
      break;
    case "trigger.updated":
      state.trigger.settings = event.settings;
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
      break;
    }
    case "step.released":
      state.stepMode.paused = state.stepMode.paused.filter((p) => p.pauseId !== event.pauseId);
      break;
    case "world.reset":
      Object.assign(state, { ...emptyState(), seq: state.seq, timeline: state.timeline, calls: state.calls, trigger: state.trigger, concurrency: state.concurrency, peakConcurrencyLimit: state.concurrency.limit });
      break;
    case "function.updated":
      break;
  }
  return state;
}

export function foldEvents(events: Iterable<FlowEvent>, state: PlaygroundState = emptyState()): PlaygroundState {
  for (const event of events) applyEvent(state, event);
  return state;
}

function pruneInvocations(state: PlaygroundState): void {
  // Counting keys first: this runs for every finished invocation, and most of the time there is nothing to prune.
  if (Object.keys(state.invocations).length <= FINISHED_INVOCATIONS_KEPT * 1.25) return;
  const finished = Object.values(state.invocations).filter((i) => i.status !== "running");
  if (finished.length <= FINISHED_INVOCATIONS_KEPT * 1.25) return;
  finished.sort((a, b) => a.startedAt - b.startedAt);
  for (const old of finished.slice(0, finished.length - FINISHED_INVOCATIONS_KEPT)) delete state.invocations[old.invocationId];
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
  const ids = "messageIds" in event ? event.messageIds : "messageId" in event ? [event.messageId] : [];
  if (ids.length === 0) return [];
  return state.calls
    .filter((call) => call.messageIds.some((id) => ids.includes(id)))
    .sort((a, b) => Math.abs(a.seq - event.seq) - Math.abs(b.seq - event.seq))
    .slice(0, limit)
    .sort((a, b) => a.seq - b.seq);
}
