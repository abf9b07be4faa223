// The one contract between the server and every client: the task shape, the events that
// describe each step of the flow, and the Socket.IO messages that carry them.
// Server and client both import this file; nothing else defines these shapes.
import type { BodyPreview } from "./bodyPreview.js";

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
  /** Present only on a task sent to the FIFO queue (`interview-queue.fifo`); a standard task has none of these. */
  queue?: "fifo";
  /** The FIFO message group: messages of one group are processed one batch at a time, in order. */
  messageGroupId?: string;
  /** The MessageDeduplicationId its message was sent with (`task-<id>` unless the request gave one). */
  deduplicationId?: string;
  /**
   * SQS dropped this task's message as a duplicate (same deduplication id within five minutes) of the
   * message that carries this other task: this task is never processed (status `failed`).
   */
  duplicateOf?: number;
}

/** Where a task's message goes: the standard queue, or the FIFO queue with its message group. */
export type TaskDestination = { queue: "standard" } | { queue: "fifo"; messageGroupId: string; deduplicationId?: string };

/** Who took a message off the queue: our Lambda trigger, or any other SQS client (a terminal, a script). */
export type Consumer = "lambda-trigger" | "other-client";

/** Each step of the flow, as the body of one event. `taskId` is null when a message body names no task. */
export type FlowEventBody =
  | { type: "task.created"; taskId: number; task: Task }
  | { type: "task.updated"; taskId: number; from: TaskStatus; task: Task }
  /** `body` is a preview (common/bodyPreview.ts); the whole body is `message:body`'s answer while SQS holds the message. */
  /**
   * `groupId`: the MessageGroupId of a message sent to a FIFO queue. `movedFrom`: the queue a
   * message move task (a redrive) took it from; absent for a message someone sent.
   */
  | ({ type: "message.sent"; queue: string; messageId: string; taskId: number | null; groupId?: string; movedFrom?: string } & BodyPreview)
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
  /**
   * Gone from the queue: a consumer's DeleteMessage, or, with `purgedBy`, a PurgeQueue (who called
   * it), which is no step of the flow: the message leaves unprocessed. A "reset the world" purge has
   * no such events: `world.reset` says it.
   */
  | { type: "message.deleted"; queue: string; messageId: string; taskId: number | null; purgedBy?: Consumer }
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
      /** How Lambda read a response that looked like something else (e.g. `BatchItemFailures`: no failures). */
      note?: string;
    }
  /** `errorDetail`: present when the function itself reported the error (a deployed function run through the Lambda Runtime API). */
  | { type: "lambda.failed"; invocationId: string; durationMs: number; error: string; messageIds: string[]; errorDetail?: FunctionErrorDetail }
  /** A new execution environment started for this invocation (a cold start); `initMs` from spawning its process to its first `/invocation/next`. */
  | { type: "lambda.cold-start"; invocationId: string; environmentId: string; language: FunctionLanguage; version: number; initMs: number }
  /** One line the function wrote (console.log / print) during an invocation; `invocationId` null: while it started (init code). */
  | { type: "lambda.log"; invocationId: string | null; environmentId: string; stream: "stdout" | "stderr"; message: string }
  /** An execution environment's process ended: killed at the function timeout, exited or crashed, retired by a deploy, or idle too long. */
  | { type: "lambda.environment-ended"; environmentId: string; reason: EnvironmentEndReason; detail: string }
  /** New function code was deployed (PUT /api/function/code) or the lesson's handler restored (version 0). */
  | { type: "function.deployed"; version: number; language: FunctionLanguage }
  /**
   * Lambda refused to invoke the function for a batch the trigger had received: `running`
   * invocations already used its reserved concurrency `reserved`. `retrying`: the trigger tries
   * again; otherwise the messages come back after their visibility timeout (a receive counted).
   */
  | { type: "lambda.throttled"; functionName: string; messageIds: string[]; taskIds: (number | null)[]; reserved: number; running: number; attempt: number; retrying: boolean }
  /** Its retention period (MessageRetentionPeriod, `retentionSeconds`) ran out: SQS deleted it, read or not. `sentAt`: its first send (SentTimestamp, epoch ms). */
  | { type: "message.expired"; queue: string; messageId: string; taskId: number | null; sentAt: number; retentionSeconds: number }
  /** Records that matched none of the trigger's FilterCriteria patterns: deleted without invoking the function. */
  | { type: "trigger.filtered"; messageIds: string[]; taskIds: (number | null)[] }
  /**
   * The trigger could not delete messages of a batch that succeeded, or that its filters left out
   * (`invocationId` null) (SQS refused the entries, or the call failed). `retrying`: it tries again; otherwise the messages come back after their
   * visibility timeout, and the handler acknowledges a completed task's message without the work.
   */
  | { type: "trigger.delete-failed"; invocationId: string | null; messageIds: string[]; error: string; attempt: number; retrying: boolean }
  /** `mapping: "fifo"`: the event is the FIFO queue's mapping's (absent: the standard queue's). */
  | { type: "trigger.state"; state: TriggerState; mapping?: "fifo" }
  | { type: "trigger.updated"; settings: TriggerSettings; warnings: string[]; mapping?: "fifo" }
  | { type: "function.updated"; settings: FunctionSettings; warnings: string[] }
  /** The trigger's concurrency: batches running now, the current limit, and the ceiling it may grow to. */
  | { type: "lambda.concurrency"; running: number; limit: number; maximum: number; mapping?: "fifo" }
  | { type: "faults.changed"; faults: Faults }
  | { type: "step-mode.changed"; enabled: boolean; heartbeat?: boolean }
  | { type: "step.paused"; pauseId: number; step: FlowStep; stepNumber: number; taskId: number | null; messageIds: string[]; detail: string }
  | { type: "step.released"; pauseId: number; step: FlowStep }
  /** "Reset the world": queues purged, tasks cleared, faults cleared, step mode off. */
  | { type: "world.reset" }
  /**
   * The task queue's redrive policy as SQS now holds it (a learner's set-queue-attributes, a reset
   * putting it back): after `maxReceiveCount` receives a message moves to the dead-letter queue;
   * null when the queue has no redrive policy.
   */
  | { type: "queue.redrive-policy"; queue: string; maxReceiveCount: number | null }
  /** A lab's trial began (POST /api/trial): the tasks created after it are the trial's. */
  | { type: "trial.started"; afterTaskId: number }
  /**
   * The function charged a task's order through the playground's payment service (the `charge`
   * helper, lab 1): a side effect outside the task database, so a redelivered message that runs it
   * again charges again. `charges`: this task's charges so far, this one included.
   */
  | { type: "charge.made"; taskId: number; charges: number }
  /** One SQS call the playground made (the wire inspector). */
  | { type: "sqs.call"; call: SqsCall };

export type FlowEventType = FlowEventBody["type"];

/** The languages a deployed function may be written in: Node.js (TypeScript or JavaScript) or Python. */
export type FunctionLanguage = "nodejs" | "python";

/**
 * The longest function code PUT /api/function/code accepts, in UTF-16 code units (JavaScript string
 * length): 256 Ki. The editor refuses an edit past it, so a draft that could never deploy is not kept.
 */
export const FUNCTION_CODE_LIMIT = 256 * 1024;

/** Why an execution environment ended. */
export type EnvironmentEndReason = "timeout" | "exit" | "init-error" | "retired" | "idle";

/**
 * An error the function reported (Lambda Runtime API's `{errorType, errorMessage, stackTrace}`),
 * with where it was raised in the deployed file when the stack says so (1-based line and column).
 */
export interface FunctionErrorDetail {
  errorType: string;
  errorMessage: string;
  line?: number;
  column?: number;
  /** Just past the expression the message names (`evnt` in "evnt is not defined"), 1-based: the editor underlines it alone. */
  endColumn?: number;
}

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
  /** True when a message body in the request or response was cut to a preview (older run files lack it). */
  bodiesCut?: boolean;
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
  /** Lambda event filtering: a record matching none of the patterns is deleted without an invocation. Absent: no filtering. */
  FilterCriteria?: FilterCriteria;
}

/** A mapping's FilterCriteria as Lambda's API takes it: each Pattern is an EventBridge pattern, as a JSON string. */
export interface FilterCriteria {
  Filters: { Pattern: string }[];
}

/** The function's settings, with the field names of UpdateFunctionConfiguration and PutFunctionConcurrency. */
export interface FunctionSettings {
  /** Seconds. */
  Timeout: number;
  /** The most invocations that may run at once (0 stops them all); null: none reserved (GetFunctionConcurrency answers nothing). */
  ReservedConcurrentExecutions?: number | null;
}

/** What is broken on purpose. All off: `{failRate: 0, delayMs: 0, timeout: false, crashAfter: null, sqsUnavailable: false, responseKey: "batchItemFailures", retryBackoffSeconds: null}`. */
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
  /**
   * The key the handler reports failed records under: `batchItemFailures` is right; any other
   * (`BatchItemFailures`, the classic slip) makes Lambda read no failures and delete the whole batch.
   */
  responseKey: string;
  /**
   * Backoff by receive count (not a fault: a consumer's choice, off when null). On a failed record
   * the handler itself calls ChangeMessageVisibility to set the message's visibility timeout to this
   * many seconds × 2^(ApproximateReceiveCount − 1), at most 12 hours, so each retry waits twice as
   * long as the one before instead of the queue's fixed timeout. Older run files lack it.
   */
  retryBackoffSeconds?: number | null;
}

/** The places step mode pauses, in the order a task meets them. */
export const FLOW_STEPS = ["insert", "send", "receive", "invoke", "update", "delete"] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];

/**
 * Which of the lessons' six steps each pause belongs to, so that "Release step 4 (receive)", the
 * drawing's badge 4 and the narration all count alike: 1 the API inserts the task, 2 it sends the
 * message, 3 SQS holds it (no pause: that is the time between send and receive), 4 the trigger
 * receives it and invokes the handler (two pauses), 5 the task is updated, 6 the message is deleted.
 */
export const FLOW_STEP_NUMBER: Readonly<Record<FlowStep, number>> = { insert: 1, send: 2, receive: 4, invoke: 4, update: 5, delete: 6 };

/** A message as seen by inspection (never by ReceiveMessage, which would change the queue). */
export interface QueuedMessage extends BodyPreview {
  messageId: string;
  taskId: number | null;
  receiveCount: number;
  sentAt: number;
  state: "visible" | "in-flight" | "delayed";
  /** For in-flight messages: epoch ms at which visibility runs out. */
  visibleAt: number | null;
  /** A FIFO queue's message: its MessageGroupId. */
  groupId?: string;
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
  /**
   * Present when the snapshot left something out to stay within its byte budget: the oldest tasks
   * and events, and messages beyond what each queue lists (the queue counts are always whole).
   */
  omitted?: SnapshotOmissions;
  /** Where SQS and Lambda run, and what that backend can show (older snapshots lack it: embedded). */
  backend?: { mode: "embedded" | "localstack" | "aws"; stepMode: boolean; messageDetail: boolean; note: string | null };
  /** The controls as they stand, so a fold can start from them. */
  controls?: {
    trigger: { state: TriggerState; settings: TriggerSettings };
    concurrency: { running: number; limit: number; maximum: number };
    /** The FIFO queue's mapping (older snapshots lack it). */
    fifoMapping?: { state: TriggerState; settings: TriggerSettings; concurrency: { running: number; limit: number; maximum: number } };
    faults: Faults;
    stepMode: { enabled: boolean; paused: PausedStep[] };
    /** Execution environments alive now (functions run out of process); older snapshots lack it: 0. */
    environments?: number;
    /** The function's timeout and reserved concurrency (older snapshots lack them). */
    function?: FunctionSettings;
  };
}

/** What a snapshot left out, so a page can say so. Counts of items; `budgetBytes` is the snapshot's limit (UTF-8 bytes of its JSON). */
export interface SnapshotOmissions {
  tasks: number;
  events: number;
  messages: number;
  budgetBytes: number;
}

/** `message:body`'s answer: one message's whole body, as SQS holds it now. */
export interface MessageBody {
  messageId: string;
  queue: string;
  body: string;
  /** In UTF-16 code units. */
  bodyLength: number;
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

/** `detail`: the playground's reason, where `message` is AWS's exact text and says less. */
export type Reply<T> = { data: T } | { error: { code: string; message: string; detail?: string } };

export interface ClientToServerEvents {
  /** One at a time per connection (a `message:body` counts too): asked while an answer is being sent, it waits; asked again while one waits, it answers RequestInProgress. */
  "snapshot:get": (reply: (response: Reply<Snapshot>) => void) => void;
  /** `{"messageId": "…"}`: the whole body of a message still in the queue or its DLQ (MessageNotFound otherwise). A read: followers may ask. */
  "message:body": (request: unknown, reply: (response: Reply<MessageBody>) => void) => void;
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
  /** Where a setting differs from what a new mapping gets on AWS, and why (GetEventSourceMapping has no such field: it is the playground's). */
  playgroundDefaults: string[];
}

export interface PausedStep {
  pauseId: number;
  step: FlowStep;
  stepNumber: number;
  taskId: number | null;
  messageIds: string[];
  detail: string;
}

/** Step mode as PUT /api/step-mode takes it. */
export interface StepModeSettings {
  enabled: boolean;
  /** While a step waits, the trigger keeps its messages in flight with ChangeMessageVisibility (default true). */
  heartbeat: boolean;
}

export interface StepModeView {
  enabled: boolean;
  heartbeat: boolean;
  paused: PausedStep[];
  /** The step `next` released, if any. */
  released?: PausedStep;
}

/** The message body the API sends for each task, as in the original flow. */
export interface TaskMessageBody {
  task_id: number;
  title: string;
}
