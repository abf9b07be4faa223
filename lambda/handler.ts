import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseTaskMessage } from "../common/taskMessage.js";
import type { TaskStore } from "./taskStore.js";

/** Faults the playground can inject into this handler (all off by default). */
export interface HandlerFaults {
  failRate: number;
  delayMs: number;
  timeout: boolean;
  crashAfter: number | null;
}

export interface HandlerOptions {
  /** The database, through its port: in-process in embedded mode, over HTTP elsewhere. */
  store: TaskStore;
  /** How long the simulated work on one task takes. */
  workMs: number;
  sleep?: (ms: number) => Promise<void>;
  faults?: () => HandlerFaults;
  random?: () => number;
  /**
   * Whether the trigger reads batchItemFailures (FunctionResponseTypes ReportBatchItemFailures).
   * Without it a returned failure list is ignored and the whole batch deleted, so a failure must
   * be thrown to be retried.
   */
  reportsBatchItemFailures?: () => boolean;
  /** Step mode: waits here before the result is written (step 5). */
  beforeUpdate?: (taskId: number, record: SQSRecord, context: Context) => Promise<void>;
  /**
   * Called once the task's completion is written: the side effect that must happen at most once
   * per task however often its message is delivered. The chaos soak counts these.
   */
  onWorkDone?: (taskId: number) => void;
}

type RecordResult = { messageId: string; ok: true } | { messageId: string; ok: false; reason: string };

const NO_FAULTS: HandlerFaults = { failRate: 0, delayMs: 0, timeout: false, crashAfter: null };
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The task processor, with the signature AWS Lambda gives an SQS-triggered function. Records are
 * processed one after another; those that fail are reported in `batchItemFailures`, so only they
 * come back. Idempotent: SQS delivers at least once, so a message for a task that is already
 * completed is acknowledged without redoing the work.
 */
export function createHandler(options: HandlerOptions) {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  async function processRecord(record: SQSRecord, context: Context, faults: HandlerFaults): Promise<RecordResult> {
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
      case "failed":
        return { messageId, ok: false, reason: `task ${taskId} has failed (its message is in the dead-letter queue); redrive it to try again` };
      case "claimed":
        break;
    }
    try {
      await sleep(options.workMs + faults.delayMs);
      if (faults.failRate > 0 && random() < faults.failRate) throw new Error(`injected failure (failRate ${faults.failRate})`);
      await options.beforeUpdate?.(taskId, record, context);
      // Lambda would have stopped a function that ran out of time before it got here.
      if (context.getRemainingTimeInMillis() <= 0) throw new Error(`task ${taskId} ran past the function timeout`);
      if (!(await options.store.complete(taskId, owner))) {
        return { messageId, ok: false, reason: `task ${taskId} was claimed by another invocation` };
      }
      options.onWorkDone?.(taskId);
      return { messageId, ok: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await options.store.release(taskId, owner, reason).catch(() => {});
      return { messageId, ok: false, reason };
    }
  }

  return async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const faults = options.faults?.() ?? NO_FAULTS;
    const reports = options.reportsBatchItemFailures?.() ?? true;
    if (faults.timeout) {
      await sleep(context.getRemainingTimeInMillis() + 100);
      throw new Error("the handler hung past its timeout (fault injection: timeout)");
    }
    const crash = () => new Error(`crashed after processing ${faults.crashAfter} record(s) of ${event.Records.length} (fault injection: crashAfter)`);
    if (faults.crashAfter === 0) throw crash();
    const failures: string[] = [];
    let processed = 0;
    for (const record of event.Records) {
      // Lambda stops a function at its timeout. In-process nothing can stop it, so it stops itself:
      // a batch that outlived its invocation must not go on to claim and work on more records.
      if (context.getRemainingTimeInMillis() <= 0) throw new Error(`ran out of time after ${processed} of ${event.Records.length} record(s)`);
      const result = await processRecord(record, context, faults);
      processed += 1;
      if (!result.ok) {
        // Without ReportBatchItemFailures the only way to get a message retried is to fail the batch.
        if (!reports) throw new Error(result.reason);
        failures.push(result.messageId);
      }
      if (faults.crashAfter !== null && processed === faults.crashAfter) throw crash();
    }
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

