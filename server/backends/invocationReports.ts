import type { InvocationEnded, InvocationStarted } from "../../common/internalApi.js";
import type { Clock, Publish } from "../events/eventLog.js";

/** Which event source mapping invoked: the FIFO queue's, or the standard queue's (undefined). */
type MappingName = "fifo" | undefined;

interface Running {
  mapping: MappingName;
  messageIds: string[];
  startedAt: number;
  timer: NodeJS.Timeout;
}

/** How long past its own timeout a silent invocation is given before it is declared timed out. */
const SILENCE_GRACE_MS = 2000;

/**
 * The Lambda side of the flow when the function runs in LocalStack or AWS: the function reports
 * each invocation's start and end, and these become the same lambda.* events the embedded trigger
 * publishes. A function killed at its timeout never reports its end, so silence past the timeout
 * is announced as the failure it is.
 */
export class InvocationReports {
  private readonly running = new Map<string, Running>();
  /** The most invocations seen at once, per mapping (key "fifo" or "standard"). */
  private readonly peaks = new Map<string, number>();
  private fifoSource: string | undefined;
  private readonly listeners = new Set<(report: InvocationStarted) => void>();

  constructor(
    private readonly publish: Publish,
    private readonly clock: Clock = Date.now,
  ) {}

  /** Hear of each invocation's start (the queue watch learns who received its messages). */
  onStarted(listener: (report: InvocationStarted) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The FIFO queue's ARN, once provisioned: invocations whose records come from it are the FIFO mapping's. */
  setFifoSource(queueArn: string): void {
    this.fifoSource = queueArn;
  }

  /** Invocations running now for one mapping: the FIFO queue's (`"fifo"`) or the standard queue's (undefined). */
  concurrencyOf(mapping: MappingName): number {
    let count = 0;
    for (const run of this.running.values()) if (run.mapping === mapping) count += 1;
    return count;
  }

  started(report: InvocationStarted): void {
    if (this.running.has(report.invocationId)) return;
    const timer = setTimeout(() => this.silent(report.invocationId), report.remainingMs + SILENCE_GRACE_MS);
    timer.unref();
    const mapping: MappingName = report.eventSourceArn !== undefined && report.eventSourceArn === this.fifoSource ? "fifo" : undefined;
    this.running.set(report.invocationId, { mapping, messageIds: report.messageIds, startedAt: this.clock(), timer });
    for (const listener of this.listeners) listener(report);
    this.publish({ type: "lambda.invoked", invocationId: report.invocationId, functionName: report.functionName, messageIds: report.messageIds, taskIds: report.taskIds });
    this.reportConcurrency(mapping);
  }

  ended(report: InvocationEnded): void {
    const run = this.running.get(report.invocationId);
    if (!run) return;
    this.finish(report.invocationId, run);
    if (report.outcome === "completed") {
      this.publish({ type: "lambda.completed", invocationId: report.invocationId, durationMs: report.durationMs, failedMessageIds: report.failedMessageIds });
    } else {
      this.publish({ type: "lambda.failed", invocationId: report.invocationId, durationMs: report.durationMs, error: report.error, messageIds: report.messageIds });
    }
  }

  stop(): void {
    for (const run of this.running.values()) clearTimeout(run.timer);
    this.running.clear();
  }

  private silent(invocationId: string): void {
    const run = this.running.get(invocationId);
    if (!run) return;
    this.finish(invocationId, run);
    const durationMs = this.clock() - run.startedAt;
    this.publish({ type: "lambda.failed", invocationId, durationMs, error: "Task timed out: the function stopped reporting before its timeout ended", messageIds: run.messageIds });
  }

  private finish(invocationId: string, run: Running): void {
    clearTimeout(run.timer);
    this.running.delete(invocationId);
    this.reportConcurrency(run.mapping);
  }

  /** One mapping's concurrency, as the embedded trigger reports its own: `mapping: "fifo"` for the FIFO queue's. */
  private reportConcurrency(mapping: MappingName): void {
    const running = this.concurrencyOf(mapping);
    const key = mapping ?? "standard";
    const peak = Math.max(this.peaks.get(key) ?? 0, running);
    this.peaks.set(key, peak);
    // The service decides the real limit; what we can show is how many run now.
    this.publish({ type: "lambda.concurrency", running, limit: Math.max(peak, 5), maximum: 1000, ...(mapping ? { mapping } : {}) });
  }
}
