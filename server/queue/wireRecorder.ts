import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SqsCall } from "../../common/events.js";
import { BODY_PREVIEW_CHARS, cutText } from "../../common/bodyPreview.js";
import type { CallsInFlight } from "./callsInFlight.js";

/** Receipt handles (AWS's run to about 1,000 characters) are shown whole up to this; every other string is cut to a body's preview. */
const RECEIPT_HANDLE_CHARS = 1024;
const RECEIPT_HANDLE_FIELDS = new Set(["ReceiptHandle"]);
/** The fields that hold message bodies: a cut one is offered whole on request (`bodiesCut`). */
const BODY_FIELDS = new Set(["MessageBody", "Body"]);
const RECEIPTS_KEPT = 20_000;

/**
 * A copy of a request or response for display, long strings cut (a 1 MiB body becomes its
 * preview and its length): every call is kept in the event log and sent to every page. `cut` is
 * set when a message body was shortened, so the page offers the whole body. The call itself is untouched.
 */
function trimmed(value: unknown, cut: { body: boolean }, key = ""): unknown {
  if (typeof value === "string") {
    const limit = RECEIPT_HANDLE_FIELDS.has(key) ? RECEIPT_HANDLE_CHARS : BODY_PREVIEW_CHARS;
    if (value.length <= limit) return value;
    if (BODY_FIELDS.has(key)) cut.body = true;
    return `${cutText(value, limit)}… (${value.length} characters)`;
  }
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.map((item) => trimmed(item, cut, key));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "$metadata").map(([k, v]) => [k, trimmed(v, cut, k)]));
  return value;
}

/**
 * The wire inspector's record of one call: request and response copied for display with long
 * strings cut (`bodiesCut` when a message body was). `durationMs` in ms. The SDK's recorder below
 * and the embedded SQS's record of other clients' calls (server/backends/embeddedSqs.ts) both use it.
 */
export function callRecord(call: { caller: string; operation: string; input: unknown; response: unknown; error: SqsCall["error"]; durationMs: number; messageIds: string[] }): SqsCall {
  const cut = { body: false };
  const [request, response] = [trimmed(call.input, cut), trimmed(call.response, cut)];
  const { caller, operation, error, durationMs, messageIds } = call;
  return { caller, operation, target: `AmazonSQS.${operation}`, request, response, error, durationMs, messageIds, ...(cut.body ? { bodiesCut: true } : {}) };
}

/**
 * Told of each call: the record for display (bodies cut), and the call's own request and response
 * (whole bodies) for a listener that must read them, such as LocalStack mode's queue watch.
 */
export type OnSqsCall = (call: SqsCall, raw: { request: unknown; response: unknown }) => void;

export interface RecordOptions {
  /** The message of a receipt this client did not receive itself (the function's calls act on the trigger's receipts). */
  messageOfReceipt?: (receiptHandle: string) => string | undefined;
  /** Where this client's calls are counted while they wait for their answer (the API's, in embedded mode). */
  inFlight?: CallsInFlight;
}

/**
 * The wire inspector's source: an SDK middleware that records each call of one SQS client —
 * operation, request, response or error, duration — and which messages it concerned, so the
 * timeline can show the call behind each event. It observes; it never changes a call.
 * A call by a receipt this client did not receive is linked through `options.messageOfReceipt`.
 */
export function recordCalls(client: SQSClient, caller: string, onCall: OnSqsCall, options: RecordOptions = {}): void {
  const { messageOfReceipt = () => undefined, inFlight } = options;
  const receipts = new Map<string, string>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? "").replace(/Command$/, "");
      const input = args.input as Record<string, unknown>;
      const started = performance.now();
      const finish = (response: unknown, error: SqsCall["error"]) => {
        const durationMs = Math.round((performance.now() - started) * 10) / 10;
        onCall(callRecord({ caller, operation, input, response, error, durationMs, messageIds: messagesOf(input, response, receipts) }), { request: input, response });
      };
      const ticket = inFlight?.begin();
      try {
        const result = await next(args);
        finish(result.output, null);
        return result;
      } catch (error) {
        const raw = error as { name?: string; message?: string };
        if (raw.name !== "AbortError") finish(null, { code: raw.name ?? "Error", message: raw.message ?? String(error) });
        throw error;
      } finally {
        if (ticket !== undefined) inFlight?.end(ticket);
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
    return handles.flatMap((h) => {
      const id = typeof h === "string" ? (known.get(h) ?? messageOfReceipt(h)) : undefined;
      return id === undefined ? [] : [id];
    });
  }
}
