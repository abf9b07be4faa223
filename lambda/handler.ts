import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseTaskMessage } from "../common/taskMessage.js";
import type { TaskStore } from "./taskStore.js";

export interface HandlerOptions {
  /** The database, through its port: in-process in embedded mode, over HTTP elsewhere. */
  store: TaskStore;
  /** How long the simulated work on one task takes. */
  workMs: number;
  sleep?: (ms: number) => Promise<void>;
}

type RecordResult = { messageId: string; ok: true } | { messageId: string; ok: false; reason: string };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The task processor, with the signature AWS Lambda gives an SQS-triggered function. Each record
 * is processed on its own; the ones that fail are reported in `batchItemFailures`, so only they
 * come back (the trigger must have ReportBatchItemFailures on). Idempotent: SQS delivers at least
 * once, so a message for a task that is already completed is acknowledged without redoing the work.
 */
export function createHandler(options: HandlerOptions) {
  const sleep = options.sleep ?? defaultSleep;

  async function processRecord(record: SQSRecord, context: Context): Promise<RecordResult> {
    const { messageId } = record;
    const parsed = parseTaskMessage(record.body);
    // A message we cannot read is poison: retrying will not help, the DLQ will catch it.
    if (!parsed.ok) return { messageId, ok: false, reason: `unreadable message: ${parsed.reason}` };
    const taskId = parsed.message.task_id;
    // One claim per record, so a duplicate of the same message in this very batch cannot double the work.
    const owner = `${context.awsRequestId}/${messageId}`;
    const claim = await options.store.claim(taskId, owner, context.getRemainingTimeInMillis());
    switch (claim.outcome) {
      case "missing":
        return { messageId, ok: false, reason: `task ${taskId} does not exist` };
      case "done":
        return { messageId, ok: true };
      case "busy":
        return { messageId, ok: false, reason: `task ${taskId} is being processed by another invocation` };
      case "claimed":
        break;
    }
    try {
      await sleep(options.workMs);
      // Lambda would have stopped a function that ran out of time before it got here.
      if (context.getRemainingTimeInMillis() <= 0) throw new Error(`task ${taskId} ran past the function timeout`);
      if (!(await options.store.complete(taskId, owner))) {
        return { messageId, ok: false, reason: `task ${taskId} was claimed by another invocation` };
      }
      return { messageId, ok: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await options.store.release(taskId, owner, reason).catch(() => {});
      return { messageId, ok: false, reason };
    }
  }

  return async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const results = await Promise.all(event.Records.map((record) => processRecord(record, context)));
    return { batchItemFailures: results.filter((r) => !r.ok).map((r) => ({ itemIdentifier: r.messageId })) };
  };
}

export type TaskHandler = ReturnType<typeof createHandler>;
