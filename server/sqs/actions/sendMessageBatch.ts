import { SqsError } from "../errors.js";
import { queueOf, type Action } from "./context.js";
import { checkFifoEntry, checkMessage } from "./messageInput.js";
import { sentReply } from "./sendMessage.js";
import { checkBatchEntries, eachEntry, type Input } from "./validate.js";

/**
 * SendMessageBatch: up to ten messages; an entry that fails its checks fails alone. All entries
 * together may not exceed 1 MiB (BatchRequestTooLong). On a FIFO queue an entry without a group
 * or deduplication id fails the whole request, as on AWS. Source: SendMessageBatch API reference.
 */
export const sendMessageBatch: Action = async (input, context) => {
  const queue = queueOf(input, context);
  const entries = checkBatchEntries(input, "SendMessageBatchRequestEntry");
  if (queue.fifo) for (const entry of entries) checkFifoEntry(entry, queue, true);
  let total = 0;
  // Each entry checked once: an invalid entry fails on its own below; only valid ones count toward the batch size.
  const checked = new Map<Input, ReturnType<typeof checkMessage> | { error: unknown }>();
  for (const entry of entries) {
    try {
      const valid = checkMessage(entry, queue, context, true);
      checked.set(entry, valid);
      total += valid.bytes;
    } catch (error) {
      checked.set(entry, { error });
    }
  }
  if (total > 1_048_576) {
    throw new SqsError("AWS.SimpleQueueService.BatchRequestTooLong", `Batch requests cannot be longer than 1048576 bytes. You have sent ${total} bytes.`);
  }
  return eachEntry(entries, (entry) => {
    const check = checked.get(entry)!;
    if ("error" in check) throw check.error;
    const { message } = check;
    return { Id: String(entry.Id), ...sentReply(queue.send(message), message) };
  });
};
