/** What became of one message handed to a batch: its MessageId, or why SQS refused it. */
export type BatchEntryResult = { messageId: string } | { error: Error };

export interface SendBatcherOptions {
  /** Calls on the wire at once; further sends wait and then go together. */
  maxInFlight: number;
  /** SendMessageBatch takes at most ten entries. */
  maxEntries: number;
  /** …and at most this many bytes of bodies in all (256 KiB on SQS). */
  maxBytes: number;
}

export const SQS_BATCH_LIMITS: SendBatcherOptions = { maxInFlight: 1, maxEntries: 10, maxBytes: 256 * 1024 };

interface Waiting {
  body: string;
  bytes: number;
  resolve: (messageId: string) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for sends, as a busy producer does it: at a quiet moment a message goes out at once
 * on its own (SendMessage), so a single task's path is unchanged; while `maxInFlight` calls are
 * already on the wire, later messages wait and leave together (SendMessageBatch) as soon as one
 * call returns. Nothing waits on a timer, so batching adds no delay: it only happens when sends
 * would otherwise queue up behind each other. Each message still gets its own answer.
 */
export class SendBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly sendOne: (body: string) => Promise<string>,
    private readonly sendMany: (bodies: string[]) => Promise<BatchEntryResult[]>,
    private readonly options: SendBatcherOptions = SQS_BATCH_LIMITS,
  ) {}

  send(body: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ body, bytes: Buffer.byteLength(body), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const group = this.nextGroup();
      this.inFlight += 1;
      void this.flush(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest waiting messages that fit in one call (always at least one). */
  private nextGroup(): Waiting[] {
    let bytes = 0;
    let count = 0;
    for (const entry of this.waiting) {
      if (count === this.options.maxEntries || (count > 0 && bytes + entry.bytes > this.options.maxBytes)) break;
      bytes += entry.bytes;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }

  private async flush(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group as [Waiting];
      await this.sendOne(only.body).then(only.resolve, only.reject);
      return;
    }
    let results: BatchEntryResult[];
    try {
      results = await this.sendMany(group.map((entry) => entry.body));
    } catch (error) {
      for (const entry of group) entry.reject(error);
      return;
    }
    for (const [i, entry] of group.entries()) {
      const result = results[i];
      if (!result) entry.reject(new Error("SendMessageBatch returned no result for this entry"));
      else if ("error" in result) entry.reject(result.error);
      else entry.resolve(result.messageId);
    }
  }
}
