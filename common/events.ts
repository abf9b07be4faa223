// The one contract between the server and every client: the task shape, the events that
// describe each step of the flow, and the Socket.IO messages that carry them.
// Server and client both import this file; nothing else defines these shapes.

export type TaskStatus = "pending" | "processing" | "completed" | "failed";

export interface Task {
  id: number;
  title: string;
  status: TaskStatus;
  /** The SQS message that carries this task; null until SendMessage has succeeded. */
  messageId: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** How many times a handler started work on this task (a redelivery of a finished task does not count). */
  attempts: number;
  /** Why the last SendMessage failed; cleared once the message is sent (the dual-write problem). */
  sendError: string | null;
  /** Why the last attempt failed, or why the task was given up on (dead-lettered). */
  lastError: string | null;
}

/** Who took a message off the queue: our Lambda trigger, or any other SQS client (a terminal, a script). */
export type Consumer = "lambda-trigger" | "other-client";

/** Each step of the flow, as the body of one event. `taskId` is null when a message body names no task. */
export type FlowEventBody =
  | { type: "task.created"; taskId: number; task: Task }
  | { type: "task.updated"; taskId: number; from: TaskStatus; task: Task }
  | { type: "message.sent"; queue: string; messageId: string; taskId: number | null; body: string }
  | {
      type: "message.received";
      queue: string;
      messageId: string;
      taskId: number | null;
      receiptHandle: string;
      receiveCount: number;
      /** Epoch ms at which the message becomes visible again unless it is deleted first. */
      visibleAt: number;
      consumer: Consumer;
    }
  /** A message sent with a delay (DelaySeconds): invisible to consumers until `visibleAt`. */
  | { type: "message.delayed"; queue: string; messageId: string; taskId: number | null; visibleAt: number }
  | { type: "message.visible-again"; queue: string; messageId: string; taskId: number | null; receiveCount: number }
  | { type: "message.deleted"; queue: string; messageId: string; taskId: number | null }
  | {
      type: "message.dead-lettered";
      queue: string;
      deadLetterQueue: string;
      messageId: string;
      taskId: number | null;
      receiveCount: number;
    }
  | { type: "lambda.invoked"; invocationId: string; functionName: string; messageIds: string[]; taskIds: (number | null)[] }
  | {
      type: "lambda.completed";
      invocationId: string;
      durationMs: number;
      /** Messages the handler reported in batchItemFailures: they stay on the queue. */
      failedMessageIds: string[];
    }
  | { type: "lambda.failed"; invocationId: string; durationMs: number; error: string; messageIds: string[] }
  | { type: "trigger.state"; state: TriggerState }
  | { type: "trigger.updated"; settings: TriggerSettings; warnings: string[] }
  | { type: "function.updated"; settings: FunctionSettings; warnings: string[] }
  /** The trigger's concurrency: batches running now, the current limit, and the ceiling it may grow to. */
  | { type: "lambda.concurrency"; running: number; limit: number; maximum: number }
  | { type: "faults.changed"; faults: Faults }
  | { type: "step-mode.changed"; enabled: boolean }
  | { type: "step.paused"; pauseId: number; step: FlowStep; stepNumber: number; taskId: number | null; messageIds: string[]; detail: string }
  | { type: "step.released"; pauseId: number; step: FlowStep }
  /** "Reset the world": queues purged, tasks cleared, faults cleared, step mode off. */
  | { type: "world.reset" }
  /** One SQS call the playground made (the wire inspector). */
  | { type: "sqs.call"; call: SqsCall };

export type FlowEventType = FlowEventBody["type"];

/** An SQS call as it went over the wire: the JSON protocol's target, request and response. */
export interface SqsCall {
  /** Which part of the playground called: the API or the Lambda trigger. */
  caller: string;
  operation: string;
  /** The X-Amz-Target header: `AmazonSQS.<operation>`. */
  target: string;
  request: unknown;
  response: unknown;
  error: { code: string; message: string } | null;
  durationMs: number;
  /** The messages the call concerned, to link it to the events it caused. */
  messageIds: string[];
}

/** An event as it is logged and broadcast: a body plus its place in the log and its time (epoch ms). */
export type FlowEvent = FlowEventBody & { seq: number; at: number };

export type TriggerState = "enabled" | "disabled" | "stopping" | "stopped";

/** The trigger's settings, with the field names of Create/UpdateEventSourceMapping. */
export interface TriggerSettings {
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  FunctionResponseTypes: "ReportBatchItemFailures"[];
  ScalingConfig: { MaximumConcurrency?: number };
  Enabled: boolean;
}

/** The function's settings, with the field names of UpdateFunctionConfiguration. */
export interface FunctionSettings {
  /** Seconds. */
  Timeout: number;
}

/** What is broken on purpose. All off: `{failRate: 0, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: false}`. */
export interface Faults {
  /** Fraction of records the handler fails, 0..1. */
  failRate: number;
  /** Extra time the handler spends on each record. */
  delayMs: number;
  /** The handler hangs past its timeout. */
  timeout: boolean;
  /** The handler throws after processing this many records of a batch. */
  crashAfter: number | null;
  /** SQS answers every call with 503 ServiceUnavailable. */
  sqsUnavailable: boolean;
}

/** The six steps of the flow, in order; step mode pauses before each. */
export const FLOW_STEPS = ["insert", "send", "receive", "invoke", "update", "delete"] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];

/** A message as seen by inspection (never by ReceiveMessage, which would change the queue). */
export interface QueuedMessage {
  messageId: string;
  taskId: number | null;
  body: string;
  receiveCount: number;
  sentAt: number;
  state: "visible" | "in-flight" | "delayed";
  /** For in-flight messages: epoch ms at which visibility runs out. */
  visibleAt: number | null;
}

export interface QueueView {
  name: string;
  url: string;
  visible: number;
  inFlight: number;
  delayed: number;
  messages: QueuedMessage[];
}

export interface Snapshot {
  /** Sequence number of the last event included in this snapshot; live events continue after it. */
  seq: number;
  tasks: Task[];
  queues: QueueView[];
  events: FlowEvent[];
  /** Where SQS and Lambda run, and what that backend can show (older snapshots lack it: embedded). */
  backend?: { mode: "embedded" | "localstack" | "aws"; stepMode: boolean; messageDetail: boolean; note: string | null };
  /** The controls as they stand, so a fold can start from them. */
  controls?: {
    trigger: { state: TriggerState; settings: TriggerSettings };
    concurrency: { running: number; limit: number; maximum: number };
    faults: Faults;
    stepMode: { enabled: boolean; paused: PausedStep[] };
  };
}

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  /** Live events, in sequence order, batched per tick so a burst cannot flood a tab. */
  events: (events: FlowEvent[]) => void;
  /** To followers: where the presenter is now (sent on every announce). */
  "presenter:position": (position: PresenterPosition) => void;
  /** To every page: how many followers are watching (the presenter shows it). */
  "classroom:followers": (count: number) => void;
}

/**
 * Where the presenter is, announced over the socket so that followers' pages go to the same
 * lesson step and, when the presenter travels back in time, to the same moment.
 */
export interface PresenterPosition {
  lessonId: string | null;
  /** The step, counted from 1 as the page's deep links do. */
  step: number;
  /** The event the presenter's page shows (time travel), or null for live. */
  seq: number | null;
}

export type Reply<T> = { data: T } | { error: { code: string; message: string } };

export interface ClientToServerEvents {
  "snapshot:get": (reply: (response: Reply<Snapshot>) => void) => void;
  "trigger:get": (reply: (response: Reply<TriggerView>) => void) => void;
  "trigger:update": (patch: unknown, reply: (response: Reply<TriggerView>) => void) => void;
  "faults:get": (reply: (response: Reply<Faults>) => void) => void;
  "faults:set": (faults: unknown, reply: (response: Reply<Faults>) => void) => void;
  "step-mode:set": (body: unknown, reply: (response: Reply<StepModeView>) => void) => void;
  "step-mode:next": (reply: (response: Reply<StepModeView>) => void) => void;
  /** The presenter says where it is; needs the presenter token (socket auth `presenter`). */
  "presenter:announce": (position: unknown, reply: (response: Reply<{ followers: number }>) => void) => void;
  /** Follow the presenter read-only: the answer is the presenter's position so far (null: none yet). */
  "follow:join": (reply: (response: Reply<PresenterPosition | null>) => void) => void;
}

/** GET /api/trigger: the settings plus what AWS would report about the mapping. */
export interface TriggerView extends TriggerSettings {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  State: "Enabled" | "Disabled" | "Disabling" | "Enabling";
  LastModified: number;
  warnings: string[];
}

export interface PausedStep {
  pauseId: number;
  step: FlowStep;
  stepNumber: number;
  taskId: number | null;
  messageIds: string[];
  detail: string;
}

export interface StepModeView {
  enabled: boolean;
  paused: PausedStep[];
  /** The step `next` released, if any. */
  released?: PausedStep;
}

/** The message body the API sends for each task, as in the original flow. */
export interface TaskMessageBody {
  task_id: number;
  title: string;
}
