import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import { BatchInvoker } from "./batchInvoker.js";
import type { TriggerSettings, TriggerState } from "../../common/events.js";
import { StepAborted, type StepGate } from "../control/stepGate.js";
import type { Clock, Publish } from "../events/eventLog.js";
import type { TriggerQueue } from "./triggerQueue.js";
import { CarryOver, collectBatch } from "./batchCollector.js";
import type { FunctionConfig } from "./lambdaContext.js";
import type { FunctionConcurrency } from "./functionConcurrency.js";
import { DEFAULT_CEILING, Scaler } from "./scaler.js";

export type LambdaHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface TriggerOptions {
  /** The queue the mapping reads, through a client that is the trigger's own. */
  queue: TriggerQueue;
  handler: LambdaHandler;
  function: FunctionConfig;
  settings: TriggerSettings;
  publish: Publish;
  clock?: Clock;
  /** 1 = AWS's pace (up to 300 more concurrent batches per minute); 10 = ten times faster. */
  scalingSpeed?: number;
  gate?: StepGate;
  /** The next visible message, by inspection: step mode names it before receiving. */
  peek?: () => { messageId: string; taskId: number | null } | undefined;
  /**
   * Ends the long-polls SQS is holding for us. Stopping uses it before cancelling requests: a
   * long-poll cancelled only on our side stays open in SQS, which would hand the next message to
   * a closed connection and hide it for a whole visibility timeout.
   */
  endLongPolls?: () => void;
  /**
   * The queue's visibility timeout as SQS holds it now (seconds): step mode's heartbeat keeps a
   * paused message in flight for this long, so a timeout the learner changed from the terminal
   * holds. Without it, the start-up setting (`queue.settings`).
   */
  visibilityTimeoutSeconds?: () => number;
  /** Where poll errors are reported (the trigger keeps polling with a back-off). */
  onError?: (error: unknown) => void;
  /** The function's concurrency, shared with any other mapping on the same function; an invocation past its reserved concurrency is throttled. */
  concurrency?: FunctionConcurrency;
}

const POLL_ERROR_BACKOFF_MS = 1000;
const STEP_MODE_PEEK_MS = 25;
const SCALING_TICK_MS = 1000;
/** How long stopping waits for polls to end cleanly before cancelling them. */
const STOP_GRACE_MS = 1000;
const END_POLLS_EVERY_MS = 50;

/**
 * One stretch of polling, from start() to stop(). A run that is stopping drains on its own while
 * a newer one polls: turning the trigger off and on again quickly must never let the old run's
 * stop cancel the new run's receives.
 */
interface Run {
  /** Soft stop: no new receives. */
  stopping: AbortController;
  /** Hard stop: cancel receive requests still open. */
  abort: AbortController;
  /** Its receive loops and the batches they handed to the handler. */
  work: Set<Promise<void>>;
  /** Its receive requests still open. */
  receiving: number;
}

const newRun = (): Run => ({ stopping: new AbortController(), abort: new AbortController(), work: new Set(), receiving: 0 });

/**
 * Our event source mapping: what AWS runs between an SQS queue and a function. It gathers
 * batches, invokes the handler, deletes what succeeded and leaves the rest to come back when
 * its visibility timeout runs out; it never deletes a message that was not processed.
 */
export class LambdaTrigger {
  /** The run polling now; undefined while disabled. */
  private run: Run | undefined;
  /** Runs still finishing their batches after stop(). */
  private readonly draining = new Set<Promise<void>>();
  private current: TriggerState = "disabled";
  private readonly clock: Clock;
  private readonly scaler: Scaler;
  private settingsNow: TriggerSettings;
  /** Batches handed to the handler and not yet finished. */
  private inFlight = 0;
  /** Batches being gathered; each holds a slot, so the limit is never exceeded. */
  private receiving = 0;
  private slotFreed: (() => void)[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private seen = { backlog: false, saturated: false, errors: 0 };
  private readonly invoker: BatchInvoker;
  private readonly carry = new CarryOver();
  private lastReported = { running: -1, limit: -1 };

  constructor(private readonly options: TriggerOptions) {
    this.clock = options.clock ?? Date.now;
    this.settingsNow = options.settings;
    this.scaler = new Scaler(options.settings.ScalingConfig.MaximumConcurrency);
    this.invoker = new BatchInvoker({
      ...options,
      clock: this.clock,
      reportsBatchItemFailures: () => this.reportsBatchItemFailures,
      filterCriteria: () => this.settingsNow.FilterCriteria,
      batchingWindowSeconds: () => this.settingsNow.MaximumBatchingWindowInSeconds,
      onFunctionError: () => (this.seen.errors += 1),
    });
  }

  get state(): TriggerState {
    return this.current;
  }

  get settings(): Readonly<TriggerSettings> {
    return this.settingsNow;
  }

  get concurrency(): { running: number; limit: number; maximum: number } {
    return { running: this.inFlight, limit: this.scaler.limit, maximum: this.scaler.ceiling };
  }

  get functionTimeoutMs(): number {
    return this.options.function.timeoutMs;
  }

  /** Apply new settings (already validated); turning Enabled on or off starts or stops polling. */
  async update(settings: TriggerSettings): Promise<void> {
    this.settingsNow = settings;
    this.scaler.setMaximum(settings.ScalingConfig.MaximumConcurrency);
    this.reportConcurrency();
    this.wake(true);
    if (settings.Enabled) this.start();
    else await this.stop();
  }

  setFunctionTimeout(timeoutMs: number): void {
    this.options.function.timeoutMs = timeoutMs;
  }

  get reservedConcurrency(): number | null {
    return this.options.concurrency?.reserved ?? null;
  }

  /** The function's reserved concurrency: shared by every mapping on the function, so setting it here sets it for all. */
  setReservedConcurrency(reserved: number | null): void {
    this.options.concurrency?.setReserved(reserved);
  }

  /** The function's clock stands still while `paused` is pending (a step-mode pause inside the handler). */
  frozenWhile<T>(awsRequestId: string, paused: Promise<T>): Promise<T> {
    return this.invoker.frozenWhile(awsRequestId, paused);
  }

  start(): void {
    if (this.current === "enabled") return;
    const run = newRun();
    this.run = run;
    // Every open receive listens on these: past ten concurrent batches Node warned of a leak that is not one.
    setMaxListeners(DEFAULT_CEILING + 10, run.stopping.signal, run.abort.signal);
    this.setState("enabled");
    // Announced at once, not at the first scaling tick: a second before a page (or a test waiting
    // for rest) learns the limit, and a late first report looks like activity on an idle mapping.
    this.reportConcurrency();
    this.ticker = setInterval(() => this.tick(), SCALING_TICK_MS / (this.options.scalingSpeed ?? 1));
    this.ticker.unref();
    this.track(run, this.receiveLoop(run, true));
  }

  /**
   * Stop polling; batches already handed to the handler finish and are deleted or left for
   * redelivery. Resolves once every earlier run has finished too, so a caller that stops (say,
   * for shutdown) while a quick off-on is still draining waits for that as well.
   */
  async stop(): Promise<void> {
    const run = this.current === "enabled" ? this.run : undefined;
    if (run) {
      this.setState("stopping");
      clearInterval(this.ticker);
      const drained = this.drain(run);
      this.draining.add(drained);
      void drained.finally(() => this.draining.delete(drained));
    }
    while (this.draining.size > 0) await Promise.all([...this.draining]);
  }

  private async drain(run: Run): Promise<void> {
    run.stopping.abort();
    this.options.endLongPolls?.();
    // A receive sent just before the stop can reach SQS after that: end the polls again until none
    // of this run's is open, so the grace abort never leaves one in SQS holding a message for no one.
    const ending = setInterval(() => (run.receiving > 0 ? this.options.endLongPolls?.() : clearInterval(ending)), END_POLLS_EVERY_MS);
    this.wake(true);
    const grace = setTimeout(() => run.abort.abort(), STOP_GRACE_MS);
    while (run.work.size > 0) await Promise.all([...run.work]);
    clearTimeout(grace);
    clearInterval(ending);
    // Started again meanwhile: the newer run owns the state now.
    if (this.run === run) {
      this.run = undefined;
      this.setState("disabled");
    }
    this.reportConcurrency();
  }

  private setState(state: TriggerState): void {
    this.current = state;
    this.options.publish({ type: "trigger.state", state, ...this.mapping });
  }

  private track(run: Run, work: Promise<void>): void {
    run.work.add(work);
    void work.finally(() => run.work.delete(work));
  }

  private tick(): void {
    const { backlog, saturated, errors } = this.seen;
    this.seen = { backlog: false, saturated: false, errors: 0 };
    this.scaler.tick(SCALING_TICK_MS, { backlog: backlog && saturated, errors, running: this.inFlight });
    this.reportConcurrency();
    this.wake(true);
  }

  private reportConcurrency(): void {
    const { running, limit, maximum } = this.concurrency;
    if (running === this.lastReported.running && limit === this.lastReported.limit) return;
    this.lastReported = { running, limit };
    this.options.publish({ type: "lambda.concurrency", running, limit, maximum, ...this.mapping });
  }

  /**
   * One long-poll stays open while the queue is idle: idle pollers would each hold a connection
   * and wake one after another as messages arrive; instead, a batch that comes back
   * full (a backlog) opens another receiver while slots remain, and extra receivers close again
   * once a batch comes back short.
   */
  private async receiveLoop(run: Run, primary: boolean): Promise<void> {
    const { signal } = run.stopping;
    while (!signal.aborted) {
      await this.freeSlot(signal);
      if (signal.aborted) return;
      // Checked again with no await before taking it: two loops woken in the same turn (or one that
      // found a slot free and resumed a microtask later) could otherwise both take the last slot.
      if (!this.hasFreeSlot()) continue;
      this.receiving += 1;
      run.receiving += 1;
      let messages: Message[];
      try {
        messages = await this.gather(run);
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        await sleep(POLL_ERROR_BACKOFF_MS, undefined, { signal }).catch(() => {});
        continue;
      } finally {
        this.receiving -= 1;
        run.receiving -= 1;
      }
      for (const batch of this.batchesOf(messages)) {
        this.inFlight += 1;
        this.reportConcurrency();
        this.track(run, this.invoker.invoke(batch).finally(() => this.release()));
      }
      const backlog = messages.length >= Math.min(10, this.settingsNow.BatchSize);
      if (backlog) this.seen.backlog = true;
      if (backlog && this.hasFreeSlot()) this.track(run, this.receiveLoop(run, false));
      if (!primary && !backlog) return;
    }
  }

  /**
   * The invocations one receive makes. A standard queue's receive is one batch. A FIFO queue's is
   * split by message group, each group's records in sequence order: one batch per group, invoked
   * side by side, so concurrency follows the number of active groups while SQS keeps each group
   * locked until its batch is deleted or its visibility runs out (AWS: with-sqs.html, FIFO queues).
   * A receive of several groups may run a few batches past the concurrency limit (at most one per
   * group it holds) rather than hand received messages back, which would count as a receive.
   */
  private batchesOf(messages: Message[]): Message[][] {
    if (messages.length === 0) return [];
    if (!this.options.queue.fifo) return [messages];
    const groups = new Map<string, Message[]>();
    for (const message of messages) {
      const group = message.Attributes?.MessageGroupId ?? "";
      groups.set(group, [...(groups.get(group) ?? []), message]);
    }
    const sequence = (m: Message) => BigInt(m.Attributes?.SequenceNumber ?? "0");
    return [...groups.values()].map((batch) => batch.sort((a, b) => (sequence(a) < sequence(b) ? -1 : sequence(a) > sequence(b) ? 1 : 0)));
  }

  private async gather(run: Run): Promise<Message[]> {
    const { queue, gate } = this.options;
    const signal = run.stopping.signal;
    const hard = run.abort.signal;
    const receive = (maxMessages: number, waitSeconds: number) => queue.receive({ maxMessages, waitSeconds, signal: hard });
    if (gate?.isEnabled) {
      // Step 3: name the message the receive is about to take, then wait for Next.
      const next = await this.nextVisible(signal);
      if (!next) return [];
      const whose = next.taskId === null ? `message ${next.messageId}` : `task ${next.taskId}'s message`;
      const passed = await gate.pass("receive", { taskId: next.taskId, messageIds: [next.messageId], detail: `the Lambda trigger is about to receive ${whose} (ReceiveMessage)` }).then(
        () => true,
        // Abandoned while paused (a world reset, or shutting down): nothing received, no poller error.
        (error: unknown) => (error instanceof StepAborted ? false : Promise.reject(error)),
      );
      if (!passed) return [];
    }
    return collectBatch(receive, () => this.settingsNow, this.clock, signal, this.carry);
  }

  private async nextVisible(signal: AbortSignal) {
    for (;;) {
      if (signal.aborted || !this.options.gate?.isEnabled) return undefined;
      const next = this.options.peek?.();
      if (next) return next;
      await sleep(STEP_MODE_PEEK_MS, undefined, { signal }).catch(() => {});
    }
  }

  private hasFreeSlot(): boolean {
    return this.inFlight + this.receiving < this.scaler.limit;
  }

  private async freeSlot(signal: AbortSignal): Promise<void> {
    while (!this.hasFreeSlot() && !signal.aborted) {
      this.seen.saturated = true;
      await new Promise<void>((resolve) => this.slotFreed.push(resolve));
    }
  }

  private release(): void {
    this.inFlight -= 1;
    this.reportConcurrency();
    this.wake(false);
  }

  private wake(all: boolean): void {
    const waiters = all ? this.slotFreed.splice(0) : this.slotFreed.splice(0, 1);
    for (const wake of waiters) wake();
  }

  /** Marks this mapping's own events when it is the FIFO queue's, so a page tells the two mappings apart. */
  private get mapping(): { mapping?: "fifo" } {
    return this.options.queue.fifo ? { mapping: "fifo" } : {};
  }

  private get reportsBatchItemFailures(): boolean {
    return this.settingsNow.FunctionResponseTypes.includes("ReportBatchItemFailures");
  }
}
