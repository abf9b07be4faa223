// The contract between the playground and its handler when the handler runs elsewhere (inside
// LocalStack's or AWS's Lambda): the handler's TaskStore calls, what it needs to know per
// invocation, and what it reports back so the visualizer can show the Lambda side.
// The server's internal routes and lambda/playgroundLink.ts both import this file.
import type { Faults } from "./events.js";

/** Every internal route lives under this prefix and needs `Authorization: Bearer <internal token>`. */
export const INTERNAL_PREFIX = "/internal";

export const INTERNAL_ROUTES = {
  claim: "/store/claim",
  complete: "/store/complete",
  release: "/store/release",
  calls: "/store/calls",
  invocationConfig: "/invocation-config",
  invocationStarted: "/invocations/started",
  invocationEnded: "/invocations/ended",
  charge: "/payments/charge",
  stepPause: "/step-mode/before-update",
  changeVisibility: "/sqs/change-visibility",
} as const;

/** The Lambda function's environment: where the playground is and how to prove who it is. */
export const FUNCTION_ENV = {
  url: "PLAYGROUND_INTERNAL_URL",
  token: "PLAYGROUND_INTERNAL_TOKEN",
} as const;

export interface ClaimRequest {
  taskId: number;
  invocationId: string;
  leaseMs: number;
}
export interface CompleteRequest {
  taskId: number;
  invocationId: string;
}
export interface ReleaseRequest {
  taskId: number;
  invocationId: string;
  reason: string;
}

/**
 * Several store calls in one request, run in order, each answered as its own route would answer
 * it: how the lesson's function sends a task's completion together with its next claim (one
 * process wake-up instead of two per record; lambda/playgroundLink.ts, deferred completions).
 */
export type StoreCall = ({ call: "claim" } & ClaimRequest) | ({ call: "complete" } & CompleteRequest) | ({ call: "release" } & ReleaseRequest);
export interface StoreCallsRequest {
  calls: StoreCall[];
}
/** One answer per call, in the same order: a claim's ClaimResult, `{completed}` for a completion, `{}` for a release. */
export interface StoreCallsResult {
  results: unknown[];
}

/** One charge of a task's order by the playground's payment service (lab 1's side effect). */
export interface ChargeRequest {
  taskId: number;
}
/** `charges`: how many times this task's order has been charged, this charge included. */
export interface ChargeResult {
  charges: number;
}

/** Read at the start of every invocation, so faults and settings changed in the UI apply at once. */
export interface InvocationConfig {
  workMs: number;
  faults: Faults;
  /**
   * Per event source (the queue ARN a record's `eventSourceARN` names): whether that queue's
   * mapping has FunctionResponseTypes ["ReportBatchItemFailures"]. One function serves both
   * mappings (standard and FIFO), and each may set it differently.
   */
  reportsBatchItemFailures: Record<string, boolean>;
}

export interface InvocationStarted {
  invocationId: string;
  functionName: string;
  messageIds: string[];
  taskIds: (number | null)[];
  /** Each record's ApproximateReceiveCount: which delivery of its message this is. */
  receiveCounts: number[];
  /** The function's timeout as the function itself sees it (ms left at start). */
  remainingMs: number;
  /** The queue ARN of the batch's records: which mapping invoked the function (older bundles lack it: the standard one). */
  eventSourceArn?: string;
}

export type InvocationEnded =
  | { invocationId: string; durationMs: number; outcome: "completed"; failedMessageIds: string[] }
  | { invocationId: string; durationMs: number; outcome: "failed"; error: string; messageIds: string[] };

/**
 * Step 5 in step mode: the lesson's function waits here before it writes a task's completion,
 * until the learner presses Next. The answer says how long it waited (`heldMs`): its clock stood
 * still meanwhile, so it moves its own deadline by as much.
 */
export interface StepPauseRequest {
  taskId: number;
  messageId: string;
  invocationId: string;
}
export interface StepPauseResult {
  heldMs: number;
}

/** ChangeMessageVisibility on the record's queue (`queueArn`, its eventSourceARN), `seconds` from now: the lesson's function backs a failed record off. */
export interface ChangeVisibilityRequest {
  queueArn: string;
  receiptHandle: string;
  seconds: number;
}

/**
 * What the embedded trigger passes the lesson's function with each invocation, as the client
 * context's `custom` part (Lambda-Runtime-Client-Context): the chaos panel's faults and the
 * settings the in-process handler used to read directly, so changing them applies from the next
 * invocation without a call back per invocation.
 */
export interface LessonSettings extends Omit<InvocationConfig, "reportsBatchItemFailures"> {
  /** Whether the invoking mapping reads batchItemFailures (FunctionResponseTypes ReportBatchItemFailures). */
  reportsBatchItemFailures: boolean;
  /** Step mode is on: pause before each completion (StepPauseRequest). */
  stepMode: boolean;
}
