import { createHash } from "node:crypto";
import type { Message, NewMessage } from "./message.js";

/** How long a deduplication id is remembered. Source: SQS developer guide, "Exactly-once processing". */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;

/** A deduplication key still remembered: the message it names, until epoch ms `until`. */
export interface Deduplication {
  key: string;
  message: Message;
  until: number;
}

const SEQUENCE_BASE = 10n ** 19n;

/**
 * The key a FIFO send is deduplicated by: its MessageDeduplicationId, or the SHA-256 of its body
 * (ContentBasedDeduplication), within its group when the queue deduplicates per group.
 */
export function deduplicationKey(input: NewMessage, perGroup: boolean): string {
  const id = input.deduplicationId ?? createHash("sha256").update(input.body, "utf8").digest("hex");
  return perGroup ? `${input.groupId}\u0000${id}` : id;
}

/**
 * What a FIFO queue keeps beyond its messages: the messages of each group in send order (a group
 * whose first message is in flight is locked), the deduplication ids seen in the last five minutes,
 * and the sequence counter.
 */
export class FifoState {
  /** Group id → its messages in sequence order. Map order is the order groups are offered to receivers. */
  readonly groups = new Map<string, Message[]>();
  private readonly sent = new Map<string, { message: Message; until: number }>();
  private sequence = 0n;

  /** The next SequenceNumber: a 20-digit decimal string that only grows, as AWS's do. */
  nextSequenceNumber(): string {
    this.sequence += 1n;
    return (SEQUENCE_BASE + this.sequence).toString();
  }

  /** The last SequenceNumber given, or null before the first. */
  lastSequenceNumber(): string | null {
    return this.sequence === 0n ? null : (SEQUENCE_BASE + this.sequence).toString();
  }

  /** After a restart: numbering goes on after `sequenceNumber`, so numbers keep growing. */
  restoreSequence(sequenceNumber: string): void {
    const restored = BigInt(sequenceNumber) - SEQUENCE_BASE;
    if (restored > this.sequence) this.sequence = restored;
  }

  /** The deduplication keys still in their five minutes at `now`. */
  remembered(now: number): Deduplication[] {
    return [...this.sent].filter(([, entry]) => entry.until > now).map(([key, entry]) => ({ key, ...entry }));
  }

  /** After a restart: a key remembered before it, if its five minutes have not ended. */
  restoreDeduplication(entry: Deduplication, now: number): void {
    if (entry.until > now) this.sent.set(entry.key, { message: entry.message, until: entry.until });
  }

  /** The message already sent with this deduplication key in the last five minutes, if any. */
  duplicateOf(key: string, now: number): Message | undefined {
    const entry = this.sent.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.message;
    this.sent.delete(key);
    return undefined;
  }

  remember(key: string, message: Message, now: number): void {
    this.sent.set(key, { message, until: now + DEDUPLICATION_INTERVAL_MS });
    // Keep the map from growing without bound under sustained sends: forget expired keys now and then.
    if (this.sent.size % 1024 === 0) for (const [k, e] of this.sent) if (e.until <= now) this.sent.delete(k);
  }

  add(message: Message): void {
    const group = this.groups.get(message.groupId!);
    if (group) group.push(message);
    else this.groups.set(message.groupId!, [message]);
  }

  /** A message that came back to the queue keeps its place by sequence number. */
  remove(message: Message): void {
    const group = this.groups.get(message.groupId!);
    if (!group) return;
    const index = group.indexOf(message);
    if (index >= 0) group.splice(index, 1);
    if (group.length === 0) this.groups.delete(message.groupId!);
  }

  /**
   * A receive's offering: each group from its first message on, in order, while they are visible (a
   * message in flight holds back those after it), until `take` has had `max` or refuses one. A
   * group received from then waits behind the others, as AWS serves groups. `take` returns false
   * when the receive is full. Source: SQS developer guide, "FIFO queue message grouping".
   */
  offer(max: number, taken: () => number, take: (message: Message) => boolean): void {
    for (const [groupId, group] of [...this.groups]) {
      if (taken() >= max) break;
      const before = taken();
      for (const message of [...group]) if (message.state !== "visible" || !take(message)) break;
      if (taken() > before) this.sendToBack(groupId);
    }
  }

  private sendToBack(groupId: string): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    this.groups.delete(groupId);
    this.groups.set(groupId, group);
  }

  /** Purge empties the groups and, as on AWS, forgets the deduplication ids too. */
  clearMessages(): void {
    this.groups.clear();
    this.sent.clear();
  }
}
