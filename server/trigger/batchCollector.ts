import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "@aws-sdk/client-sqs";
import type { Clock } from "../events/eventLog.js";

/** Lambda's invocation payload limit: a batch never grows past it. */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;
const LONG_POLL_SECONDS = 20;
const SHORT_POLL_PAUSE_MS = 50;

export type Receive = (maxMessages: number, waitSeconds: number) => Promise<Message[]>;

const sizeOf = (message: Message) => Buffer.byteLength(message.Body ?? "");

/** Messages received but kept back because they would have pushed a batch past 6 MB: they open the next one. */
export class CarryOver {
  private readonly messages: Message[] = [];

  take(): Message[] {
    return this.messages.splice(0);
  }

  keep(messages: Message[]): void {
    this.messages.push(...messages);
  }

  get size(): number {
    return this.messages.length;
  }
}

/**
 * Gather one batch as Lambda's SQS poller does: long-poll for the first messages, then, with a
 * batching window, keep receiving until the window expires, BatchSize is reached or the payload
 * reaches 6 MB (a message that would pass it is carried over to open the next batch). Without a
 * window the first receive is the batch (BatchSize is then at most 10).
 * Messages gathered early keep their visibility timeout running meanwhile — as on AWS, which is
 * why AWS adds the window to its visibility-timeout advice.
 * `settings` is read again once the first messages are in: a long poll started before an
 * UpdateEventSourceMapping (up to 20 s earlier) gathers its batch with the new BatchSize and window.
 */
export async function collectBatch(receive: Receive, settings: () => { BatchSize: number; MaximumBatchingWindowInSeconds: number }, clock: Clock, signal: AbortSignal, carry = new CarryOver()): Promise<Message[]> {
  let batchSize = settings().BatchSize;
  const batch: Message[] = [];
  let bytes = 0;
  let full = false;
  /** Adds what fits; what would pass BatchSize or 6 MB waits for the next batch. */
  const add = (messages: Message[]) => {
    for (const [i, message] of messages.entries()) {
      if (batch.length >= batchSize || (batch.length > 0 && bytes + sizeOf(message) > MAX_BATCH_BYTES)) {
        carry.keep(messages.slice(i));
        full = true;
        return;
      }
      batch.push(message);
      bytes += sizeOf(message);
    }
  };
  add(carry.take());
  if (batch.length === 0) {
    const first = await receive(Math.min(10, batchSize), LONG_POLL_SECONDS);
    batchSize = settings().BatchSize;
    add(first);
  }
  const windowSeconds = settings().MaximumBatchingWindowInSeconds;
  if (batch.length === 0 || windowSeconds === 0) return batch;
  const deadline = clock() + windowSeconds * 1000;
  while (!full && batch.length < batchSize && !signal.aborted) {
    const remaining = deadline - clock();
    if (remaining <= 0) break;
    // Whole seconds of long poll fit inside the window; the last fraction is short polls.
    const wait = Math.min(LONG_POLL_SECONDS, Math.floor(remaining / 1000));
    let more: Message[];
    try {
      more = await receive(Math.min(10, batchSize - batch.length), wait);
    } catch {
      // Invoke what was gathered; the next poll meets (and reports) the same error.
      break;
    }
    add(more);
    if (more.length === 0 && wait === 0) await sleep(Math.min(remaining, SHORT_POLL_PAUSE_MS), undefined, { signal }).catch(() => {});
  }
  return batch;
}
