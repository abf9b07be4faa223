/** What the trigger does with a batch after the handler returned (aws-semantics.md §2). */
export type BatchOutcome =
  | { kind: "success" }
  | { kind: "partial"; failedMessageIds: string[] }
  | { kind: "failure"; reason: string };

const failure = (reason: string): BatchOutcome => ({ kind: "failure", reason });

/**
 * Read a handler's return value as Lambda does. Without ReportBatchItemFailures the value is
 * ignored. With it: null, `{}` or an empty/null list means every message succeeded; a value that
 * is not JSON, a key other than `batchItemFailures`, an empty or unknown `itemIdentifier` fails
 * the whole batch (AWS-validated behaviour).
 */
export function parseBatchResponse(response: unknown, batchMessageIds: readonly string[], reportBatchItemFailures: boolean): BatchOutcome {
  if (!reportBatchItemFailures || response === undefined || response === null) return { kind: "success" };
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(response) ?? "null");
  } catch (error) {
    return failure(`the response is not valid JSON: ${String(error)}`);
  }
  if (json === null) return { kind: "success" };
  if (typeof json !== "object" || Array.isArray(json)) return failure("the response is not a JSON object");
  const keys = Object.keys(json);
  if (keys.length === 0) return { kind: "success" };
  const unexpected = keys.find((key) => key !== "batchItemFailures");
  if (unexpected !== undefined) return failure(`unexpected key "${unexpected}" in the response`);
  const items = (json as { batchItemFailures: unknown }).batchItemFailures;
  if (items === null) return { kind: "success" };
  if (!Array.isArray(items)) return failure("batchItemFailures is not a list");
  const inBatch = new Set(batchMessageIds);
  const failed = new Set<string>();
  for (const item of items) {
    const id = typeof item === "object" && item !== null ? (item as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof id !== "string" || id === "") return failure("a batchItemFailures entry has no itemIdentifier");
    if (!inBatch.has(id)) return failure(`itemIdentifier "${id}" is not a message of this batch`);
    failed.add(id);
  }
  return failed.size === 0 ? { kind: "success" } : { kind: "partial", failedMessageIds: [...failed] };
}
