import type { EngineChange } from "../model/changes.js";
import type { SqsEngine } from "../model/engine.js";
import { DEDUPLICATION_INTERVAL_MS, type Deduplication } from "../model/fifo.js";
import type { Message } from "../model/message.js";
import type { QueueContents, QueueMeta } from "../model/changes.js";
import type { Queue } from "../model/queue.js";
import type { SqsRecord, StoredMessage } from "./lineShapes.js";

// The lines of the embedded SQS's files in DATA_DIR: sqs.journal.jsonl (one line per change, see
// EngineChange) and sqs.jsonl (the state at the last compaction, written as the same lines). Each
// line assigns what it names (a queue, a message, a message's receive state), so replaying a line
// twice changes nothing: a crash in the middle of a compaction may leave lines that the state
// file already holds.

const whereOf = (queue: Queue) => ({ region: queue.region, queue: queue.name });
const stored = ({ version: _version, ...message }: Message): StoredMessage => message;

/** `"region":…,"queue":…` of each queue, as JSON, made once: every line names its queue so. */
const whereJson = new WeakMap<Queue, string>();
function whereFieldsOf(queue: Queue): string {
  let fields = whereJson.get(queue);
  if (fields === undefined) {
    fields = JSON.stringify(whereOf(queue)).slice(1, -1);
    whereJson.set(queue, fields);
  }
  return fields;
}

/**
 * The journal line (with its "\n") for a change, made at once: the objects it names change later.
 * The lines of a receive and a delete, the most frequent, are put together from their fields'
 * JSON; they read back as the same objects as `JSON.stringify` of the whole would.
 */
export function lineOf(change: EngineChange): string {
  const { queue } = change;
  switch (change.type) {
    case "queue":
      return `${JSON.stringify({ op: "queue", ...whereOf(queue), attributes: queue.attributes, tags: queue.tags, ...queue.meta })}\n`;
    case "queue-deleted":
      return `${JSON.stringify({ op: "queue-deleted", ...whereOf(queue) })}\n`;
    case "message": {
      const key = change.deduplicationKey === undefined ? "" : `,"deduplicationKey":${JSON.stringify(change.deduplicationKey)}`;
      return `{"op":"message",${whereFieldsOf(queue)},"message":${JSON.stringify(stored(change.message))}${key}}\n`;
    }
    case "message-state": {
      const { id, state, visibleAt, receiveCount, firstReceivedAt, receiptHandle } = change.message;
      const fields = `"id":${JSON.stringify(id)},"state":"${state}","visibleAt":${visibleAt},"receiveCount":${receiveCount},"firstReceivedAt":${firstReceivedAt},"receiptHandle":${JSON.stringify(receiptHandle)}`;
      return `{"op":"message-state",${whereFieldsOf(queue)},${fields}}\n`;
    }
    case "message-gone":
      return `{"op":"message-gone",${whereFieldsOf(queue)},"id":${JSON.stringify(change.messageId)}}\n`;
    case "purged":
      return `${JSON.stringify({ op: "purged", ...whereOf(queue), at: change.at })}\n`;
  }
}

/** Every queue of the engine as lines that rebuild it (a compaction's state file). */
export function stateLines(engine: SqsEngine): string[] {
  const lines: string[] = [];
  for (const queue of engine.list()) {
    const { messages, lastPurgeAt, lastSequenceNumber, deduplication } = queue.contents();
    lines.push(`${JSON.stringify({ op: "queue", ...whereOf(queue), attributes: queue.attributes, tags: queue.tags, ...queue.meta, lastPurgeAt, lastSequenceNumber })}\n`);
    for (const message of messages) lines.push(`${JSON.stringify({ op: "message", ...whereOf(queue), message: stored(message) })}\n`);
    for (const { key, until, message } of deduplication) lines.push(`${JSON.stringify({ op: "deduplication", ...whereOf(queue), key, until, message: stored(message) })}\n`);
  }
  return lines;
}

/** A queue as the lines left it, ready for `SqsEngine.restoreQueue` and `Queue.restore`. */
export interface RestoredQueue {
  name: string;
  region: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  meta: QueueMeta;
  contents: QueueContents;
}

interface Replaying {
  queue: Extract<SqsRecord, { op: "queue" }>;
  messages: Map<string, Message>;
  deduplication: Map<string, Deduplication>;
  lastPurgeAt: number | null;
  lastSequenceNumber: string | null;
}

/**
 * A message as read back (the parsed line itself, already a fresh object: a copy per message
 * would cost start-up time), its timers starting at version 0. An MD5 the line leaves out reads as
 * undefined, as the message held it.
 */
const messageOf = (line: StoredMessage): Message => Object.assign(line, { version: 0 });

/** 20-digit SequenceNumbers compare as strings; null is before any. */
const laterSequence = (a: string | null, b: string | undefined | null): string | null => (b && (!a || b > a) ? b : a);

/** Applies the lines, oldest first: the queues (in creation order) as they stand after the last one. */
export function replay(records: SqsRecord[]): RestoredQueue[] {
  const queues = new Map<string, Replaying>();
  for (const record of records) {
    const key = `${record.region}/${record.queue}`;
    if (record.op === "queue") {
      const known = queues.get(key);
      if (known) known.queue = record;
      else queues.set(key, { queue: record, messages: new Map(), deduplication: new Map(), lastPurgeAt: null, lastSequenceNumber: null });
      const target = queues.get(key)!;
      if (record.lastPurgeAt != null) target.lastPurgeAt = record.lastPurgeAt;
      target.lastSequenceNumber = laterSequence(target.lastSequenceNumber, record.lastSequenceNumber);
      continue;
    }
    const target = queues.get(key);
    // A line about a queue deleted since (or never created) changes nothing.
    if (!target) continue;
    switch (record.op) {
      case "queue-deleted":
        queues.delete(key);
        break;
      case "message": {
        const message = messageOf(record.message);
        target.messages.set(message.id, message);
        target.lastSequenceNumber = laterSequence(target.lastSequenceNumber, message.sequenceNumber);
        if (record.deduplicationKey !== undefined) {
          target.deduplication.set(record.deduplicationKey, { key: record.deduplicationKey, message, until: message.sentAt + DEDUPLICATION_INTERVAL_MS });
        }
        break;
      }
      case "message-state": {
        const message = target.messages.get(record.id);
        if (message) Object.assign(message, { state: record.state, visibleAt: record.visibleAt, receiveCount: record.receiveCount, firstReceivedAt: record.firstReceivedAt, receiptHandle: record.receiptHandle });
        break;
      }
      case "message-gone":
        target.messages.delete(record.id);
        break;
      case "purged":
        target.messages.clear();
        target.deduplication.clear();
        if (record.at !== null) target.lastPurgeAt = record.at;
        break;
      case "deduplication":
        target.deduplication.set(record.key, { key: record.key, message: target.messages.get(record.message.id) ?? messageOf(record.message), until: record.until });
        target.lastSequenceNumber = laterSequence(target.lastSequenceNumber, record.message.sequenceNumber);
        break;
    }
  }
  return [...queues.values()].map(({ queue, messages, deduplication, lastPurgeAt, lastSequenceNumber }) => ({
    name: queue.queue,
    region: queue.region,
    attributes: queue.attributes,
    tags: queue.tags,
    meta: { createdAt: queue.createdAt, lastModifiedAt: queue.lastModifiedAt, perGroupDeduplication: queue.perGroupDeduplication },
    contents: { messages: [...messages.values()], lastPurgeAt, lastSequenceNumber, deduplication: [...deduplication.values()] },
  }));
}

/** Puts restored queues into an engine that has none yet. */
export function restoreInto(engine: SqsEngine, queues: RestoredQueue[]): void {
  for (const { name, region, attributes, tags, meta, contents } of queues) engine.restoreQueue(name, region, attributes, tags, meta).restore(contents);
}
