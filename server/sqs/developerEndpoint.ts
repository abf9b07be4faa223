import { createHash } from "node:crypto";
import type { QueueView } from "../../common/events.js";

/** The receipt handle LocalStack puts on listed messages: nothing can be deleted with it. */
const BACKDOOR_RECEIPT = "SQS/BACKDOOR/ACCESS";

const truthy = (value: unknown) => ["true", "1"].includes(String(value ?? "").toLowerCase());

interface Route {
  query: Record<string, unknown>;
  body: unknown;
}

/**
 * LocalStack's developer endpoint, `/_aws/sqs/messages?QueueUrl=…&ShowInvisible=true&ShowDelayed=true`,
 * on the embedded SQS too: it lists a queue's messages WITHOUT receiving them, answering in
 * ReceiveMessage's JSON shape. The same curl and the same watcher then work in both modes.
 */
export function listMessages(route: Route, inspect: (queueUrl: string) => QueueView | undefined): { status: number; body: unknown } {
  const body = (typeof route.body === "object" && route.body !== null ? route.body : {}) as Record<string, unknown>;
  const queueUrl = String(route.query.QueueUrl ?? body.QueueUrl ?? "");
  const view = queueUrl ? inspect(queueUrl) : undefined;
  if (!view) {
    return { status: 400, body: { __type: "com.amazonaws.sqs#QueueDoesNotExist", message: `The specified queue does not exist: ${queueUrl || "(no QueueUrl given)"}` } };
  }
  const showInvisible = truthy(route.query.ShowInvisible ?? body.ShowInvisible);
  const showDelayed = truthy(route.query.ShowDelayed ?? body.ShowDelayed);
  const messages = view.messages
    .filter((m) => m.state === "visible" || (m.state === "in-flight" && showInvisible) || (m.state === "delayed" && showDelayed))
    .map((m) => ({
      MessageId: m.messageId,
      ReceiptHandle: BACKDOOR_RECEIPT,
      MD5OfBody: createHash("md5").update(m.body).digest("hex"),
      Body: m.body,
      Attributes: {
        SentTimestamp: String(m.sentAt),
        ApproximateReceiveCount: String(m.receiveCount),
        // LocalStack lists every attribute (All): a FIFO message's group is among them.
        ...(m.groupId !== undefined ? { MessageGroupId: m.groupId } : {}),
        ...(showInvisible ? { IsVisible: String(m.state !== "in-flight") } : {}),
        ...(showDelayed ? { IsDelayed: String(m.state === "delayed") } : {}),
      },
    }));
  return { status: 200, body: { Messages: messages } };
}
