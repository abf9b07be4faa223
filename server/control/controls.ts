import { randomUUID } from "node:crypto";
import { FLOW_STEPS, type Faults, type FlowStep, type FunctionSettings, type StepModeView, type TriggerSettings, type TriggerView } from "../../common/events.js";
import type { Clock, Publish } from "../events/eventLog.js";
import type { TriggerControl } from "../trigger/triggerControl.js";
import { settingsWarnings, updateFunctionSettings, updateTriggerSettings } from "../trigger/mappingSettings.js";
import { ControlError } from "./errors.js";
import type { FaultSwitch } from "./faults.js";
import { parseStepModeSettings, type StepGate } from "./stepGate.js";

export interface ControlsDeps {
  trigger: TriggerControl;
  gate: StepGate;
  faults: FaultSwitch;
  publish: Publish;
  clock: Clock;
  eventSourceArn: string;
  functionArn: string;
  /** The queue's visibility timeout as SQS holds it now. */
  visibilityTimeoutSeconds: () => number;
  /** Called when step mode turns on, so consumers already long-polling poll again through the gate. */
  onStepModeEnabled?: () => void;
  /** The mapping's queue is FIFO: its settings follow the FIFO rules and its events say `mapping: "fifo"`. */
  fifo?: boolean;
  /** Why step mode cannot be used with this backend, or null when it can. */
  stepModeUnavailable?: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every control action of the playground, for HTTP and Socket.IO alike: the trigger's settings,
 * the function's settings, faults and step mode. Each change is validated first (a refusal
 * changes nothing) and announced as an event.
 */
export class Controls {
  private readonly uuid = randomUUID();
  private lastModified: number;
  /** The trigger's and the function's settings as the playground started: what a world reset brings back. */
  private readonly defaults: { trigger: TriggerSettings; function: FunctionSettings };

  constructor(private readonly deps: ControlsDeps) {
    this.lastModified = deps.clock();
    this.defaults = { trigger: structuredClone({ ...deps.trigger.settings }), function: this.functionSettings() };
  }

  /**
   * Put the trigger's settings (Enabled, BatchSize, batching window, MaximumConcurrency, filter,
   * FunctionResponseTypes) and the function's (Timeout, reserved concurrency) back as the
   * playground started, announcing each that changed as its update would. A world reset calls it:
   * a lesson left with the trigger off or a filter on made every later lesson wait for good.
   */
  async restoreDefaults(): Promise<void> {
    const { trigger, function: fn } = this.defaults;
    // A filter the learner added is taken off by FilterCriteria null, as UpdateEventSourceMapping does.
    if (JSON.stringify(this.deps.trigger.settings) !== JSON.stringify(trigger)) await this.updateTrigger({ ...structuredClone(trigger), FilterCriteria: trigger.FilterCriteria ?? null });
    const now = this.functionSettings();
    if (now.Timeout !== fn.Timeout || now.ReservedConcurrentExecutions !== fn.ReservedConcurrentExecutions) await this.updateFunction({ ...fn });
  }

  triggerView(): TriggerView {
    const { trigger } = this.deps;
    const state = trigger.state === "enabled" ? "Enabled" : trigger.state === "stopping" ? "Disabling" : "Disabled";
    return {
      UUID: this.uuid,
      EventSourceArn: this.deps.eventSourceArn,
      FunctionArn: this.deps.functionArn,
      ...trigger.settings,
      State: state,
      LastModified: Math.floor(this.lastModified / 1000),
      warnings: this.warnings(trigger.settings, this.functionSettings()),
      playgroundDefaults: trigger.settings.FunctionResponseTypes.includes("ReportBatchItemFailures") ? [REPORTS_FAILURES_BY_DEFAULT] : [],
    };
  }

  async updateTrigger(patch: unknown): Promise<TriggerView> {
    const fifo = this.deps.fifo ?? false;
    const settings = updateTriggerSettings(this.deps.trigger.settings, patch, { fifo });
    this.lastModified = this.deps.clock();
    // Disabling waits for batches in flight; the answer comes at once, as AWS's "Disabling" does.
    void this.deps.trigger.update(settings);
    this.deps.publish({ type: "trigger.updated", settings, warnings: this.warnings(settings, this.functionSettings()), ...(fifo ? { mapping: "fifo" as const } : {}) });
    return this.triggerView();
  }

  functionView(): FunctionSettings & { warnings: string[] } {
    const settings = this.functionSettings();
    return { ...settings, warnings: this.warnings(this.deps.trigger.settings, settings) };
  }

  async updateFunction(patch: unknown): Promise<FunctionSettings & { warnings: string[] }> {
    const before = this.functionSettings();
    const settings = updateFunctionSettings(before, patch);
    if (settings.Timeout !== before.Timeout) await this.deps.trigger.setFunctionTimeout(settings.Timeout * 1000);
    if (settings.ReservedConcurrentExecutions !== before.ReservedConcurrentExecutions) await this.deps.trigger.setReservedConcurrency(settings.ReservedConcurrentExecutions ?? null);
    const view = this.functionView();
    this.deps.publish({ type: "function.updated", settings, warnings: view.warnings });
    return view;
  }

  faults(): Faults {
    return this.deps.faults.faults;
  }

  setFaults(body: unknown): Faults {
    return this.deps.faults.set(body);
  }

  stepMode(): StepModeView {
    const { gate } = this.deps;
    return { enabled: gate.isEnabled, heartbeat: gate.heartbeat, paused: gate.paused() };
  }

  setStepMode(body: unknown): StepModeView {
    const settings = parseStepModeSettings(body);
    if (settings.enabled && this.deps.stepModeUnavailable) throw new ControlError(409, "StepModeUnavailable", this.deps.stepModeUnavailable);
    const turningOn = settings.enabled && !this.deps.gate.isEnabled;
    this.deps.gate.setEnabled(settings.enabled, settings.heartbeat);
    if (turningOn) this.deps.onStepModeEnabled?.();
    return this.stepMode();
  }

  /**
   * Release the step that has waited longest. With `{"step": "<name>"}`, only if that is the step
   * waiting: a Next labelled "release step 4" never releases another.
   * @throws ControlError 409 StepModeOff, NothingPaused, or OtherStepWaiting; 400 InvalidNext.
   */
  next(body: unknown = undefined): StepModeView {
    const expected = expectedStep(body);
    if (!this.deps.gate.isEnabled) throw new ControlError(409, "StepModeOff", 'step mode is off; turn it on with PUT /api/step-mode {"enabled": true}');
    const oldest = this.deps.gate.oldest;
    if (!oldest) throw new ControlError(409, "NothingPaused", "no step is waiting yet; start a flow (POST /tasks) or wait for the next step to arrive");
    if (expected && oldest.step !== expected) throw new ControlError(409, "OtherStepWaiting", `step ${oldest.stepNumber} (${oldest.step}) is waiting, not ${expected}; nothing was released`);
    const released = this.deps.gate.next();
    return { ...this.stepMode(), ...(released ? { released } : {}) };
  }

  private functionSettings(): FunctionSettings {
    return { Timeout: Math.round(this.deps.trigger.functionTimeoutMs / 1000), ReservedConcurrentExecutions: this.deps.trigger.reservedConcurrency };
  }

  private warnings(trigger: TriggerSettings, fn: FunctionSettings): string[] {
    return settingsWarnings(this.deps.visibilityTimeoutSeconds(), fn.Timeout, trigger.MaximumBatchingWindowInSeconds, {
      reserved: fn.ReservedConcurrentExecutions ?? null,
      maximumConcurrency: trigger.ScalingConfig.MaximumConcurrency,
    });
  }
}

/** The optional body of Next: nothing, `{}`, or `{"step": "<one of the six>"}`. */
function expectedStep(body: unknown): FlowStep | undefined {
  if (body === undefined || body === null || (isRecord(body) && Object.keys(body).length === 0)) return undefined;
  if (isRecord(body) && Object.keys(body).length === 1 && FLOW_STEPS.includes(body.step as FlowStep)) return body.step as FlowStep;
  throw new ControlError(400, "InvalidNext", `send no body, or {"step": "<step>"} with one of ${FLOW_STEPS.join(", ")}`);
}

/**
 * The lessons' mapping reports batch item failures; a new mapping on AWS does not
 * (CreateEventSourceMapping: FunctionResponseTypes defaults to []). Lesson 11 shows both.
 */
const REPORTS_FAILURES_BY_DEFAULT =
  'FunctionResponseTypes is ["ReportBatchItemFailures"] here, set by the playground for its lessons; a new mapping on AWS starts with [] (off), and a returned batchItemFailures list is then ignored';
