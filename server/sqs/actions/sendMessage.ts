import { md5OfAttributes, md5OfBody } from "../model/md5.js";
import type { Message, NewMessage } from "../model/message.js";
import { queueOf, type Action } from "./context.js";
import { checkMessage } from "./messageInput.js";

/**
 * The reply fields of a sent message, shared with SendMessageBatch. The digests are of the request
 * that was sent: a FIFO duplicate gets the first message's MessageId and SequenceNumber, but AWS
 * recomputes the MD5s from the duplicate's own body and attributes, so the SDK's check of them
 * passes (floci-io/floci#776 describes AWS doing so).
 */
export function sentReply(message: Message, request: NewMessage): Record<string, string> {
  // The message stored from this very request (not a duplicate) already holds these digests.
  const stored = message.body === request.body && message.attributes === request.attributes && message.systemAttributes === request.systemAttributes;
  const attributes = stored ? message.md5OfAttributes : md5OfAttributes(request.attributes ?? {});
  const systemAttributes = stored ? message.md5OfSystemAttributes : md5OfAttributes(request.systemAttributes ?? {});
  return {
    MessageId: message.id,
    MD5OfMessageBody: stored ? message.md5OfBody : md5OfBody(request.body),
    ...(attributes ? { MD5OfMessageAttributes: attributes } : {}),
    ...(systemAttributes ? { MD5OfMessageSystemAttributes: systemAttributes } : {}),
    ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
  };
}

/** SendMessage. Source: SendMessage API reference. */
export const sendMessage: Action = (input, context) => {
  const queue = queueOf(input, context);
  const { message } = checkMessage(input, queue, context);
  return sentReply(queue.send(message), message);
};
