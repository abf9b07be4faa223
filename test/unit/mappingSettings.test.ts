import { describe, expect, it } from "vitest";
import { ControlError } from "../../server/control/errors.js";
import { DEFAULT_TRIGGER_SETTINGS, settingsWarnings, updateFunctionSettings, updateTriggerSettings, visibilityRuleViolation, WINDOW_REQUIRED } from "../../server/trigger/mappingSettings.js";

const refuse = (patch: unknown) => {
  try {
    updateTriggerSettings(DEFAULT_TRIGGER_SETTINGS, patch);
  } catch (error) {
    return error as ControlError;
  }
  throw new Error("expected a refusal");
};

describe("trigger settings (Create/UpdateEventSourceMapping rules)", () => {
  it("defaults to BatchSize 10, no window, ReportBatchItemFailures, no concurrency cap, enabled", () => {
    expect(DEFAULT_TRIGGER_SETTINGS).toEqual({ BatchSize: 10, MaximumBatchingWindowInSeconds: 0, FunctionResponseTypes: ["ReportBatchItemFailures"], ScalingConfig: {}, Enabled: true });
  });

  it("accepts BatchSize 1 to 10,000 (above 10 with a window)", () => {
    expect(updateTriggerSettings(DEFAULT_TRIGGER_SETTINGS, { BatchSize: 1 }).BatchSize).toBe(1);
    expect(updateTriggerSettings(DEFAULT_TRIGGER_SETTINGS, { BatchSize: 10_000, MaximumBatchingWindowInSeconds: 1 }).BatchSize).toBe(10_000);
  });

  it("refuses BatchSize above 10 without a batching window, with Lambda's message", () => {
    const error = refuse({ BatchSize: 100 });
    expect(error).toMatchObject({ status: 400, code: "InvalidParameterValueException", message: WINDOW_REQUIRED });
    expect(WINDOW_REQUIRED).toBe("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
  });

  it("refuses removing the window while BatchSize is above 10", () => {
    const wide = updateTriggerSettings(DEFAULT_TRIGGER_SETTINGS, { BatchSize: 50, MaximumBatchingWindowInSeconds: 2 });
    expect(() => updateTriggerSettings(wide, { MaximumBatchingWindowInSeconds: 0 })).toThrow(WINDOW_REQUIRED);
  });

  it.each([
    [{ BatchSize: 0 }, "Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    [{ BatchSize: 10_001, MaximumBatchingWindowInSeconds: 1 }, "Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000"],
    [{ BatchSize: 2.5 }, "Value '2.5' at 'batchSize' failed to satisfy constraint: Member must be an integer"],
    [{ MaximumBatchingWindowInSeconds: 301 }, "Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300"],
    [{ ScalingConfig: { MaximumConcurrency: 1 } }, "Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2"],
    [{ ScalingConfig: { MaximumConcurrency: 1001 } }, "Value '1001' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value less than or equal to 1000"],
    [{ FunctionResponseTypes: ["Partial"] }, "Member must satisfy enum value set: [ReportBatchItemFailures]"],
    [{ Enabled: "yes" }, "at 'enabled' failed to satisfy constraint: Member must be a boolean"],
  ])("refuses %j with a ValidationException", (patch, message) => {
    const error = refuse(patch);
    expect(error.code).toBe("ValidationException");
    expect(error.message).toContain(message);
  });

  it("counts every violation in one message, as AWS does", () => {
    expect(refuse({ BatchSize: 0, MaximumBatchingWindowInSeconds: -1 }).message).toMatch(/^2 validation errors detected: .*batchSize.*; .*maximumBatchingWindowInSeconds/);
  });

  it("refuses unknown settings and bodies that are not objects", () => {
    expect(refuse({ Batchsize: 5 }).message).toMatch(/unknown setting\(s\): Batchsize/);
    expect(refuse([1]).code).toBe("ValidationException");
  });

  it("clears MaximumConcurrency with an empty ScalingConfig and turns partial responses off with an empty list", () => {
    const capped = updateTriggerSettings(DEFAULT_TRIGGER_SETTINGS, { ScalingConfig: { MaximumConcurrency: 3 }, FunctionResponseTypes: [] });
    expect(capped).toMatchObject({ ScalingConfig: { MaximumConcurrency: 3 }, FunctionResponseTypes: [] });
    expect(updateTriggerSettings(capped, { ScalingConfig: {} }).ScalingConfig).toEqual({});
  });

  it("leaves the current settings untouched when refusing", () => {
    const before = structuredClone(DEFAULT_TRIGGER_SETTINGS);
    refuse({ BatchSize: 5, ScalingConfig: { MaximumConcurrency: 0 } });
    expect(DEFAULT_TRIGGER_SETTINGS).toEqual(before);
  });
});

describe("function settings and the visibility-timeout rules", () => {
  it("accepts a Timeout of 1 to 900 seconds", () => {
    expect(updateFunctionSettings({ Timeout: 3 }, { Timeout: 900 })).toEqual({ Timeout: 900, ReservedConcurrentExecutions: null });
    expect(() => updateFunctionSettings({ Timeout: 3 }, { Timeout: 0 })).toThrow(/greater than or equal to 1/);
  });

  it("accepts ReservedConcurrentExecutions of 0 to 900, and null to remove it, keeping the timeout", () => {
    expect(updateFunctionSettings({ Timeout: 3 }, { ReservedConcurrentExecutions: 0 })).toEqual({ Timeout: 3, ReservedConcurrentExecutions: 0 });
    expect(updateFunctionSettings({ Timeout: 3, ReservedConcurrentExecutions: 5 }, { ReservedConcurrentExecutions: null })).toEqual({ Timeout: 3, ReservedConcurrentExecutions: null });
    expect(() => updateFunctionSettings({ Timeout: 3 }, { ReservedConcurrentExecutions: 901 })).toThrow(/below its minimum value of \[100\]/);
  });

  it("warns when reserved concurrency is below the trigger's MaximumConcurrency, or set without one", () => {
    const lowered = { reserved: 1, maximumConcurrency: 2 };
    expect(settingsWarnings(20, 3, 2, lowered)).toEqual([expect.stringContaining("reserved concurrency (1) is below")]);
    expect(settingsWarnings(20, 3, 2, { reserved: 5, maximumConcurrency: undefined })).toEqual([expect.stringContaining("up to 1,000 batches")]);
    expect(settingsWarnings(20, 3, 2, { reserved: 2, maximumConcurrency: 2 })).toEqual([]);
  });

  it("words the create-time refusal as Lambda does", () => {
    expect(visibilityRuleViolation(60, 120)).toBe("Queue visibility timeout: 60 seconds is less than Function timeout: 120 seconds");
    expect(visibilityRuleViolation(5, 5)).toBeUndefined();
  });

  it("warns when visibility is below 6 × timeout + window, and not when it is not", () => {
    expect(settingsWarnings(5, 3, 0)).toEqual([expect.stringContaining("6 × function timeout + batching window = 18 s")]);
    expect(settingsWarnings(20, 3, 2)).toEqual([]);
    expect(settingsWarnings(5, 10, 0)[0]).toMatch(/would refuse to create this trigger now \(Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds\)/);
  });

  it("gives AWS's reason for the 6 × rule, room to retry throttled batches, not the batch outliving the timeout (issue 19, item 5)", () => {
    const [warning] = settingsWarnings(5, 3, 0);
    expect(warning).toMatch(/retry a throttled batch/);
    expect(warning).not.toMatch(/still being processed|processed twice/);
  });
});
