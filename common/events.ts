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
  | { type: "trigger.state"; state: TriggerState };

export type FlowEventType = FlowEventBody["type"];

/** An event as it is logged and broadcast: a body plus its place in the log and its time (epoch ms). */
export type FlowEvent = FlowEventBody & { seq: number; at: number };

export type EventOf<T extends FlowEventType> = Extract<FlowEvent, { type: T }>;

export type TriggerState = "enabled" | "disabled" | "stopping" | "stopped";

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
}

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  /** Live events, in sequence order, batched per tick so a burst cannot flood a tab. */
  events: (events: FlowEvent[]) => void;
}

export type Reply<T> = { data: T } | { error: { code: string; message: string } };

export interface ClientToServerEvents {
  "snapshot:get": (reply: (response: Reply<Snapshot>) => void) => void;
}

/** The message body the API sends for each task, as in the original flow. */
export interface TaskMessageBody {
  task_id: number;
  title: string;
}
