import type { Deduplication } from "./fifo.js";
import type { Message } from "./message.js";
import type { Queue } from "./queue.js";

/**
 * A change to what the engine holds, told to its Durability (if it has one) at the moment it is
 * made, so it can be written down before the reply that acknowledges it. Only changes that time
 * cannot redo are told: a delay or visibility timeout ending, or retention deleting a message,
 * follow from the times a message already carries (`visibleAt`, `expiresAt`).
 */
export type EngineChange =
  /** Created, or its attributes or tags changed. */
  | { type: "queue"; queue: Queue }
  | { type: "queue-deleted"; queue: Queue }
  /** Sent, or moved in (to a dead-letter queue, or back by a message move task); `deduplicationKey` on a FIFO send. */
  | { type: "message"; queue: Queue; message: Message; deduplicationKey?: string }
  /** Received, or its visibility changed: its state, visibleAt, receive count and receipt handle. */
  | { type: "message-state"; queue: Queue; message: Message }
  /** Deleted, moved out, or expired. */
  | { type: "message-gone"; queue: Queue; messageId: string }
  /** PurgeQueue (`at`, for its 60 s rule) or "reset the world" (`at` null: no rule applies). */
  | { type: "purged"; queue: Queue; at: number | null };

/**
 * Where the engine's changes are kept so they survive a restart (server/sqs/durable/). The engine
 * works the same without one: it then lives in memory only.
 */
export interface Durability {
  /** Called synchronously for every change, in order; the change must be read at once (the objects change later). */
  record(change: EngineChange): void;
  /**
   * Resolves once every change recorded so far is on disk; undefined when nothing is waiting (no
   * promise to await on a read-only call). The server awaits it before each reply.
   * @throws (rejects) when the disk refuses the write: the reply is then an InternalError
   */
  committed(): Promise<void> | undefined;
}

/** What a queue keeps beyond its attributes and tags that a restart must not lose. */
export interface QueueMeta {
  createdAt: number;
  lastModifiedAt: number;
  /** DeduplicationScope as the queue was created (see `perGroupDeduplication`). */
  perGroupDeduplication: boolean;
}

/** A queue's messages and FIFO and purge state, as written before a restart and read back after it. */
export interface QueueContents {
  /** In the order the queue holds them (send order). */
  messages: Message[];
  /** When the last PurgeQueue ran (its 60 s rule), null if none did. */
  lastPurgeAt: number | null;
  /** FIFO: the last SequenceNumber given, and the deduplication ids still remembered. */
  lastSequenceNumber: string | null;
  deduplication: Deduplication[];
}
