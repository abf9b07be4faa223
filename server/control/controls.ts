import { randomUUID } from "node:crypto";
import type { Faults, FunctionSettings, StepModeView, TriggerSettings, TriggerView } from "../../common/events.js";
import type { Clock, Publish } from "../events/eventLog.js";
import type { TriggerControl } from "../trigger/triggerControl.js";
import { settingsWarnings, updateFunctionSettings, updateTriggerSettings } from "../trigger/mappingSettings.js";
import { ControlError } from "./errors.js";
import type { FaultSwitch } from "./faults.js";
import type { StepGate } from "./stepGate.js";

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

  constructor(private readonly deps: ControlsDeps) {
    this.lastModified = deps.clock();
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
    };
  }

  async updateTrigger(patch: unknown): Promise<TriggerView> {
    const settings = updateTriggerSettings(this.deps.trigger.settings, patch);
    this.lastModified = this.deps.clock();
    // Disabling waits for batches in flight; the answer comes at once, as AWS's "Disabling" does.
    void this.deps.trigger.update(settings);
    this.deps.publish({ type: "trigger.updated", settings, warnings: this.warnings(settings, this.functionSettings()) });
    return this.triggerView();
  }

  functionView(): FunctionSettings & { warnings: string[] } {
    const settings = this.functionSettings();
    return { ...settings, warnings: this.warnings(this.deps.trigger.settings, settings) };
  }

  async updateFunction(patch: unknown): Promise<FunctionSettings & { warnings: string[] }> {
    const settings = updateFunctionSettings(this.functionSettings(), patch);
    await this.deps.trigger.setFunctionTimeout(settings.Timeout * 1000);
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
    return { enabled: this.deps.gate.isEnabled, paused: this.deps.gate.paused() };
  }

  setStepMode(body: unknown): StepModeView {
    if (!isRecord(body) || typeof body.enabled !== "boolean" || Object.keys(body).some((k) => k !== "enabled")) {
      throw new ControlError(400, "InvalidStepMode", 'send {"enabled": true} or {"enabled": false}');
    }
    if (body.enabled && this.deps.stepModeUnavailable) throw new ControlError(409, "StepModeUnavailable", this.deps.stepModeUnavailable);
    const turningOn = body.enabled && !this.deps.gate.isEnabled;
    this.deps.gate.setEnabled(body.enabled);
    if (turningOn) this.deps.onStepModeEnabled?.();
    return this.stepMode();
  }

  next(): StepModeView {
    if (!this.deps.gate.isEnabled) throw new ControlError(409, "StepModeOff", 'step mode is off; turn it on with PUT /api/step-mode {"enabled": true}');
    const released = this.deps.gate.next();
    if (!released) throw new ControlError(409, "NothingPaused", "no step is waiting yet; start a flow (POST /tasks) or wait for the next step to arrive");
    return { ...this.stepMode(), released };
  }

  private functionSettings(): FunctionSettings {
    return { Timeout: Math.round(this.deps.trigger.functionTimeoutMs / 1000) };
  }

  private warnings(trigger: TriggerSettings, fn: FunctionSettings): string[] {
    return settingsWarnings(this.deps.visibilityTimeoutSeconds(), fn.Timeout, trigger.MaximumBatchingWindowInSeconds);
  }
}
