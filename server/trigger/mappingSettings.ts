import type { FunctionSettings, TriggerSettings } from "../../common/events.js";
import { ControlError } from "../control/errors.js";

export const DEFAULT_TRIGGER_SETTINGS: TriggerSettings = {
  BatchSize: 10,
  MaximumBatchingWindowInSeconds: 0,
  FunctionResponseTypes: ["ReportBatchItemFailures"],
  ScalingConfig: {},
  Enabled: true,
};

const SETTABLE = ["BatchSize", "MaximumBatchingWindowInSeconds", "FunctionResponseTypes", "ScalingConfig", "Enabled"];

/** Lambda's own wording for a cross-field rule it enforces on Create/UpdateEventSourceMapping. */
export const WINDOW_REQUIRED = "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Collects constraint failures the way AWS reports them: "N validation error(s) detected: …; …". */
class Violations {
  private readonly items: string[] = [];

  integer(value: unknown, at: string, min: number, max: number): number | undefined {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.items.push(`Value '${JSON.stringify(value)}' at '${at}' failed to satisfy constraint: Member must be an integer`);
      return undefined;
    }
    if (value < min) this.items.push(`Value '${value}' at '${at}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    else if (value > max) this.items.push(`Value '${value}' at '${at}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    else return value;
    return undefined;
  }

  add(message: string): void {
    this.items.push(message);
  }

  throwIfAny(): void {
    if (this.items.length === 0) return;
    const count = `${this.items.length} validation error${this.items.length > 1 ? "s" : ""} detected`;
    throw new ControlError(400, "ValidationException", `${count}: ${this.items.join("; ")}`);
  }
}

/** Apply an UpdateEventSourceMapping-style patch; invalid input throws and changes nothing. */
export function updateTriggerSettings(current: TriggerSettings, patch: unknown): TriggerSettings {
  if (!isRecord(patch)) throw new ControlError(400, "ValidationException", "the request body must be a JSON object of trigger settings");
  const unknown = Object.keys(patch).filter((key) => !SETTABLE.includes(key));
  if (unknown.length > 0) {
    throw new ControlError(400, "ValidationException", `unknown setting(s): ${unknown.join(", ")}; settable: ${SETTABLE.join(", ")}`);
  }
  const next: TriggerSettings = { ...current, ScalingConfig: { ...current.ScalingConfig } };
  const violations = new Violations();
  if ("BatchSize" in patch) next.BatchSize = violations.integer(patch.BatchSize, "batchSize", 1, 10_000) ?? next.BatchSize;
  if ("MaximumBatchingWindowInSeconds" in patch) {
    next.MaximumBatchingWindowInSeconds = violations.integer(patch.MaximumBatchingWindowInSeconds, "maximumBatchingWindowInSeconds", 0, 300) ?? next.MaximumBatchingWindowInSeconds;
  }
  if ("FunctionResponseTypes" in patch) {
    const types = patch.FunctionResponseTypes;
    if (!Array.isArray(types) || types.some((t) => t !== "ReportBatchItemFailures")) {
      violations.add(`Value '${JSON.stringify(types)}' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]`);
    } else next.FunctionResponseTypes = types.length > 0 ? ["ReportBatchItemFailures"] : [];
  }
  if ("ScalingConfig" in patch) {
    const scaling = patch.ScalingConfig;
    if (!isRecord(scaling) || Object.keys(scaling).some((k) => k !== "MaximumConcurrency")) {
      violations.add("ScalingConfig must be an object with at most MaximumConcurrency");
    } else if (scaling.MaximumConcurrency === undefined || scaling.MaximumConcurrency === null) {
      next.ScalingConfig = {};
    } else {
      const maximum = violations.integer(scaling.MaximumConcurrency, "scalingConfig.maximumConcurrency", 2, 1000);
      if (maximum !== undefined) next.ScalingConfig = { MaximumConcurrency: maximum };
    }
  }
  if ("Enabled" in patch) {
    if (typeof patch.Enabled !== "boolean") violations.add(`Value '${JSON.stringify(patch.Enabled)}' at 'enabled' failed to satisfy constraint: Member must be a boolean`);
    else next.Enabled = patch.Enabled;
  }
  violations.throwIfAny();
  if (next.BatchSize > 10 && next.MaximumBatchingWindowInSeconds === 0) {
    throw new ControlError(400, "InvalidParameterValueException", WINDOW_REQUIRED);
  }
  return next;
}

export function updateFunctionSettings(current: FunctionSettings, patch: unknown): FunctionSettings {
  if (!isRecord(patch)) throw new ControlError(400, "ValidationException", "the request body must be a JSON object of function settings");
  const unknown = Object.keys(patch).filter((key) => key !== "Timeout");
  if (unknown.length > 0) throw new ControlError(400, "ValidationException", `unknown setting(s): ${unknown.join(", ")}; settable: Timeout`);
  const violations = new Violations();
  const timeout = "Timeout" in patch ? violations.integer(patch.Timeout, "timeout", 1, 900) : current.Timeout;
  violations.throwIfAny();
  return { Timeout: timeout ?? current.Timeout };
}

/** Lambda refuses to create an SQS trigger for a function whose timeout exceeds the queue's visibility timeout. */
export function visibilityRuleViolation(visibilityTimeoutSeconds: number, functionTimeoutSeconds: number): string | undefined {
  return functionTimeoutSeconds > visibilityTimeoutSeconds
    ? `Queue visibility timeout: ${visibilityTimeoutSeconds} seconds is less than Function timeout: ${functionTimeoutSeconds} seconds`
    : undefined;
}

/** What AWS's guidance would flag about these settings; shown, never enforced. */
export function settingsWarnings(visibilityTimeoutSeconds: number, functionTimeoutSeconds: number, windowSeconds: number): string[] {
  const warnings: string[] = [];
  const violation = visibilityRuleViolation(visibilityTimeoutSeconds, functionTimeoutSeconds);
  if (violation) warnings.push(`Lambda would refuse to create this trigger now (${violation}); the running one keeps working, as on AWS.`);
  const recommended = 6 * functionTimeoutSeconds + windowSeconds;
  if (visibilityTimeoutSeconds < recommended) {
    warnings.push(
      `The queue's visibility timeout (${visibilityTimeoutSeconds} s) is below AWS's recommended 6 × function timeout + batching window = ${recommended} s: ` +
        "a message can become visible again while its batch is still being processed, and be processed twice.",
    );
  }
  return warnings;
}
