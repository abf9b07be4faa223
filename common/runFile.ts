// Reading an exported run (common/run.ts) back: the file is checked against the event contract
// before anything folds it, so a hand-edited or foreign file gets a clear error, not a broken page.
// The browser loads this module only when a run is imported (zod stays out of the first load).
import { z } from "zod";
import type { FlowEvent } from "./events.js";
import { RUN_FORMAT, RUN_VERSION, type RunFile } from "./run.js";

export class RunFileError extends Error {
  override readonly name = "RunFileError";
}

const int = z.number().int();
const count = int.nonnegative();
const taskId = int.nullable();
const text = z.string();

const task = z.object({
  id: int,
  title: text,
  status: z.enum(["pending", "processing", "completed", "failed"]),
  messageId: text.nullable(),
  createdAt: text,
  updatedAt: text,
  completedAt: text.nullable(),
  attempts: count,
  sendError: text.nullable(),
  lastError: text.nullable(),
  queue: z.literal("fifo").optional(),
  messageGroupId: text.optional(),
  deduplicationId: text.optional(),
  duplicateOf: int.optional(),
});
const triggerState = z.enum(["enabled", "disabled", "stopping", "stopped"]);
const triggerSettings = z.object({
  BatchSize: int,
  MaximumBatchingWindowInSeconds: z.number(),
  FunctionResponseTypes: z.array(z.literal("ReportBatchItemFailures")),
  ScalingConfig: z.object({ MaximumConcurrency: int.optional() }),
  Enabled: z.boolean(),
});
const faults = z.object({ failRate: z.number(), delayMs: z.number(), timeout: z.boolean(), crashAfter: int.nullable(), sqsUnavailable: z.boolean(), responseKey: z.string().default("batchItemFailures"), retryBackoffSeconds: int.nullable().optional() });
const flowStep = z.enum(["insert", "send", "receive", "invoke", "update", "delete"]);
const pausedStep = { pauseId: int, step: flowStep, stepNumber: int, taskId, messageIds: z.array(text), detail: text };
const concurrency = { running: count, limit: count, maximum: count };
const sqsCall = z.object({
  caller: text,
  operation: text,
  target: text,
  request: z.unknown(),
  response: z.unknown(),
  error: z.object({ code: text, message: text }).nullable(),
  durationMs: z.number(),
  messageIds: z.array(text),
  bodiesCut: z.boolean().optional(),
});

/** One member of the event union, with its place in the log. */
/** Which event source mapping an event is about: absent for the standard queue's. */
const mapping = z.literal("fifo").optional();
const functionLanguage = z.enum(["nodejs", "python"]);
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), seq: count, at: z.number(), ...shape });
const message = { queue: text, messageId: text, taskId };
const consumer = z.enum(["lambda-trigger", "other-client"]);
// Runs exported before bodies were cut to a preview have whole bodies and neither field.
const bodyPreview = { body: text, bodyLength: count.optional(), truncated: z.boolean().optional() };

const flowEvent = z.discriminatedUnion("type", [
  event("task.created", { taskId: int, task }),
  event("task.updated", { taskId: int, from: task.shape.status, task }),
  event("message.sent", { ...message, ...bodyPreview, groupId: text.optional() }),
  event("message.received", { ...message, receiptHandle: text, receiveCount: count, visibleAt: z.number(), consumer }),
  event("message.delayed", { ...message, visibleAt: z.number() }),
  event("message.visible-again", { ...message, receiveCount: count }),
  event("message.deleted", { ...message, purgedBy: consumer.optional() }),
  event("message.dead-lettered", { ...message, deadLetterQueue: text, receiveCount: count }),
  event("lambda.invoked", { invocationId: text, functionName: text, messageIds: z.array(text), taskIds: z.array(taskId) }),
  event("lambda.completed", { invocationId: text, durationMs: z.number(), failedMessageIds: z.array(text) }),
  event("lambda.failed", {
    invocationId: text,
    durationMs: z.number(),
    error: text,
    messageIds: z.array(text),
    errorDetail: z.object({ errorType: text, errorMessage: text, line: int.optional(), column: int.optional(), endColumn: int.optional() }).optional(),
  }),
  event("lambda.cold-start", { invocationId: text, environmentId: text, language: functionLanguage, version: count, initMs: z.number() }),
  event("lambda.log", { invocationId: text.nullable(), environmentId: text, stream: z.enum(["stdout", "stderr"]), message: text }),
  event("lambda.environment-ended", { environmentId: text, reason: z.enum(["timeout", "exit", "init-error", "retired", "idle"]), detail: text }),
  event("function.deployed", { version: count, language: functionLanguage }),
  event("lambda.throttled", { functionName: text, messageIds: z.array(text), taskIds: z.array(taskId), reserved: count, running: count, attempt: count, retrying: z.boolean() }),
  event("message.expired", { ...message, sentAt: z.number(), retentionSeconds: count }),
  event("trigger.filtered", { messageIds: z.array(text), taskIds: z.array(taskId) }),
  event("trigger.delete-failed", { invocationId: text.nullable(), messageIds: z.array(text), error: text, attempt: count, retrying: z.boolean() }),
  event("trigger.state", { state: triggerState, mapping }),
  event("trigger.updated", { settings: triggerSettings, warnings: z.array(text), mapping }),
  event("function.updated", { settings: z.object({ Timeout: z.number(), ReservedConcurrentExecutions: count.nullable().optional() }), warnings: z.array(text) }),
  event("lambda.concurrency", { ...concurrency, mapping }),
  event("faults.changed", { faults }),
  event("step-mode.changed", { enabled: z.boolean() }),
  event("step.paused", pausedStep),
  event("step.released", { pauseId: int, step: flowStep }),
  event("world.reset", {}),
  event("queue.redrive-policy", { queue: text, maxReceiveCount: count.nullable() }),
  event("trial.started", { afterTaskId: z.number().int().min(0) }),
  event("charge.made", { taskId: int, charges: count }),
  event("sqs.call", { call: sqsCall }),
]);

// Every event the contract has must be importable: a type missing here would reject an exported run
// that holds one (trigger.filtered and trigger.delete-failed were). The type-check fails on a gap.
type UnknownToRunFiles = Exclude<FlowEvent["type"], z.infer<typeof flowEvent>["type"]>;
const everyEventKnown: [UnknownToRunFiles] extends [never] ? true : UnknownToRunFiles = true;
void everyEventKnown;

const queuedMessage = z.object({
  messageId: text,
  taskId,
  ...bodyPreview,
  receiveCount: count,
  sentAt: z.number(),
  state: z.enum(["visible", "in-flight", "delayed"]),
  visibleAt: z.number().nullable(),
  groupId: text.optional(),
});
const snapshot = z.object({
  seq: count,
  tasks: z.array(task),
  queues: z.array(z.object({ name: text, url: text, visible: count, inFlight: count, delayed: count, messages: z.array(queuedMessage) })),
  events: z.array(flowEvent),
  omitted: z.object({ tasks: count, events: count, messages: count, budgetBytes: count }).optional(),
  backend: z.object({ mode: z.enum(["embedded", "localstack", "aws"]), stepMode: z.boolean(), messageDetail: z.boolean(), note: text.nullable() }).optional(),
  controls: z
    .object({
      trigger: z.object({ state: triggerState, settings: triggerSettings }),
      concurrency: z.object(concurrency),
      fifoMapping: z.object({ state: triggerState, settings: triggerSettings, concurrency: z.object(concurrency) }).optional(),
      faults,
      stepMode: z.object({ enabled: z.boolean(), paused: z.array(z.object(pausedStep)) }),
    })
    .optional(),
});

const runFile = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_VERSION),
  exportedAt: text,
  snapshot,
  events: z.array(flowEvent),
});

const ISSUES_SHOWN = 3;

/** Parse and check an exported run; a file that is not one throws a RunFileError saying what is wrong and where. */
export function parseRunFile(content: string): RunFile {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new RunFileError(`the file is not JSON (${(error as Error).message})`);
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (typeof head !== "object" || head === null || head.format !== RUN_FORMAT) {
    throw new RunFileError(`the file is not a Queue Flow Playground run: it should say "format": "${RUN_FORMAT}"`);
  }
  if (head.version !== RUN_VERSION) {
    throw new RunFileError(`the run file has version ${JSON.stringify(head.version)}; this playground reads version ${RUN_VERSION}`);
  }
  const result = runFile.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, ISSUES_SHOWN).map((i) => `${i.path.join(".") || "(the file)"}: ${i.message}`);
    const more = result.error.issues.length > ISSUES_SHOWN ? ` (and ${result.error.issues.length - ISSUES_SHOWN} more)` : "";
    throw new RunFileError(`the run file does not match the event contract: ${issues.join("; ")}${more}`);
  }
  // The file as written, not zod's copy of it: fields a newer playground adds are kept, and a
  // replay folds exactly what was exported.
  const file = json as RunFile;
  let previous = file.snapshot.seq;
  for (const [index, e] of file.events.entries()) {
    if (e.seq <= previous) throw new RunFileError(`events.${index}: seq ${e.seq} comes after ${previous}; events must follow the snapshot in sequence order`);
    previous = e.seq;
  }
  return file;
}
