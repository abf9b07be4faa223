import type { TriggerSettings, TriggerState } from "../../common/events.js";

/**
 * The event source mapping as the controls see it, whoever runs it: our emulator in embedded mode,
 * LocalStack's or AWS's behind UpdateEventSourceMapping otherwise.
 */
export interface TriggerControl {
  readonly state: TriggerState;
  readonly settings: Readonly<TriggerSettings>;
  readonly concurrency: { running: number; limit: number; maximum: number };
  readonly functionTimeoutMs: number;
  update(settings: TriggerSettings): Promise<void>;
  setFunctionTimeout(timeoutMs: number): void | Promise<void>;
  /** The function's reserved concurrency (ReservedConcurrentExecutions), null when none is set. */
  readonly reservedConcurrency: number | null;
  /** PutFunctionConcurrency (a number) or DeleteFunctionConcurrency (null). */
  setReservedConcurrency(reserved: number | null): void | Promise<void>;
  start(): void;
  stop(): Promise<void>;
}
