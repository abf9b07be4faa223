import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import type { TaskSender } from "./taskSender.js";

const SEND_CONCURRENCY = 16;

export interface ReconcileReport {
  resent: number;
  stillFailing: number;
}

/**
 * Repairs the dual write. At start-up every unfinished task is sent again, because its message
 * may be gone (the embedded queue lives in memory; a crash can fall between insert and send);
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

  resendUnfinished(): Promise<ReconcileReport> {
    return this.pass(() => this.store.unfinished());
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
  private pass(select: () => ReturnType<LowdbTaskStore["list"]>): Promise<ReconcileReport> {
    if (this.running) return this.running;
    this.running = (async () => {
      const report: ReconcileReport = { resent: 0, stillFailing: 0 };
      const tasks = select();
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
