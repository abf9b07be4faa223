import type { Message } from "@aws-sdk/client-sqs";
import { taskIdOf } from "../../common/taskMessage.js";
import type { Clock } from "../events/eventLog.js";
import { parseBatchResponse, type BatchOutcome } from "./batchResponse.js";
import { createInvocation, withTimeout, type Invocation } from "./lambdaContext.js";
import type { TriggerOptions } from "./lambdaTrigger.js";
import { buildSqsEvent } from "./sqsEvent.js";

export interface InvokerOptions extends Pick<TriggerOptions, "queue" | "handler" | "function" | "publish" | "gate" | "onError"> {
  clock: Clock;
  reportsBatchItemFailures: () => boolean;
  /** The function failed as a whole (not a partial batch response): the scaler backs off on these. */
  onFunctionError: () => void;
}

/**
 * Steps 4 to 6 for one batch, as Lambda's poller does them: build the SQS event, invoke the
 * handler with a context whose clock counts down the function timeout, then delete the messages
 * that succeeded. Nothing else is deleted: a failed message comes back when its visibility
 * timeout runs out.
 */
export class BatchInvoker {
  /** Invocations running now, by request id: step mode freezes their clocks. */
  private readonly invocations = new Map<string, Invocation>();

  constructor(private readonly options: InvokerOptions) {}

  /** The function's clock stands still while `paused` is pending (a step-mode pause inside the handler). */
  async frozenWhile<T>(awsRequestId: string, paused: Promise<T>): Promise<T> {
    const thaw = this.invocations.get(awsRequestId)?.freeze() ?? (() => {});
    try {
      return await paused;
    } finally {
      thaw();
    }
  }

  async invoke(messages: Message[]): Promise<void> {
    const { queue, handler, publish, gate } = this.options;
    const event = buildSqsEvent(messages, { queueArn: queue.urls.queueArn, region: this.options.function.region });
    const messageIds = event.Records.map((record) => record.messageId);
    const taskIds = event.Records.map((record) => taskIdOf(record.body));
    const about = { taskId: taskIds.length === 1 ? (taskIds[0] ?? null) : null, messageIds };
    try {
      const tasks = taskIds.filter((id) => id !== null).join(", ");
      await gate?.pass("invoke", { ...about, detail: `the trigger is about to invoke the handler with ${messageIds.length} record(s)${tasks ? ` (task ${tasks})` : ""}` });
    } catch {
      return; // Shutting down while paused: never invoked, the messages come back.
    }
    // The function's clock starts here, after any step-mode pause before the invoke.
    const invocation = createInvocation(this.options.function, this.options.clock);
    const { context } = invocation;
    const invocationId = context.awsRequestId;
    publish({ type: "lambda.invoked", invocationId, functionName: context.functionName, messageIds, taskIds });

    const started = this.options.clock();
    let outcome: BatchOutcome;
    this.invocations.set(invocationId, invocation);
    try {
      const response = await withTimeout(handler(event, context), invocation, this.options.function.timeoutMs);
      outcome = parseBatchResponse(response, messageIds, this.options.reportsBatchItemFailures());
    } catch (error) {
      outcome = { kind: "failure", reason: error instanceof Error ? error.message : String(error) };
    } finally {
      this.invocations.delete(invocationId);
    }
    const durationMs = this.options.clock() - started;

    if (outcome.kind === "failure") {
      // Error, timeout or an unreadable partial response: nothing is deleted, every message comes back.
      if (!this.options.reportsBatchItemFailures()) this.options.onFunctionError();
      publish({ type: "lambda.failed", invocationId, durationMs, error: outcome.reason, messageIds });
      return;
    }
    const failedMessageIds = outcome.kind === "partial" ? outcome.failedMessageIds : [];
    publish({ type: "lambda.completed", invocationId, durationMs, failedMessageIds });
    const failed = new Set(failedMessageIds);
    const done = event.Records.filter((record) => !failed.has(record.messageId));
    if (done.length === 0) return;
    try {
      await gate?.pass("delete", { ...about, messageIds: done.map((r) => r.messageId), detail: `the trigger is about to delete ${done.length} message(s) (DeleteMessageBatch)` });
      await queue.deleteBatch(done.map((record) => ({ id: String(messageIds.indexOf(record.messageId)), receiptHandle: record.receiptHandle })));
    } catch (error) {
      // Not deleted means delivered again: the handler is idempotent, so this costs a repeat, not a loss.
      this.options.onError?.(error);
    }
  }
}
