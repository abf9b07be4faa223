import type { SqsEngine } from "./engine.js";
import type { Queue } from "./queue.js";

export type MoveTaskStatus = "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";

/** A message move task as ListMessageMoveTasks reports it. */
export interface MoveTask {
  taskHandle: string;
  status: MoveTaskStatus;
  sourceArn: string;
  /** Undefined: each message goes back to the queue it was dead-lettered from. */
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  moved: number;
  toMove: number;
  failureReason?: string;
  startedAt: number;
}

/** Without MaxNumberOfMessagesPerSecond AWS picks a "system-optimised" rate; this is ours. */
const DEFAULT_RATE_PER_SECOND = 500;

/**
 * StartMessageMoveTask's redrive: moves the visible messages of a dead-letter queue, at most the
 * given rate each second, to a destination or back to their source queues. Source: SQS API
 * reference, StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask.
 */
export class MoveTasks {
  /** Every task ever started, newest last (ListMessageMoveTasks shows the latest per source). */
  private readonly tasks: MoveTask[] = [];
  private readonly timers = new Map<MoveTask, () => void>();

  constructor(private readonly engine: SqsEngine) {}

  running(sourceArn: string): MoveTask | undefined {
    return this.tasks.find((task) => task.sourceArn === sourceArn && task.status === "RUNNING");
  }

  byHandle(taskHandle: string): MoveTask | undefined {
    return this.tasks.find((task) => task.taskHandle === taskHandle);
  }

  /** The tasks of a source queue, newest first. */
  list(sourceArn: string): MoveTask[] {
    return this.tasks.filter((task) => task.sourceArn === sourceArn).reverse();
  }

  start(source: Queue, destination: Queue | undefined, rate: number | undefined, taskHandle: string): MoveTask {
    const task: MoveTask = {
      taskHandle,
      status: "RUNNING",
      sourceArn: source.arn,
      ...(destination ? { destinationArn: destination.arn } : {}),
      ...(rate !== undefined ? { maxNumberOfMessagesPerSecond: rate } : {}),
      moved: 0,
      toMove: source.counts().visible,
      startedAt: this.engine.scheduler.now(),
    };
    this.tasks.push(task);
    this.step(task, this.engine.scheduler.now());
    return task;
  }

  cancel(task: MoveTask): void {
    this.timers.get(task)?.();
    this.timers.delete(task);
    task.status = "CANCELLED";
  }

  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Moves up to one second's worth of messages now, then waits a second for the next. */
  private step(task: MoveTask, now: number): void {
    this.timers.delete(task);
    const source = this.engine.queueByArn(task.sourceArn);
    if (!source) return this.fail(task, "AWS.SimpleQueueService.NonExistentQueue");
    let budget = task.maxNumberOfMessagesPerSecond ?? DEFAULT_RATE_PER_SECOND;
    for (const message of source.messages()) {
      if (budget === 0 || task.moved >= task.toMove) break;
      if (message.state !== "visible") continue;
      const targetArn = task.destinationArn ?? message.deadLetterSourceArn;
      const target = targetArn ? this.engine.queueByArn(targetArn) : undefined;
      if (!target) return this.fail(task, "AWS.SimpleQueueService.NonExistentQueue");
      // The target first: a crash between the two journal lines keeps the message twice, never loses it.
      const moved = target.acceptMoved(message, undefined);
      source.takeForMove(message);
      this.engine.emit({ type: "message.moved", queue: source.name, destinationQueue: target.name, messageId: message.id, newMessageId: moved.id });
      task.moved += 1;
      budget -= 1;
    }
    if (task.moved >= task.toMove || source.counts().visible === 0) {
      task.status = "COMPLETED";
      return;
    }
    this.timers.set(task, this.engine.scheduler.at(now + 1000, () => this.step(task, now + 1000)));
  }

  private fail(task: MoveTask, reason: string): void {
    task.status = "FAILED";
    task.failureReason = reason;
  }
}
