import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseTaskMessage } from "../common/taskMessage.js";
import type { TaskStore } from "./taskStore.js";

/** Faults the playground can inject into this handler (all off by default). */
export interface HandlerFaults {
  failRate: number;
  delayMs: number;
  timeout: boolean;
  crashAfter: number | null;
  /** The key failed records are reported under (default `batchItemFailures`; another key is the trap of lesson 16). */
  responseKey?: string;
  /** Backoff by receive count: on a failed record, visibility = this × 2^(ApproximateReceiveCount − 1) seconds (null/absent: off). */
  retryBackoffSeconds?: number | null;
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
   * ChangeMessageVisibility on the record's queue (`eventSourceARN`) with its receipt handle, in
   * seconds from now: how the function backs a failed record off (retryBackoffSeconds). Without
   * it the function has no SQS client and backoff is not applied.
   */
  changeVisibility?: (record: SQSRecord, seconds: number) => Promise<void>;
  /**
   * Called once the task's completion is written: the side effect that must happen at most once
   * per task however often its message is delivered. The chaos soak counts these.
   */
  onWorkDone?: (taskId: number) => void;
}

/** `worked`: this record's task was claimed and its work attempted (not merely acknowledged). */
type RecordResult = ({ messageId: string; ok: true } | { messageId: string; ok: false; reason: string }) & { worked?: boolean };

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
      return { messageId, ok: true, worked: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await options.store.release(taskId, owner, reason).catch(() => {});
      return { messageId, ok: false, reason, worked: true };
    }
  }

  /**
   * Backoff by receive count: SQS brings a failed message back after the queue's visibility
   * timeout, the same every time; a consumer that wants each retry to wait longer sets the
   * message's visibility itself before giving it back. A refused call only leaves the queue's
   * timeout in force: the record fails either way.
   * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
   */
  async function backOff(record: SQSRecord, faults: HandlerFaults): Promise<void> {
    if (!faults.retryBackoffSeconds || !options.changeVisibility) return;
    await options.changeVisibility(record, backoffSeconds(faults.retryBackoffSeconds, Number(record.attributes.ApproximateReceiveCount))).catch(() => {});
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
    // The crash comes after `crashAfter` records' work: a record acknowledged as already done is
    // no work, so a redelivered batch crashes only once it has done new work (and finishes once
    // every task is done, however long the fault stays on).
    let worked = 0;
    for (const record of event.Records) {
      // Lambda stops a function at its timeout. In-process nothing can stop it, so it stops itself:
      // a batch that outlived its invocation must not go on to claim and work on more records.
      if (context.getRemainingTimeInMillis() <= 0) throw new Error(`ran out of time after ${processed} of ${event.Records.length} record(s)`);
      // A record whose handling throws (its store call failed) fails alone, like any failed record.
      const result = await processRecord(record, context, faults).catch(
        (error: unknown): RecordResult => ({ messageId: record.messageId, ok: false, reason: error instanceof Error ? error.message : String(error) }),
      );
      processed += 1;
      if (result.worked) worked += 1;
      if (!result.ok) {
        await backOff(record, faults);
        // Without ReportBatchItemFailures the only way to get a message retried is to fail the batch.
        if (!reports) throw new Error(result.reason);
        failures.push(result.messageId);
        // FIFO: the records after a failure in its group must not be processed before it, so the
        // handler stops and reports them too (AWS: services-sqs-errorhandling.html, FIFO queues).
        if (record.attributes.MessageGroupId !== undefined) {
          failures.push(...event.Records.slice(processed).map((later) => later.messageId));
          break;
        }
      }
      if (faults.crashAfter !== null && result.worked && worked === faults.crashAfter) throw crash();
    }
    const batchItemFailures = failures.map((itemIdentifier) => ({ itemIdentifier }));
    const key = faults.responseKey ?? "batchItemFailures";
    // Under another key the response is still the handler's, but no longer what Lambda reads.
    return (key === "batchItemFailures" ? { batchItemFailures } : { [key]: batchItemFailures }) as SQSBatchResponse;
  };
}


/** SQS's longest visibility timeout: 12 hours, in seconds. */
const MAX_VISIBILITY_SECONDS = 43_200;

/** `base` × 2^(receiveCount − 1) seconds, at most 12 hours: 1, 2, 4, 8 … for a base of 1 s. A count that is not a number counts as 1. */
export function backoffSeconds(base: number, receiveCount: number): number {
  const retries = Number.isFinite(receiveCount) && receiveCount > 1 ? Math.floor(receiveCount) - 1 : 0;
  return Math.min(MAX_VISIBILITY_SECONDS, base * 2 ** Math.min(retries, 20));
}
