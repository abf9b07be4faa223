/**
 * How many batches the trigger may run at once, decided the way Lambda's SQS poller does
 * (aws-semantics.md §2): start at 5; while a backlog remains, add up to 300 per minute; never
 * above MaximumConcurrency; scale back toward 5 when idle; halve after function errors when
 * ReportBatchItemFailures is off. Pure: the trigger passes in what it saw since the last tick.
 */
export const INITIAL_CONCURRENCY = 5;
/** With no MaximumConcurrency, AWS's documented ceiling for one SQS trigger. */
export const DEFAULT_CEILING = 1000;
const PER_MINUTE = 300;

export interface ScalerObservation {
  /** Receives came back full while every slot was taken: messages are waiting. */
  backlog: boolean;
  /** Whole-batch failures since the last tick (only counted when ReportBatchItemFailures is off). */
  errors: number;
  /** Batches running right now. */
  running: number;
}

export class Scaler {
  private current: number;

  constructor(private maximum: number | undefined) {
    this.current = Math.min(INITIAL_CONCURRENCY, this.ceiling);
  }

  get limit(): number {
    return this.current;
  }

  get ceiling(): number {
    return this.maximum ?? DEFAULT_CEILING;
  }

  setMaximum(maximum: number | undefined): void {
    this.maximum = maximum;
    this.current = Math.min(this.current, this.ceiling);
  }

  /** One step of `elapsedMs` (already multiplied by the time scale). Returns the new limit. */
  tick(elapsedMs: number, seen: ScalerObservation): number {
    const step = Math.max(1, Math.round((PER_MINUTE * elapsedMs) / 60_000));
    const floor = Math.min(INITIAL_CONCURRENCY, this.ceiling);
    if (seen.errors > 0) this.current = Math.max(Math.min(2, this.ceiling), Math.ceil(this.current / 2));
    else if (seen.backlog) this.current = Math.min(this.ceiling, this.current + step);
    else if (seen.running < this.current) this.current = Math.max(floor, seen.running, this.current - step);
    return this.current;
  }
}
