import type { PlaygroundState } from "../../common/state.js";

type Selector = (state: PlaygroundState, now: number) => string | number | boolean | null;

const lastTaskMessageId = (s: PlaygroundState) => (s.lastTaskId === null ? undefined : (s.tasks[s.lastTaskId]?.messageId ?? undefined));

/**
 * What the interview drill's experiments show that the lessons' states did not already say: each
 * a pure function of the state fold, as every selector in checks.ts is.
 */
export const DRILL_SELECTORS: Record<string, Selector> = {
  /** Tasks whose work was started more than once (an attempt that failed, crashed or timed out, then a retry). */
  "tasks.attemptedAgain": (s) => Object.values(s.tasks).filter((t) => t.attempts >= 2).length,
  /** Invocations that failed because they ran past the function timeout (Lambda's "Task timed out after …"). */
  "invocations.timedOut": (s) => Object.values(s.invocations).filter((i) => i.status === "failed" && /timed out/i.test(i.error ?? "")).length,
  /** How many different consumers (the Lambda trigger, another client such as a terminal) received the last task's message. */
  "lastTaskMessage.consumers": (s) => {
    const id = lastTaskMessageId(s);
    return new Set(s.timeline.flatMap((e) => (e.type === "message.received" && e.messageId === id ? [e.consumer] : []))).size;
  },
  /** WaitTimeSeconds of the latest ReceiveMessage the Lambda trigger sent: 0 is a short poll, 1–20 a long poll (null: none yet). */
  "trigger.receiveWaitSeconds": (s) => {
    const call = s.calls.findLast((c) => c.caller === "lambda-trigger" && c.operation === "ReceiveMessage");
    const wait = (call?.request as { WaitTimeSeconds?: unknown } | undefined)?.WaitTimeSeconds;
    return typeof wait === "number" ? wait : call ? 0 : null;
  },
};
