import type { FlowEvent, QueueView, Snapshot, Task } from "../../common/events.js";

/**
 * The most a snapshot may weigh: UTF-8 bytes of its JSON. Every page gets one on connect and
 * after a long burst; fifteen pages after a burst of large messages once took the server from
 * 164 MB to 3.3 GB. 1 MiB holds a few thousand tasks and the recent events.
 */
export const SNAPSHOT_BUDGET_BYTES = 1024 * 1024;

/** Shares of what the fixed fields leave: queue messages first (capped), then events (capped), then tasks take the rest, then more events if room is left. */
const MESSAGE_SHARE = 0.2;
const EVENT_SHARE = 0.4;
/** Room for the `omitted` field's numbers and the commas between parts. */
const SLACK_BYTES = 256;

/** Everything a snapshot could hold, oldest first (tasks by id, events by seq). */
export type SnapshotParts = Omit<Snapshot, "omitted">;

/**
 * Events never change once published, and a task is replaced (not changed) when it is updated, so
 * an item's weight is measured once and remembered for as long as the item lives: fifteen pages
 * asking at once cost one serialisation of each item, not fifteen.
 */
const weights = new WeakMap<object, number>();
const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
function weightOf(item: unknown): number {
  if (typeof item !== "object" || item === null) return bytesOf(item);
  let weight = weights.get(item);
  if (weight === undefined) weights.set(item, (weight = bytesOf(item)));
  return weight;
}

/**
 * Takes items newest first (from the end of `items`) while each one's JSON fits in `room` bytes;
 * returns how many were taken (counted from the end) and the bytes they use, commas included.
 */
function takeNewest<T>(items: readonly T[], from: number, room: number): { taken: number; bytes: number } {
  let bytes = 0;
  let taken = 0;
  for (let i = items.length - 1 - from; i >= 0; i -= 1) {
    const cost = weightOf(items[i]) + 1;
    if (bytes + cost > room) break;
    bytes += cost;
    taken += 1;
  }
  return { taken, bytes };
}

/**
 * A snapshot within `budgetBytes`: the controls, the backend and every queue's counts always;
 * then as many queue messages, newest events and newest tasks as fit (each list stays oldest
 * first). What was left out is counted in `omitted`, present only when something was.
 * Only the items that are sent are serialised to weigh them, so a log of 10,000 tasks costs no
 * more than the budget's worth of work.
 */
export function budgetSnapshot(parts: SnapshotParts, budgetBytes = SNAPSHOT_BUDGET_BYTES): Snapshot {
  const emptyQueues = parts.queues.map((q) => ({ ...q, messages: [] }));
  const fixed = bytesOf({ ...parts, tasks: [], events: [], queues: emptyQueues, omitted: { tasks: 0, events: 0, messages: 0, budgetBytes } }) + SLACK_BYTES;
  let room = Math.max(0, budgetBytes - fixed);

  let messageRoom = room * MESSAGE_SHARE;
  const queues: QueueView[] = parts.queues.map((queue) => {
    const { taken, bytes } = takeNewest(queue.messages, 0, messageRoom);
    messageRoom -= bytes;
    room -= bytes;
    return { ...queue, messages: queue.messages.slice(queue.messages.length - taken) };
  });
  const events = takeNewest(parts.events, 0, room * EVENT_SHARE);
  room -= events.bytes;
  const tasks = takeNewest(parts.tasks, 0, room);
  room -= tasks.bytes;
  const olderEvents = takeNewest(parts.events, events.taken, room);
  const eventsTaken = events.taken + olderEvents.taken;

  const held = (q: QueueView) => q.visible + q.inFlight + q.delayed;
  const omitted = {
    tasks: parts.tasks.length - tasks.taken,
    events: parts.events.length - eventsTaken,
    messages: parts.queues.reduce((sum, q, i) => sum + Math.max(held(q), q.messages.length) - (queues[i]?.messages.length ?? 0), 0),
    budgetBytes,
  };
  const snapshot: Snapshot = {
    ...parts,
    tasks: parts.tasks.slice(parts.tasks.length - tasks.taken),
    queues,
    events: parts.events.slice(parts.events.length - eventsTaken),
  };
  if (omitted.tasks + omitted.events + omitted.messages > 0) snapshot.omitted = omitted;
  return snapshot;
}

/** How long pages asking together may share one snapshot, while no event has happened (ms). */
export const SNAPSHOT_SHARED_MS = 100;

/**
 * Pages that connect or ask at the same moment (a classroom joining, tabs reconnecting after a
 * restart) share one snapshot: it is built again once an event has happened (`seq` moved: every
 * change of tasks, queues or controls is one) or `sharedMs` has passed, so countdowns stay current.
 */
export function sharedSnapshots(build: () => Snapshot, seq: () => number, clock: () => number, sharedMs = SNAPSHOT_SHARED_MS): () => Snapshot {
  let last: { snapshot: Snapshot; at: number } | undefined;
  return () => {
    const now = clock();
    if (last && last.snapshot.seq === seq() && now >= last.at && now - last.at < sharedMs) return last.snapshot;
    last = { snapshot: build(), at: now };
    return last.snapshot;
  };
}
