/**
 * What the trigger does with a batch after the handler returned (aws-semantics.md §2). A success
 * may carry a `note`: a response that looked like a partial batch response but is read as total
 * success (the silent loss a learner should see happen).
 */
export type BatchOutcome =
  | { kind: "success"; note?: string }
  | { kind: "partial"; failedMessageIds: string[] }
  | { kind: "failure"; reason: string };

const failure = (reason: string): BatchOutcome => ({ kind: "failure", reason });

/**
 * Read a handler's return value as Lambda does. Without ReportBatchItemFailures the value is
 * ignored. With it: null, `{}`, an empty or null list, and a response WITHOUT a `batchItemFailures`
 * key (a capitalised `BatchItemFailures` too) mean every message succeeded, so the whole batch is
 * deleted; other keys beside a valid list are ignored. A value that is not JSON or not an object,
 * a list that is not a list, and an empty, missing or unknown `itemIdentifier` fail the whole batch.
 * Source: services-sqs-errorhandling.html; AWS-validated in LocalStack's SQS event source mapping
 * snapshots; awsdocs/aws-lambda-developer-guide#320 for the missing key.
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
  if (!Object.hasOwn(json, "batchItemFailures")) {
    // Said only when the handler did list failures (under another key), and without naming the
    // key: lab 3 asks the learner to find it, and a note on every batch gave the answer away.
    const listed = Object.values(json).reduce((n: number, value) => n + (Array.isArray(value) ? value.length : 0), 0);
    return listed === 0 ? { kind: "success" } : { kind: "success", note: `the handler listed ${listed} failed record(s), yet Lambda read no failures in its response: the whole batch is deleted, those records too` };
  }
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
