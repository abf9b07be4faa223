import type { TriggerQueue } from "./triggerQueue.js";

/** A received message the trigger still holds: its receipt is what extends its visibility. */
export interface HeldMessage {
  messageId: string;
  receiptHandle: string;
}

/** The shortest time between two heartbeats, so a tiny visibility timeout does not flood SQS. */
const MIN_INTERVAL_MS = 250;

/**
 * Keep `messages` in flight while a step-mode pause holds them: at once, then every third of the
 * visibility timeout, set their visibility back to the full timeout with
 * ChangeMessageVisibilityBatch — what a long-running SQS consumer does (a heartbeat), and what the
 * wire inspector shows. SQS's clock never stops; this only keeps moving the deadline ahead of it.
 * `visibilityTimeoutSeconds` is read at every beat: the queue's timeout as SQS holds it now, so one
 * the learner changed from the terminal (SetQueueAttributes) is the one kept, never the start-up
 * setting (which, being shorter, would let the message come back early once the step is released).
 * Returns how to stop. Errors (a receipt that already expired) go to `onError`; beating goes on
 * for the others. A timeout of 0 s cannot be kept (SQS makes such a message visible again the
 * moment it is received): no call is sent while it is 0.
 * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 */
export function keepInFlight(
  queue: Pick<TriggerQueue, "changeVisibilityBatch">,
  visibilityTimeoutSeconds: () => number,
  messages: HeldMessage[],
  onError: (error: unknown) => void,
): () => void {
  if (messages.length === 0) return () => {};
  const entries = messages.map((m, i) => ({ id: String(i), receiptHandle: m.receiptHandle }));
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const beat = () => {
    if (stopped) return;
    const seconds = visibilityTimeoutSeconds();
    if (seconds > 0) {
      queue.changeVisibilityBatch(entries, seconds).then((refused) => {
        if (refused.length > 0 && !stopped) onError(new Error(`ChangeMessageVisibility refused ${refused.length} message(s): their receipts expired`));
      }, onError);
    }
    timer = setTimeout(beat, Math.max(MIN_INTERVAL_MS, (seconds * 1000) / 3));
  };
  beat();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
