import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import type { TriggerState } from "../../common/events.js";
import { taskIdOf } from "../../common/taskMessage.js";
import type { Clock, Publish } from "../events/eventLog.js";
import type { TaskQueue } from "../queue/taskQueue.js";
import { parseBatchResponse, type BatchOutcome } from "./batchResponse.js";
import { createLambdaContext, type FunctionConfig } from "./lambdaContext.js";
import { buildSqsEvent } from "./sqsEvent.js";

export type LambdaHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface TriggerSettings {
  /** Messages per invocation (1–10 while there is no batching window). */
  batchSize: number;
  /** FunctionResponseTypes: ["ReportBatchItemFailures"] — honour partial batch responses. */
  reportBatchItemFailures: boolean;
  /** Batches invoked at the same time, at most (Lambda starts at 5). */
  concurrency: number;
  /** Long-poll wait, as Lambda's poller uses: 20 s. */
  waitSeconds: number;
}

export interface TriggerOptions {
  /** A TaskQueue whose client identifies itself as the trigger. */
  queue: TaskQueue;
  handler: LambdaHandler;
  function: FunctionConfig;
  settings: TriggerSettings;
  publish: Publish;
  clock?: Clock;
  /** Where poll errors are reported (the trigger keeps polling with a back-off). */
  onError?: (error: unknown) => void;
}

const POLL_ERROR_BACKOFF_MS = 1000;

class HandlerTimeout extends Error {
  constructor(ms: number) {
    super(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`);
  }
}

/**
 * Our event source mapping: what AWS runs between an SQS queue and a function. Pollers long-poll
 * the queue, build the SQS event, invoke the handler, delete what succeeded and leave the rest to
 * come back when its visibility timeout runs out. Never deletes a message that was not processed.
 */
export class LambdaTrigger {
  private abort = new AbortController();
  private current: TriggerState = "disabled";
  private readonly clock: Clock;
  /** Batches handed to the handler and not yet finished. */
  private inFlight = 0;
  /** Receive calls outstanding; each holds an invocation slot, so concurrency is never exceeded. */
  private receiving = 0;
  private readonly running = new Set<Promise<void>>();
  private slotFreed: (() => void)[] = [];

  constructor(private readonly options: TriggerOptions) {
    this.clock = options.clock ?? Date.now;
    const { batchSize, concurrency } = options.settings;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) throw new RangeError("batchSize must be between 1 and 10.");
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be a positive integer.");
  }

  get state(): TriggerState {
    return this.current;
  }

  get settings(): Readonly<TriggerSettings> {
    return this.options.settings;
  }

  start(): void {
    if (this.current === "enabled") return;
    this.abort = new AbortController();
    this.setState("enabled");
    this.track(this.receiveLoop(this.abort.signal, true));
  }

  /** Stop polling; batches already handed to the handler finish and are deleted or left for redelivery. */
  async stop(): Promise<void> {
    if (this.current !== "enabled") return;
    this.setState("stopping");
    this.abort.abort();
    this.wakeOne(true);
    while (this.running.size > 0) await Promise.all([...this.running]);
    this.setState("disabled");
  }

  private setState(state: TriggerState): void {
    this.current = state;
    this.options.publish({ type: "trigger.state", state });
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /**
   * One long-poll stays open while the queue is idle. fauxqs wakes every waiting poll when a
   * message arrives, so idle pollers would all wake and re-poll; instead, a receive that comes
   * back full (a backlog) opens another receiver while invocation slots remain, and extra
   * receivers close again once a receive comes back short.
   */
  private async receiveLoop(signal: AbortSignal, primary: boolean): Promise<void> {
    const { queue, settings } = this.options;
    while (!signal.aborted) {
      await this.freeSlot(signal);
      if (signal.aborted) return;
      this.receiving += 1;
      let messages: Message[];
      try {
        messages = await queue.receive({ maxMessages: settings.batchSize, waitSeconds: settings.waitSeconds, signal });
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        await sleep(POLL_ERROR_BACKOFF_MS, undefined, { signal }).catch(() => {});
        continue;
      } finally {
        this.receiving -= 1;
      }
      if (messages.length > 0) {
        this.inFlight += 1;
        this.track(this.invoke(messages).finally(() => this.release()));
      }
      const backlog = messages.length >= settings.batchSize;
      if (backlog && this.hasFreeSlot()) this.track(this.receiveLoop(signal, false));
      if (!primary && !backlog) return;
    }
  }

  private hasFreeSlot(): boolean {
    return this.inFlight + this.receiving < this.options.settings.concurrency;
  }

  private async freeSlot(signal: AbortSignal): Promise<void> {
    while (!this.hasFreeSlot() && !signal.aborted) await new Promise<void>((resolve) => this.slotFreed.push(resolve));
  }

  private release(): void {
    this.inFlight -= 1;
    this.wakeOne(false);
  }

  private wakeOne(all: boolean): void {
    const waiters = all ? this.slotFreed.splice(0) : this.slotFreed.splice(0, 1);
    for (const wake of waiters) wake();
  }

  private async invoke(messages: Message[]): Promise<void> {
    const { queue, handler, settings, publish } = this.options;
    const context = createLambdaContext(this.options.function, this.clock);
    const event = buildSqsEvent(messages, { queueArn: queue.urls.queueArn, region: this.options.function.region });
    const messageIds = event.Records.map((record) => record.messageId);
    const invocationId = context.awsRequestId;
    publish({
      type: "lambda.invoked",
      invocationId,
      functionName: context.functionName,
      messageIds,
      taskIds: event.Records.map((record) => taskIdOf(record.body)),
    });

    const started = this.clock();
    let outcome: BatchOutcome;
    try {
      const response = await this.withTimeout(handler(event, context), this.options.function.timeoutMs);
      outcome = parseBatchResponse(response, messageIds, settings.reportBatchItemFailures);
    } catch (error) {
      outcome = { kind: "failure", reason: error instanceof Error ? error.message : String(error) };
    }
    const durationMs = this.clock() - started;

    if (outcome.kind === "failure") {
      // Error, timeout or an unreadable partial response: nothing is deleted, every message comes back.
      publish({ type: "lambda.failed", invocationId, durationMs, error: outcome.reason, messageIds });
      return;
    }
    const failedMessageIds = outcome.kind === "partial" ? outcome.failedMessageIds : [];
    publish({ type: "lambda.completed", invocationId, durationMs, failedMessageIds });
    const failed = new Set(failedMessageIds);
    const done = event.Records.filter((record) => !failed.has(record.messageId));
    try {
      await queue.deleteBatch(done.map((record) => ({ id: String(messageIds.indexOf(record.messageId)), receiptHandle: record.receiptHandle })));
    } catch (error) {
      // Not deleted means delivered again: the handler is idempotent, so this costs a repeat, not a loss.
      this.options.onError?.(error);
    }
  }

  private async withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HandlerTimeout(ms)), ms);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
