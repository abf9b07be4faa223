import type { Task } from "../../common/events.js";
import type { InvocationView, PlaygroundState } from "../../common/state.js";

type Selector = (state: PlaygroundState, now: number) => string | number | boolean | null;

/** An order's events are FIFO tasks titled "<order>: <event>" (lab 5: "order-7: paid"); the order is the part before ": ". */
function orders(tasks: Task[]): Map<string, Task[]> {
  const byOrder = new Map<string, Task[]>();
  for (const task of tasks) {
    const order = task.queue === "fifo" ? /^([^:]+): /.exec(task.title)?.[1] : undefined;
    if (order !== undefined) byOrder.set(order, [...(byOrder.get(order) ?? []), task]);
  }
  for (const events of byOrder.values()) events.sort((a, b) => a.id - b.id);
  return byOrder;
}

/** The first invocation that carried each task, and the task's place in its batch. */
function firstHandling(state: PlaygroundState): Map<number, { invocation: InvocationView; index: number }> {
  const first = new Map<number, { invocation: InvocationView; index: number }>();
  const byStart = Object.values(state.invocations).sort((a, b) => a.startedAt - b.startedAt);
  for (const invocation of byStart) {
    invocation.taskIds.forEach((taskId, index) => {
      if (taskId !== null && !first.has(taskId)) first.set(taskId, { invocation, index });
    });
  }
  return first;
}

/**
 * Whether every order's events were handled one after another, in the order they were sent: each
 * event's first handling began only once the one before it had finished (or came after it in the
 * same batch), and none completed before an earlier one. False as soon as two events of an order
 * were handled at the same time or completed out of order; null while no order has two events
 * handled yet.
 */
function inSequence(state: PlaygroundState, tasks: Task[], now: number): boolean | null {
  const handled = firstHandling(state);
  let compared = false;
  for (const events of orders(tasks).values()) {
    for (let i = 1; i < events.length; i++) {
      const [before, after] = [events[i - 1] as Task, events[i] as Task];
      const a = handled.get(before.id);
      const b = handled.get(after.id);
      if (!a || !b) continue;
      compared = true;
      const aEnd = a.invocation.durationMs === null ? now : a.invocation.startedAt + a.invocation.durationMs;
      const sameBatchInOrder = a.invocation === b.invocation && a.index < b.index;
      if (!sameBatchInOrder && b.invocation.startedAt < aEnd) return false;
      if (before.completedAt && after.completedAt && Date.parse(after.completedAt) < Date.parse(before.completedAt)) return false;
    }
  }
  return compared ? true : null;
}

const trialTasks = (state: PlaygroundState) => Object.values(state.tasks).filter((t) => t.id > (state.trialAfterTaskId ?? 0));

/** Lab 5's states: the events of one order, sent to the FIFO queue, and the message groups they were sent in. */
export const ORDER_SELECTORS: Record<string, Selector> = {
  "orders.inSequence": (s, now) => inSequence(s, Object.values(s.tasks), now),
  "trial.ordersInSequence": (s, now) => inSequence(s, trialTasks(s), now),
  /** Whether the trial sent orders and each order's events all went in one message group. */
  "trial.ordersInOneGroup": (s) => {
    const byOrder = [...orders(trialTasks(s)).values()];
    return byOrder.length > 0 && byOrder.every((events) => new Set(events.map((t) => t.messageGroupId)).size === 1);
  },
  /**
   * Whether the trial can no longer prove the fix: an order's events went in more than one message
   * group (sent a second apart, they may still be handled in sequence, yet the fix is not there),
   * or two were handled at once or out of order. False while neither happened.
   */
  "trial.orderBroken": (s, now) => {
    const split = [...orders(trialTasks(s)).values()].some((events) => new Set(events.map((t) => t.messageGroupId)).size > 1);
    return split || inSequence(s, trialTasks(s), now) === false;
  },
};
