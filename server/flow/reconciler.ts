import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import type { TaskSender } from "./taskSender.js";

const SEND_CONCURRENCY = 16;

export interface ReconcileReport {
  resent: number;
  stillFailing: number;
}

/**
 * Where a message is now, read without receiving it, when the backend can tell (the embedded SQS
 * keeps its queues across restarts): in the task queue, in its dead-letter queue, or in neither.
 */
export type MessageLocator = (messageId: string) => "queue" | "dead-letter" | undefined;

/**
 * Repairs the dual write. At start-up every unfinished task whose message may be gone is sent
 * again (a crash can fall between insert and send, or before the task recorded its message id);
 * the handler is idempotent, so a duplicate costs nothing. Periodically, tasks whose send failed
 * are sent again.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileReport> | undefined;

  constructor(
    private readonly store: LowdbTaskStore,
    private readonly sender: TaskSender,
    private readonly onReport: (report: ReconcileReport) => void = () => {},
  ) {}

  /**
   * The start-up pass. With a locator, a task whose message is still queued is left to it, and one
   * whose message reached the dead-letter queue (the crash fell before the task was marked) is
   * marked failed; the rest are sent again. Without one (a queue that may have lost its messages),
   * every unfinished task is sent again.
   */
  resendUnfinished(locate?: MessageLocator): Promise<ReconcileReport> {
    return this.pass(async () => {
      if (!locate) return this.store.unfinished();
      const lost = [];
      for (const task of this.store.unfinished()) {
        const where = task.messageId === null ? undefined : locate(task.messageId);
        if (where === "dead-letter") await this.store.markDeadLettered(task.id, `message ${task.messageId} is in the dead-letter queue`);
        else if (where === undefined) lost.push(task);
      }
      return lost;
    });
  }

  resendUnsent(): Promise<ReconcileReport> {
    return this.pass(() => this.store.unsent());
  }

  startPeriodic(intervalMs: number): void {
    this.timer = setInterval(() => void this.resendUnsent().catch(() => {}), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  // One pass at a time: overlapping passes would send the same task twice.
  private pass(select: () => ReturnType<LowdbTaskStore["list"]> | Promise<ReturnType<LowdbTaskStore["list"]>>): Promise<ReconcileReport> {
    if (this.running) return this.running;
    this.running = (async () => {
      const report: ReconcileReport = { resent: 0, stillFailing: 0 };
      const tasks = await select();
      for (let i = 0; i < tasks.length; i += SEND_CONCURRENCY) {
        const results = await Promise.all(tasks.slice(i, i + SEND_CONCURRENCY).map((task) => this.sender.send(task)));
        for (const result of results) report[result.sent ? "resent" : "stillFailing"] += 1;
      }
      if (report.resent + report.stillFailing > 0) this.onReport(report);
      return report;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
