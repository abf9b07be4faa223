import { errors, SqsError } from "../errors.js";

/** A request's parameters as both protocols deliver them: the JSON shape, values possibly strings (query). */
export type Input = Record<string, unknown>;

/** A required string parameter; MissingParameter when absent. */
export function requireString(input: Input, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === "") throw errors.missingParameter(name);
  if (typeof value !== "string") throw errors.invalidParameterValue(`Value for parameter ${name} is invalid.`);
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw errors.invalidParameterValue(`Value for parameter ${name} is invalid.`);
  return value;
}

/**
 * An optional integer parameter within [min, max]; `reason` is AWS's wording for the range, e.g.
 * "Must be between 1 and 10, if provided.". The query protocol sends numbers as strings.
 */
export function optionalInteger(input: Input, name: string, min: number, max: number, reason: string): number | undefined {
  const raw = input[name];
  if (raw === undefined || raw === null) return undefined;
  // Digits only, not trimmed: the query protocol's " 5" is refused as the query parser refuses it.
  const value = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw errors.invalidValue(raw, name, reason);
  }
  return value;
}

/** A list parameter (`Entries`, `AttributeNames`, …); absent is an empty list. */
export function optionalList(input: Input, name: string): unknown[] {
  const value = input[name];
  // The query protocol sends an empty list as `Name=` (an empty string).
  if (value === undefined || value === null || value === "") return [];
  if (!Array.isArray(value)) throw errors.invalidParameterValue(`Value for parameter ${name} is invalid.`);
  return value;
}

/** A map parameter (`Attributes`, `Tags`, `MessageAttributes`); absent is an empty map. */
export function optionalMap(input: Input, name: string): Record<string, unknown> {
  const value = input[name];
  if (value === undefined || value === null || value === "") return Object.create(null) as Record<string, unknown>;
  if (typeof value !== "object" || Array.isArray(value)) throw errors.invalidParameterValue(`Value for parameter ${name} is invalid.`);
  return value as Record<string, unknown>;
}

export const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The checks every *Batch action makes on its entries, in AWS's order: none, more than ten, an id
 * that is malformed, an id used twice. Source: SendMessageBatch API reference, Errors.
 */
export function checkBatchEntries(input: Input, entryName: string): Input[] {
  const entries = optionalList(input, "Entries");
  if (entries.length === 0) {
    throw new SqsError("AWS.SimpleQueueService.EmptyBatchRequest", `There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > 10) {
    throw new SqsError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = (entry as Input | null)?.Id;
    if (typeof id !== "string" || !BATCH_ENTRY_ID.test(id)) {
      throw new SqsError(
        "AWS.SimpleQueueService.InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
      );
    }
    if (seen.has(id)) throw new SqsError("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries as Input[];
}

/** One failed entry of a batch reply. */
export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** Runs `each` on every entry; an SqsError fails only that entry, as AWS does. */
export function eachEntry<T>(entries: Input[], each: (entry: Input) => T): { Successful: T[]; Failed?: BatchFailure[] } {
  const Successful: T[] = [];
  const Failed: BatchFailure[] = [];
  for (const entry of entries) {
    try {
      Successful.push(each(entry));
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      Failed.push({ Id: String(entry.Id), SenderFault: error.fault === "Sender", Code: error.code, Message: error.message });
    }
  }
  // AWS's JSON reply leaves out an empty Failed list.
  return Failed.length > 0 ? { Successful, Failed } : { Successful };
}
