import type { FunctionSettings, TriggerSettings } from "../../common/events.js";
import { ControlError } from "../control/errors.js";
import { parseFilterCriteria } from "./eventFilter.js";
import { MAXIMUM_RESERVED, RESERVED_TOO_HIGH } from "./functionConcurrency.js";

export const DEFAULT_TRIGGER_SETTINGS: TriggerSettings = {
  BatchSize: 10,
  MaximumBatchingWindowInSeconds: 0,
  FunctionResponseTypes: ["ReportBatchItemFailures"],
  ScalingConfig: {},
  Enabled: true,
};

const SETTABLE = ["BatchSize", "MaximumBatchingWindowInSeconds", "FunctionResponseTypes", "ScalingConfig", "Enabled", "FilterCriteria"];

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

/**
 * Lambda's refusals for a FIFO source queue (with-sqs.html, "FIFO queues": BatchSize at most 10, no
 * batching window). The window's wording is AWS's as CloudFormation reports it; the batch size's
 * is ours in the same style (no recording of AWS's text found).
 */
export const FIFO_NO_WINDOW = "Batching window is not supported for FIFO queues";
export const FIFO_BATCH_SIZE = "Batch size for FIFO queues must be between 1 and 10";

/**
 * Apply an UpdateEventSourceMapping-style patch; invalid input throws ControlError (400,
 * ValidationException or InvalidParameterValueException) and changes nothing. `fifo`: the
 * mapping's queue is a FIFO queue, whose extra rules apply.
 */
export function updateTriggerSettings(current: TriggerSettings, patch: unknown, { fifo = false } = {}): TriggerSettings {
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
  if ("FilterCriteria" in patch) {
    // `{}` or no filters remove filtering, as UpdateEventSourceMapping does.
    const criteria = parseFilterCriteria(patch.FilterCriteria);
    if (criteria) next.FilterCriteria = criteria;
    else delete next.FilterCriteria;
  }
  if (fifo && next.BatchSize > 10) throw new ControlError(400, "InvalidParameterValueException", FIFO_BATCH_SIZE);
  if (fifo && next.MaximumBatchingWindowInSeconds > 0) throw new ControlError(400, "InvalidParameterValueException", FIFO_NO_WINDOW);
  if (next.BatchSize > 10 && next.MaximumBatchingWindowInSeconds === 0) {
    throw new ControlError(400, "InvalidParameterValueException", WINDOW_REQUIRED);
  }
  return next;
}

/**
 * Apply a function-settings patch: `Timeout` (UpdateFunctionConfiguration, 1–900 s) and
 * `ReservedConcurrentExecutions` (PutFunctionConcurrency: 0 up to the default account's 900 that
 * may be reserved; null removes it, as DeleteFunctionConcurrency does). Invalid input throws
 * ControlError (400) and changes nothing.
 */
export function updateFunctionSettings(current: FunctionSettings, patch: unknown): FunctionSettings {
  if (!isRecord(patch)) throw new ControlError(400, "ValidationException", "the request body must be a JSON object of function settings");
  const unknown = Object.keys(patch).filter((key) => key !== "Timeout" && key !== "ReservedConcurrentExecutions");
  if (unknown.length > 0) throw new ControlError(400, "ValidationException", `unknown setting(s): ${unknown.join(", ")}; settable: Timeout, ReservedConcurrentExecutions`);
  const violations = new Violations();
  const timeout = "Timeout" in patch ? violations.integer(patch.Timeout, "timeout", 1, 900) : current.Timeout;
  let reserved = current.ReservedConcurrentExecutions ?? null;
  if ("ReservedConcurrentExecutions" in patch) {
    const value = patch.ReservedConcurrentExecutions;
    if (value === null) reserved = null;
    else if (typeof value === "number" && Number.isInteger(value) && value > MAXIMUM_RESERVED) throw new ControlError(400, "InvalidParameterValueException", RESERVED_TOO_HIGH);
    else reserved = violations.integer(value, "reservedConcurrentExecutions", 0, MAXIMUM_RESERVED) ?? null;
  }
  violations.throwIfAny();
  return { Timeout: timeout ?? current.Timeout, ReservedConcurrentExecutions: reserved };
}

/** Lambda refuses to create an SQS trigger for a function whose timeout exceeds the queue's visibility timeout. */
export function visibilityRuleViolation(visibilityTimeoutSeconds: number, functionTimeoutSeconds: number): string | undefined {
  return functionTimeoutSeconds > visibilityTimeoutSeconds
    ? `Queue visibility timeout: ${visibilityTimeoutSeconds} seconds is less than Function timeout: ${functionTimeoutSeconds} seconds`
    : undefined;
}

/** What AWS's guidance would flag about these settings; shown, never enforced. */
export function settingsWarnings(
  visibilityTimeoutSeconds: number,
  functionTimeoutSeconds: number,
  windowSeconds: number,
  concurrency: { reserved: number | null; maximumConcurrency: number | undefined } = { reserved: null, maximumConcurrency: undefined },
): string[] {
  const warnings: string[] = [];
  const violation = visibilityRuleViolation(visibilityTimeoutSeconds, functionTimeoutSeconds);
  if (violation) warnings.push(`Lambda would refuse to create this trigger now (${violation}); the running one keeps working, as on AWS.`);
  const recommended = 6 * functionTimeoutSeconds + windowSeconds;
  if (visibilityTimeoutSeconds < recommended) {
    warnings.push(
      `The queue's visibility timeout (${visibilityTimeoutSeconds} s) is below AWS's recommended 6 × function timeout + batching window = ${recommended} s: ` +
        // AWS's reason (services-sqs-configure.html), not "the batch outlives the timeout": that
        // would need only a little more than 1 ×, and the refusal above covers it.
        "AWS's reason is room for Lambda to retry a throttled batch before its messages become visible again, each return counting a receive toward maxReceiveCount.",
    );
  }
  const { reserved, maximumConcurrency } = concurrency;
  if (reserved !== null && (maximumConcurrency === undefined || maximumConcurrency > reserved)) {
    const wants = maximumConcurrency === undefined ? "this trigger has no MaximumConcurrency, so it may run up to 1,000 batches at once" : `this trigger's MaximumConcurrency is ${maximumConcurrency}`;
    warnings.push(
      `The function's reserved concurrency (${reserved}) is below what its SQS trigger may run (${wants}): Lambda throttles the batches past it, ` +
        "and their messages come back after the visibility timeout with a receive counted. AWS advises reserved concurrency at least the sum of MaximumConcurrency over the function's SQS triggers.",
    );
  }
  return warnings;
}
