import type { TriggerSettings, TriggerState } from "../../common/events.js";
import type { Publish } from "../events/eventLog.js";
import type { FunctionConcurrency } from "../trigger/functionConcurrency.js";
import type { TriggerControl } from "../trigger/triggerControl.js";
import type { EventSourceMapping } from "./eventSourceMapping.js";
import type { InvocationReports } from "./invocationReports.js";
import type { LambdaFunction } from "./lambdaFunction.js";

export interface MappingTriggerDeps {
  mapping: EventSourceMapping;
  uuid: string;
  fn: LambdaFunction;
  functionName: string;
  settings: TriggerSettings;
  functionTimeoutSeconds: number;
  reports: InvocationReports;
  publish: Publish;
  log: (message: string, error?: unknown) => void;
  /** The FIFO queue's mapping: its events say `mapping: "fifo"`. */
  fifo?: boolean;
  /** The function's reserved concurrency as last set, shared by every mapping on the function (Lambda enforces it). */
  concurrency: FunctionConcurrency;
}

/**
 * The trigger when Lambda runs it (LocalStack or AWS): every control maps to the Lambda API —
 * settings to UpdateEventSourceMapping, the timeout to UpdateFunctionConfiguration, reserved
 * concurrency to PutFunctionConcurrency — and what
 * runs is known from the function's own reports.
 */
export class MappingTrigger implements TriggerControl {
  private current: TriggerSettings;
  private timeoutMs: number;
  private triggerState: TriggerState;

  constructor(private readonly deps: MappingTriggerDeps) {
    this.current = deps.settings;
    this.timeoutMs = deps.functionTimeoutSeconds * 1000;
    this.triggerState = deps.settings.Enabled ? "enabled" : "disabled";
  }

  get state(): TriggerState {
    return this.triggerState;
  }

  get settings(): Readonly<TriggerSettings> {
    return this.current;
  }

  get concurrency() {
    const running = this.deps.reports.concurrencyOf(this.deps.fifo ? "fifo" : undefined);
    return { running, limit: Math.max(running, 5), maximum: this.current.ScalingConfig.MaximumConcurrency ?? 1000 };
  }

  get functionTimeoutMs(): number {
    return this.timeoutMs;
  }

  async update(settings: TriggerSettings): Promise<void> {
    const disabling = this.current.Enabled && !settings.Enabled;
    this.current = settings;
    if (disabling) this.setState("stopping");
    try {
      const mapping = await this.deps.mapping.update(this.deps.uuid, settings);
      this.setState(mapping.State === "Enabled" ? "enabled" : "disabled");
    } catch (error) {
      this.deps.log("could not update the event source mapping", error);
      throw error;
    }
  }

  async setFunctionTimeout(timeoutMs: number): Promise<void> {
    await this.deps.fn.setTimeout(this.deps.functionName, Math.round(timeoutMs / 1000));
    this.timeoutMs = timeoutMs;
  }

  get reservedConcurrency(): number | null {
    return this.deps.concurrency.reserved;
  }

  /** PutFunctionConcurrency or DeleteFunctionConcurrency: Lambda itself then throttles past it. */
  async setReservedConcurrency(reserved: number | null): Promise<void> {
    await this.deps.fn.setReservedConcurrency(this.deps.functionName, reserved);
    this.deps.concurrency.setReserved(reserved);
  }

  /** The mapping was created with its settings; nothing more to start. */
  start(): void {
    this.setState(this.current.Enabled ? "enabled" : "disabled");
  }

  /**
   * The playground is stopping: disable the mapping, or Lambda would keep invoking a function
   * that cannot reach the playground, and every message would end in the dead-letter queue.
   * The next start enables it again.
   */
  async stop(): Promise<void> {
    if (!this.current.Enabled) return;
    try {
      await this.deps.mapping.update(this.deps.uuid, { ...this.current, Enabled: false });
    } catch (error) {
      this.deps.log("could not disable the event source mapping while stopping", error);
    }
    this.setState("disabled");
  }

  private setState(state: TriggerState): void {
    if (state === this.triggerState) return;
    this.triggerState = state;
    this.deps.publish({ type: "trigger.state", state, ...(this.deps.fifo ? { mapping: "fifo" as const } : {}) });
  }
}
