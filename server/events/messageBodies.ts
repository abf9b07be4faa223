import { z } from "zod";
import type { MessageBody } from "../../common/events.js";
import { ControlError } from "../control/errors.js";

/** SQS message ids are UUIDs; this also admits other backends' ids, and nothing that is not an id. */
const requestSchema = z.strictObject({ messageId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, "a message id: 1 to 128 letters, digits, '.', '_' or '-'") });

/** Where whole bodies come from: the backend's queues, read without receiving. */
export type BodySource = (messageId: string) => { queue: string; body: string } | undefined;

/**
 * `message:body`: the whole body of one message, for the page that shows a preview and was asked
 * for the rest. A read (followers may ask); the body comes from SQS's own copy, so it exists only
 * while the queue or its DLQ holds the message, as on AWS.
 * Errors: ControlError 400 InvalidMessageId for a request that is not `{"messageId": "…"}`;
 * 404 MessageNotFound when neither queue holds it.
 */
export function messageBodyReader(source: BodySource): (request: unknown) => MessageBody {
  return (request) => {
    const parsed = requestSchema.safeParse(request);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ");
      throw new ControlError(400, "InvalidMessageId", `send {"messageId": "…"}: ${detail}`);
    }
    const { messageId } = parsed.data;
    const found = source(messageId);
    if (!found) throw new ControlError(404, "MessageNotFound", `no queue holds message ${messageId} now: SQS keeps a body only until the message is deleted, so only its preview is left`);
    return { messageId, queue: found.queue, body: found.body, bodyLength: found.body.length };
  };
}
