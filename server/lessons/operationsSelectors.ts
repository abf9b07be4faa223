import type { PlaygroundState } from "../../common/state.js";

type Selector = (state: PlaygroundState, now: number) => string | number | boolean | null;

const lastTask = (state: PlaygroundState) => (state.lastTaskId === null ? undefined : state.tasks[state.lastTaskId]);

/**
 * Which moment the retention period of the last message to expire from a dead-letter queue was
 * counted from, read from the times alone: the one it ended closest to, one period on.
 */
function retentionCountedFrom(state: PlaygroundState): string | null {
  const expired = state.lastDeadLetterExpired;
  if (!expired || expired.deadLetteredAt === null) return null;
  const period = expired.retentionSeconds * 1000;
  const fromSend = Math.abs(expired.expiredAt - (expired.sentAt + period));
  const fromArrival = Math.abs(expired.expiredAt - (expired.deadLetteredAt + period));
  return fromSend <= fromArrival ? "first send" : "arrival in the dead-letter queue";
}

/**
 * What lesson checks may read about retention and dead-letter queues (lesson 17) and about the
 * function's concurrency (lesson 18). Each is a pure function of the state fold, as every selector
 * in checks.ts is.
 */
export const OPERATIONS_SELECTORS: Record<string, Selector> = {
  /** Whether SQS deleted the last task's message because its retention period ended (the last message to expire). */
  "lastTaskMessage.expired": (s) => {
    const messageId = lastTask(s)?.messageId;
    return Boolean(messageId && s.lastExpired?.messageId === messageId);
  },
  /** Whole seconds since the last task's message was first sent (null once it is gone). */
  "lastTaskMessage.ageSeconds": (s, now) => {
    const messageId = lastTask(s)?.messageId;
    const message = messageId ? s.messages[messageId] : undefined;
    return message ? Math.floor((now - message.sentAt) / 1000) : null;
  },
  /** Whole seconds since the newest message in a dead-letter queue was first sent (null when they are empty). */
  "dlq.newestAgeSeconds": (s, now) => {
    const dead = Object.values(s.messages).filter((m) => m.state === "dead-lettered");
    if (dead.length === 0) return null;
    return Math.floor((now - Math.max(...dead.map((m) => m.sentAt))) / 1000);
  },
  /** Whether a dead-letter queue holds any message: the condition an alarm on its depth watches. */
  "dlq.any": (s) => Object.values(s.messages).some((m) => m.state === "dead-lettered"),
  "counters.expired": (s) => s.counters.expired,
  /** Seconds from the last expired message's first send to its expiry, rounded. */
  "lastExpired.ageSeconds": (s) => (s.lastExpired ? Math.round((s.lastExpired.expiredAt - s.lastExpired.sentAt) / 1000) : null),
  /** For the last message to expire from a dead-letter queue, "first send" or "arrival in the dead-letter queue": the moment its retention period was counted from. */
  "dlq.lastExpiryCountedFrom": retentionCountedFrom,
  /** Whole seconds the last message to expire from a dead-letter queue spent there. */
  "dlq.lastExpiredSecondsThere": (s) => {
    const expired = s.lastDeadLetterExpired;
    return expired?.deadLetteredAt != null ? Math.round((expired.expiredAt - expired.deadLetteredAt) / 1000) : null;
  },
  "counters.throttled": (s) => s.counters.throttled,
  /** Tasks that are done one way or the other: completed, or failed (their message dead-lettered). */
  "tasks.settled": (s) => Object.values(s.tasks).filter((t) => t.status === "completed" || t.status === "failed").length,
  /** Whether Lambda throttled any invocation since the last reset. */
  "throttles.any": (s) => s.counters.throttled > 0,
};
