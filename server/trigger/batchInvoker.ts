import type { Message } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { FilterCriteria, FunctionErrorDetail } from "../../common/events.js";
import { FunctionError } from "../runtime/functionError.js";
import { taskIdOf } from "../../common/taskMessage.js";
import type { Clock } from "../events/eventLog.js";
import { parseBatchResponse, type BatchOutcome } from "./batchResponse.js";
import { passesFilters } from "./eventFilter.js";
import { createInvocation, withTimeout, type Invocation } from "./lambdaContext.js";
import type { TriggerOptions } from "./lambdaTrigger.js";
import { buildSqsRecord } from "./sqsEvent.js";
import { keepInFlight, type HeldMessage } from "./visibilityHeartbeat.js";
import { countOf } from "../../common/words.js";

export interface InvokerOptions extends Pick<TriggerOptions, "queue" | "handler" | "function" | "publish" | "gate" | "onError" | "visibilityTimeoutSeconds" | "concurrency"> {
  clock: Clock;
  reportsBatchItemFailures: () => boolean;
  /** The mapping's FilterCriteria now (undefined: every record is invoked). */
  filterCriteria: () => FilterCriteria | undefined;
  /** The mapping's MaximumBatchingWindowInSeconds now (s): it shapes the records (sqsEvent.ts). */
  batchingWindowSeconds: () => number;
  /** The function failed as a whole (not a partial batch response), or was throttled: the scaler backs off on these. */
  onFunctionError: () => void;
}

/**
 * Steps 4 to 6 for one batch, as Lambda's poller does them: build the SQS event, invoke the
 * handler with a context whose clock counts down the function timeout, then delete the messages
 * that succeeded. Nothing else is deleted: a failed message comes back when its visibility
 * timeout runs out.
 */
export class BatchInvoker {
  /** Invocations running now, by request id, with their batch: a step-mode pause inside one freezes its clock and keeps its batch in flight. */
  private readonly invocations = new Map<string, { invocation: Invocation; held: HeldMessage[] }>();

  constructor(private readonly options: InvokerOptions) {}

  /**
   * The function's clock stands still while `paused` is pending (a step-mode pause inside the
   * handler); SQS's does not, so the batch is kept in flight meanwhile (see `heartbeat`).
   */
  async frozenWhile<T>(awsRequestId: string, paused: Promise<T>): Promise<T> {
    const running = this.invocations.get(awsRequestId);
    const frozen = running?.invocation.freeze() ?? (() => {});
    const beating = running && this.options.gate?.isEnabled && this.options.gate.heartbeat ? this.heartbeat(running.held)() : () => {};
    const thaw = () => (frozen(), beating());
    try {
      return await paused;
    } finally {
      thaw();
    }
  }

  /** While a step waits, the trigger keeps the batch's messages in flight (step mode's heartbeat). */
  private heartbeat(held: HeldMessage[]): () => () => void {
    const { queue, visibilityTimeoutSeconds = () => queue.settings.visibilityTimeoutSeconds } = this.options;
    return () => keepInFlight(queue, visibilityTimeoutSeconds, held, (error) => this.options.onError?.(error));
  }

  /** One batch; never rejects: whatever goes wrong fails this batch (or one record), never the process. */
  async invoke(messages: Message[]): Promise<void> {
    try {
      await this.invokeBatch(messages);
    } catch (error) {
      // Nothing was deleted: the messages come back when their visibility timeout runs out.
      this.options.onError?.(error);
    }
  }

  private async invokeBatch(messages: Message[]): Promise<void> {
    const { queue, handler, publish, gate } = this.options;
    const receivedAt = this.options.clock();
    const source = { queueArn: queue.urls.queueArn, region: this.options.function.region, batchingWindowSeconds: this.options.batchingWindowSeconds() };
    const records: SQSRecord[] = [];
    const held: HeldMessage[] = [];
    for (const message of messages) {
      try {
        records.push(buildSqsRecord(message, source));
        held.push({ messageId: message.MessageId ?? "", receiptHandle: message.ReceiptHandle ?? "" });
      } catch (error) {
        // A record that cannot be built fails alone: it is not invoked nor deleted, so it comes back.
        this.options.onError?.(new Error(`message ${String(message.MessageId)} left out of its batch: its Lambda record could not be built`, { cause: error }));
      }
    }
    const criteria = this.options.filterCriteria();
    const filteredOut = records.filter((record) => !passesFilters(criteria, record));
    if (filteredOut.length > 0) {
      // Lambda deletes a record that matches no pattern, without invoking the function for it.
      publish({ type: "trigger.filtered", messageIds: filteredOut.map((r) => r.messageId), taskIds: filteredOut.map((r) => taskIdOf(r.body)) });
      await this.delete(null, filteredOut);
    }
    const invoked = records.filter((record) => !filteredOut.includes(record));
    if (invoked.length === 0) return;
    const event: SQSEvent = { Records: invoked };
    const messageIds = event.Records.map((record) => record.messageId);
    const taskIds = event.Records.map((record) => taskIdOf(record.body));
    const about = { taskId: taskIds.length === 1 ? (taskIds[0] ?? null) : null, messageIds };
    try {
      const tasks = taskIds.filter((id) => id !== null).join(", ");
      await gate?.pass("invoke", { ...about, detail: `the trigger is about to invoke the handler with ${countOf(messageIds.length, "record")}${tasks ? ` (task ${tasks})` : ""}` }, this.heartbeat(held));
    } catch {
      return; // Abandoned while paused (shutting down, or the world was reset): never invoked, the messages come back.
    }
    if (!(await this.concurrencySlot(receivedAt, messageIds, taskIds))) return;
    try {
      await this.run(event, held, about);
    } finally {
      this.options.concurrency?.release();
    }
  }

  /**
   * A slot of the function's reserved concurrency, or a throttle. Lambda retries a throttled batch
   * while its messages stay hidden (the reason AWS gives for a visibility timeout of 6 × the
   * function timeout); how often is not documented: the playground tries again every second while
   * a whole function timeout still fits before the visibility timeout ends, then gives up, and the
   * messages come back to be received again — each receive counting toward maxReceiveCount.
   * AWS: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
   */
  private async concurrencySlot(receivedAt: number, messageIds: string[], taskIds: (number | null)[]): Promise<boolean> {
    const { concurrency, clock, publish, queue, visibilityTimeoutSeconds = () => queue.settings.visibilityTimeoutSeconds } = this.options;
    if (!concurrency) return true;
    const hiddenUntil = receivedAt + visibilityTimeoutSeconds() * 1000;
    for (let attempt = 1; ; attempt++) {
      if (concurrency.tryAcquire()) return true;
      const retrying = clock() + THROTTLE_RETRY_MS + this.options.function.timeoutMs <= hiddenUntil;
      publish({ type: "lambda.throttled", functionName: this.options.function.functionName, messageIds, taskIds, reserved: concurrency.reserved ?? 0, running: concurrency.running, attempt, retrying });
      this.options.onFunctionError();
      if (!retrying) return false;
      await new Promise((resolve) => setTimeout(resolve, THROTTLE_RETRY_MS));
    }
  }

  private async run(event: SQSEvent, held: HeldMessage[], about: { taskId: number | null; messageIds: string[] }): Promise<void> {
    const { handler, publish, gate } = this.options;
    const { messageIds } = about;
    const taskIds = event.Records.map((record) => taskIdOf(record.body));
    // The function's clock starts here, after any step-mode pause before the invoke.
    const invocation = createInvocation(this.options.function, this.options.clock);
    const { context } = invocation;
    const invocationId = context.awsRequestId;
    publish({ type: "lambda.invoked", invocationId, functionName: context.functionName, messageIds, taskIds });

    const started = this.options.clock();
    let outcome: BatchOutcome;
    // What a function run through the Runtime API said about its error (type, message, line).
    let errorDetail: FunctionErrorDetail | undefined;
    this.invocations.set(invocationId, { invocation, held });
    try {
      const response = await withTimeout(handler(event, context), invocation, this.options.function.timeoutMs);
      outcome = parseBatchResponse(response, messageIds, this.options.reportsBatchItemFailures());
    } catch (error) {
      if (error instanceof FunctionError) errorDetail = error.detail;
      outcome = { kind: "failure", reason: error instanceof Error ? error.message : String(error) };
    } finally {
      this.invocations.delete(invocationId);
    }
    const durationMs = this.options.clock() - started;

    if (outcome.kind === "failure") {
      // Error, timeout or an unreadable partial response: nothing is deleted, every message comes back.
      if (!this.options.reportsBatchItemFailures()) this.options.onFunctionError();
      publish({ type: "lambda.failed", invocationId, durationMs, error: outcome.reason, messageIds, ...(errorDetail ? { errorDetail } : {}) });
      return;
    }
    const failedMessageIds = outcome.kind === "partial" ? outcome.failedMessageIds : [];
    publish({ type: "lambda.completed", invocationId, durationMs, failedMessageIds, ...(outcome.kind === "success" && outcome.note ? { note: outcome.note } : {}) });
    const failed = new Set(failedMessageIds);
    const done = event.Records.filter((record) => !failed.has(record.messageId));
    if (done.length === 0) return;
    try {
      await gate?.pass("delete", { ...about, messageIds: done.map((r) => r.messageId), detail: `the trigger is about to delete ${countOf(done.length, "message")} (DeleteMessageBatch)` }, this.heartbeat(held));
    } catch {
      return; // Abandoned while paused (shutting down, or the world was reset): not deleted, the messages come back.
    }
    await this.delete(invocationId, done);
  }

  /**
   * Delete a successful batch's messages, entries numbered by position (a message received twice
   * while a batching window gathered is in the batch twice), trying again what SQS did not delete.
   * What is still not deleted comes back after its visibility timeout; the handler then
   * acknowledges a completed task's message without the work, so it costs a repeat, not a loss.
   */
  private async delete(invocationId: string | null, records: SQSRecord[]): Promise<void> {
    let pending = records.map((record, i) => ({ id: String(i), receiptHandle: record.receiptHandle, messageId: record.messageId }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const failed = await this.options.queue.deleteBatch(pending);
      if (failed.length === 0) return;
      const refused = new Set(failed.map((f) => f.id));
      pending = pending.filter((entry) => refused.has(entry.id));
      const retrying = attempt < DELETE_ATTEMPTS;
      const error = [...new Set(failed.map((f) => f.reason))].join("; ");
      this.options.publish({ type: "trigger.delete-failed", invocationId, messageIds: pending.map((e) => e.messageId), error, attempt, retrying });
      if (!retrying) return;
      await new Promise((resolve) => setTimeout(resolve, DELETE_RETRY_MS * attempt));
    }
  }
}

/** How often the trigger tries to delete a successful batch's messages, and the pause before a retry (ms, growing). */
const DELETE_ATTEMPTS = 3;
const DELETE_RETRY_MS = 200;
/** The playground's pause before it invokes a throttled batch again (AWS does not document its own). */
const THROTTLE_RETRY_MS = 1000;
