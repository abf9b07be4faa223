// The soak's judgement, kept pure so it can be read (and tested) apart from the run that feeds it.
import { isDeepStrictEqual } from "node:util";
import type { FlowEvent, QueueView, Task } from "../../common/events.js";
import type { PlaygroundState } from "../../common/state.js";

export interface SoakEvidence {
  /** Ids of the tasks whose POST /tasks was answered 201 or 202. */
  accepted: number[];
  /** The store's tasks at the end. */
  tasks: Task[];
  /** How many times the handler wrote each task's completion (its side effect). */
  workDone: ReadonlyMap<number, number>;
  /** Every event published during the run, in order. */
  events: FlowEvent[];
  /** The fold of those events (common/state.ts), started from the snapshot taken at start-up. */
  fold: PlaygroundState;
  queue: QueueView;
  deadLetterQueue: QueueView;
}

export interface SoakVerdict {
  completed: number;
  failed: number;
  /** Broken promises; empty when the run kept every one. */
  violations: string[];
  /** Worth knowing, not wrong: at-least-once delivery allows it. */
  notes: string[];
  /** For the first few tasks named in a violation: what the events say happened to them. */
  stories: string[];
}

const MAX_LISTED = 10;
const some = (ids: readonly (number | string)[]) =>
  ids.length > MAX_LISTED ? `${ids.slice(0, MAX_LISTED).join(", ")} … (${ids.length} in all)` : ids.join(", ");

/** Check what the soak promises against what the run left behind. */
export function judgeSoak(evidence: SoakEvidence): SoakVerdict {
  const violations: string[] = [];
  const notes: string[] = [];
  const suspects = new Set<number>();
  const flag = (ids: readonly (number | string)[], what: string) => {
    if (ids.length > 0) violations.push(`${what}: ${some(ids)}`);
    for (const id of ids.slice(0, 2)) if (typeof id === "number" || /^\d+/.test(id)) suspects.add(parseInt(String(id), 10));
  };
  const byId = new Map(evidence.tasks.map((task) => [task.id, task]));

  flag(evidence.accepted.filter((id) => !byId.has(id)), "accepted tasks missing from the store");
  flag(evidence.tasks.filter((t) => t.status === "pending").map((t) => t.id), "tasks still pending");
  flag(evidence.tasks.filter((t) => t.status === "processing").map((t) => t.id), "tasks still processing");

  // A failed task was given up on because its message reached the dead-letter queue: it must be there.
  const deadLettered = new Map<number, string[]>();
  for (const message of evidence.deadLetterQueue.messages) {
    if (message.taskId !== null) deadLettered.set(message.taskId, [...(deadLettered.get(message.taskId) ?? []), message.messageId]);
  }
  const failed = evidence.tasks.filter((t) => t.status === "failed");
  const completed = evidence.tasks.filter((t) => t.status === "completed");
  flag(failed.filter((t) => !deadLettered.has(t.id)).map((t) => t.id), "failed tasks without a message in the dead-letter queue");
  const completedButDeadLettered = completed.filter((t) => deadLettered.has(t.id)).map((t) => t.id);
  if (completedButDeadLettered.length > 0) {
    notes.push(`completed tasks whose duplicate delivery also reached the dead-letter queue: ${some(completedButDeadLettered)}`);
  }

  // Idempotency: the work (the completion write) happens exactly once for a completed task, never for a failed one.
  flag(completed.filter((t) => (evidence.workDone.get(t.id) ?? 0) !== 1).map((t) => `${t.id}×${evidence.workDone.get(t.id) ?? 0}`), "completed tasks whose work was not done exactly once");
  flag(failed.filter((t) => (evidence.workDone.get(t.id) ?? 0) !== 0).map((t) => t.id), "failed tasks whose work was done");
  const completions = new Map<number, number>();
  for (const event of evidence.events) {
    if (event.type === "task.updated" && event.task.status === "completed" && event.from !== "completed") {
      completions.set(event.taskId, (completions.get(event.taskId) ?? 0) + 1);
    }
  }
  flag([...completions].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`), "tasks announced completed more than once");

  // The event log tells the same story as the store and the queues.
  const folded = evidence.fold.tasks;
  flag(evidence.tasks.filter((t) => !isDeepStrictEqual(folded[t.id], t)).map((t) => t.id), "tasks whose folded events differ from the store");
  flag(Object.keys(folded).map(Number).filter((id) => !byId.has(id)), "tasks in the folded events but not in the store");
  const foldedDeadLetters = Object.values(evidence.fold.messages).filter((m) => m.state === "dead-lettered").map((m) => m.messageId).sort();
  const queuedDeadLetters = evidence.deadLetterQueue.messages.map((m) => m.messageId).sort();
  if (!isDeepStrictEqual(foldedDeadLetters, queuedDeadLetters)) {
    violations.push(`the folded events name ${foldedDeadLetters.length} dead-lettered message(s), the dead-letter queue holds ${queuedDeadLetters.length}`);
  }
  const waiting = Object.values(evidence.fold.messages).filter((m) => m.queue === evidence.queue.name).map((m) => m.messageId);
  flag(waiting, "messages the folded events still place on the task queue");
  const left = evidence.queue.visible + evidence.queue.inFlight + evidence.queue.delayed;
  if (left > 0) violations.push(`the task queue still holds ${left} message(s)`);

  violations.push(...missingChaos(evidence.events));
  const stories = [...suspects].slice(0, 4).map((id) => storyOf(id, evidence.events));
  return { completed: completed.length, failed: failed.length, violations, notes, stories };
}

/** A soak that never met its faults proves nothing: the events must show each kind of chaos happened. */
function missingChaos(events: readonly FlowEvent[]): string[] {
  const running = new Map<string, Set<string>>();
  const seen = { injected: false, crash: false, midBatch: false, disabled: 0, deadLettered: false };
  for (const event of events) {
    switch (event.type) {
      case "task.updated":
        if (event.task.lastError?.includes("injected failure")) seen.injected = true;
        break;
      case "lambda.invoked":
        running.set(event.invocationId, new Set(event.messageIds));
        break;
      case "lambda.completed":
        running.delete(event.invocationId);
        break;
      case "lambda.failed":
        running.delete(event.invocationId);
        if (event.error.includes("crashAfter")) seen.crash = true;
        break;
      case "message.received":
        // Received again while a batch holding it still runs: its visibility ran out mid-batch.
        if ([...running.values()].some((ids) => ids.has(event.messageId))) seen.midBatch = true;
        break;
      case "trigger.state":
        // "stopping" is the switch-off itself; "disabled" follows only once batches in flight have
        // drained, which a quick switch back on can overtake.
        if (event.state === "stopping") seen.disabled += 1;
        break;
      case "message.dead-lettered":
        seen.deadLettered = true;
        break;
    }
  }
  const missing: string[] = [];
  if (!seen.injected) missing.push("no record failed by injection (failRate)");
  if (!seen.crash) missing.push("no batch crashed (crashAfter)");
  if (!seen.midBatch) missing.push("no message came back while its batch was still running");
  if (seen.disabled === 0) missing.push("the trigger was never turned off");
  if (!seen.deadLettered) missing.push("no message reached the dead-letter queue");
  return missing.map((what) => `the chaos did not happen: ${what}`);
}

/** One task's events as lines, message ids shortened: enough to see where a promise broke. */
export function storyOf(taskId: number, events: readonly FlowEvent[]): string {
  const short = (id: string) => id.slice(0, 8);
  const lines = events.flatMap((event): string[] => {
    const at = `#${event.seq}`;
    switch (event.type) {
      case "task.created":
      case "task.updated":
        return event.taskId === taskId ? [`${at} ${event.type} → ${event.task.status}${event.task.lastError ? ` (${event.task.lastError})` : ""}`] : [];
      case "message.sent":
      case "message.deleted":
      case "message.visible-again":
      case "message.received":
      case "message.dead-lettered":
        return event.taskId === taskId ? [`${at} ${event.type} ${short(event.messageId)}${"receiveCount" in event ? ` count ${event.receiveCount}` : ""}`] : [];
      case "lambda.invoked":
        return event.taskIds.includes(taskId) ? [`${at} lambda.invoked ${short(event.invocationId)} with ${event.messageIds.map(short).join(",")}`] : [];
      default:
        return [];
    }
  });
  return `task ${taskId}:\n    ${lines.join("\n    ")}`;
}
