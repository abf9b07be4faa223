import type { Task } from "../../common/events.js";
import { messageStateAt, type InvocationView, type PlaygroundState } from "../../common/state.js";

type Selector = (state: PlaygroundState, now: number) => string | number | boolean | null;

const groupOfTask = (state: PlaygroundState, taskId: number | null) => (taskId === null ? undefined : state.tasks[taskId]?.messageGroupId);

/** Invocations that carried FIFO tasks, oldest first. */
function fifoInvocations(state: PlaygroundState): InvocationView[] {
  return Object.values(state.invocations)
    .filter((i) => i.taskIds.some((id) => groupOfTask(state, id) !== undefined))
    .sort((a, b) => a.startedAt - b.startedAt);
}

/**
 * What lesson checks may read about the FIFO queue and its groups (lesson 15). Each is a pure
 * function of the state fold, as every selector in checks.ts is.
 */
export const FIFO_SELECTORS: Record<string, Selector> = {
  /** Tasks sent to the FIFO queue that are completed. */
  "fifo.tasksCompleted": (s) => Object.values(s.tasks).filter((t) => t.queue === "fifo" && t.status === "completed").length,
  /**
   * Whether every group's tasks reached the handler in the order they were created (task ids
   * rise with creation): invocations by start time, records in their order, first sight counts.
   */
  "fifo.groupsInOrder": (s) => {
    const last = new Map<string, number>();
    const seen = new Set<number>();
    for (const invocation of fifoInvocations(s)) {
      for (const taskId of invocation.taskIds) {
        const group = groupOfTask(s, taskId);
        if (group === undefined || taskId === null || seen.has(taskId)) continue;
        seen.add(taskId);
        if ((last.get(group) ?? 0) > taskId) return false;
        last.set(group, taskId);
      }
    }
    return seen.size > 0;
  },
  /** The most FIFO batches that ran at the same moment (each started while the others ran). */
  "fifo.mostBatchesAtOnce": (s, now) => {
    const spans = fifoInvocations(s).map((i) => [i.startedAt, i.durationMs === null ? now : i.startedAt + i.durationMs] as const);
    return Math.max(0, ...spans.map(([start]) => spans.filter(([from, to]) => from <= start && start < to).length));
  },
  /** FIFO groups whose first message has already come back at least once: a failure holds the group. */
  "fifo.blockedGroups": (s, now) => {
    const heads = new Map<string, { sentAt: number; receiveCount: number; visible: boolean }>();
    for (const m of Object.values(s.messages)) {
      if (m.state === "dead-lettered" || !m.queue.endsWith(".fifo") || m.groupId === undefined) continue;
      const head = heads.get(m.groupId);
      if (!head || m.sentAt < head.sentAt) heads.set(m.groupId, { sentAt: m.sentAt, receiveCount: m.receiveCount, visible: messageStateAt(m, now) === "visible" });
    }
    return [...heads.values()].filter((h) => h.receiveCount >= 2 || (h.visible && h.receiveCount >= 1)).length;
  },
  /** The task whose message SQS kept when it dropped the last task's send as a duplicate (null: not a duplicate). */
  "lastTask.duplicateOf": (s) => (s.lastTaskId === null ? null : (s.tasks[s.lastTaskId]?.duplicateOf ?? null)),
};

/**
 * A state of one message group's FIFO tasks, named `fifo.group.<group>.<what>`. A part that sends
 * to its own groups counts only their tasks: "every customer's task is completed" in lesson 15's
 * part 2 held on part 1's tasks before anything was sent, and "3 of 3" read "4 of 3" after a
 * second press. The group is what lies between `fifo.group.` and the last dot (a placeholder
 * names it in letters, digits, `.`, `_` and `-`).
 */
const GROUP_STATES: Record<string, (tasks: Task[]) => number> = {
  /** How many tasks were sent to the group (a duplicate send counts: it is a task, `failed`). */
  tasks: (tasks) => tasks.length,
  completed: (tasks) => tasks.filter((t) => t.status === "completed").length,
};
const GROUP_STATE = /^fifo\.group\.(.+)\.([A-Za-z]+)$/;

/** The selector of a `fifo.group.<group>.<what>` state, or undefined when the name is not one. */
export function groupSelectorFor(name: string): Selector | undefined {
  const [, group, what] = GROUP_STATE.exec(name) ?? [];
  const count = what !== undefined && Object.hasOwn(GROUP_STATES, what) ? GROUP_STATES[what] : undefined;
  if (group === undefined || !count) return undefined;
  return (s) => count(Object.values(s.tasks).filter((t) => t.queue === "fifo" && t.messageGroupId === group));
}

/** The group states, as the error for an unknown state lists them. */
export const GROUP_STATE_NAMES = Object.keys(GROUP_STATES).map((what) => `fifo.group.<group>.${what}`);
