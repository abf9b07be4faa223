/**
 * The task store's reports, in the order its changes were made. A durable change is reported once
 * it is on disk, a transient one at once — unless an earlier change is still being written, then
 * right after that one. Otherwise a transient change made meanwhile (the API recording a message
 * id) would be reported first, showing a task already completed before its completion.
 */
export class ChangeReports {
  private readonly waiting: { ready: boolean; report: () => void }[] = [];

  /**
   * Holds the place of a change made now. Call the function returned once it may be reported,
   * with its report, or with null when there is nothing to report (its write failed).
   */
  place(): (report: (() => void) | null) => void {
    const slot = { ready: false, report: () => {} };
    this.waiting.push(slot);
    return (report) => {
      slot.ready = true;
      if (report) slot.report = report;
      while (this.waiting[0]?.ready) this.waiting.shift()!.report();
    };
  }
}
