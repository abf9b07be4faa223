import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SqsCall } from "../../common/events.js";

const MAX_STRING = 2048;
const RECEIPTS_KEPT = 20_000;

/** Long strings (a 1 MB body) are cut for display; the call itself is untouched. */
function trimmed(value: unknown): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.map(trimmed);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "$metadata").map(([k, v]) => [k, trimmed(v)]));
  return value;
}

/**
 * The wire inspector's source: an SDK middleware that records each call of one SQS client —
 * operation, request, response or error, duration — and which messages it concerned, so the
 * timeline can show the call behind each event. It observes; it never changes a call.
 */
export function recordCalls(client: SQSClient, caller: string, onCall: (call: SqsCall) => void): void {
  const receipts = new Map<string, string>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? "").replace(/Command$/, "");
      const input = args.input as Record<string, unknown>;
      const started = performance.now();
      const finish = (response: unknown, error: SqsCall["error"]) =>
        onCall({ caller, operation, target: `AmazonSQS.${operation}`, request: trimmed(input), response: trimmed(response), error, durationMs: Math.round((performance.now() - started) * 10) / 10, messageIds: messagesOf(input, response, receipts) });
      try {
        const result = await next(args);
        finish(result.output, null);
        return result;
      } catch (error) {
        const raw = error as { name?: string; message?: string };
        if (raw.name !== "AbortError") finish(null, { code: raw.name ?? "Error", message: raw.message ?? String(error) });
        throw error;
      }
    },
    { step: "initialize", name: "queueFlowWireRecorder" },
  );
  // Receipt handles only say which message they belong to at receive time: remember them (bounded).
  function messagesOf(input: Record<string, unknown>, output: unknown, known: Map<string, string>): string[] {
    const out = (output ?? {}) as Record<string, unknown>;
    if (typeof out.MessageId === "string") return [out.MessageId];
    if (Array.isArray(out.Messages)) {
      const messages = out.Messages as { MessageId?: string; ReceiptHandle?: string }[];
      for (const m of messages) if (m.ReceiptHandle && m.MessageId) known.set(m.ReceiptHandle, m.MessageId);
      while (known.size > RECEIPTS_KEPT) known.delete(known.keys().next().value as string);
      return messages.map((m) => m.MessageId ?? "");
    }
    if (Array.isArray(out.Successful) && out.Successful.some((s: { MessageId?: string }) => s.MessageId)) return (out.Successful as { MessageId: string }[]).map((s) => s.MessageId);
    const handles = Array.isArray(input.Entries) ? (input.Entries as { ReceiptHandle?: string }[]).map((e) => e.ReceiptHandle) : [input.ReceiptHandle];
    return handles.flatMap((h) => (typeof h === "string" && known.has(h) ? [known.get(h) as string] : []));
  }
}
