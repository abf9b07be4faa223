import type { FlowEvent } from "../../../common/events.js";
import { describe } from "../describe.js";

/** Screen readers get at most one sentence group this often: a burst becomes a summary, not a flood. */
const SPEAK_EVERY_MS = 1500;
/** More subjects than this in one group are summed up. */
const MAX_SUBJECTS = 4;
/** Events a listener does not need: the wire, and the trigger's scaling chatter. */
const QUIET = new Set(["sqs.call", "lambda.concurrency", "lambda.invoked", "lambda.completed", "step.released"]);

/** What one event did to its task or message, as a clause: "received by the Lambda, attempt 2". */
function clause(e: FlowEvent): string | null {
  switch (e.type) {
    case "task.created":
      return "created, pending";
    case "task.updated":
      return e.from === e.task.status ? null : `now ${e.task.status}`;
    case "message.sent":
      return `message sent to ${e.queue}`;
    case "message.received":
      return e.consumer === "lambda-trigger" ? `received by the Lambda, attempt ${e.receiveCount}` : `taken by another client (receive ${e.receiveCount})`;
    case "message.visible-again":
      return "visible again after its visibility timeout";
    case "message.deleted":
      return "message deleted";
    case "message.dead-lettered":
      return `moved to ${e.deadLetterQueue} after ${e.receiveCount} receives`;
    case "message.delayed":
      return "delayed";
    default:
      return null;
  }
}

function subjectOf(e: FlowEvent): string | null {
  if ("taskId" in e && typeof e.taskId === "number") return `Task ${e.taskId}`;
  if ("messageId" in e) return `Message ${e.messageId.slice(0, 8)}`;
  return null;
}

/** One group of events in words: per task, its clauses in order; other events described; a burst summed up. */
export function narrate(events: FlowEvent[]): string {
  const subjects = new Map<string, string[]>();
  const others: string[] = [];
  for (const e of events) {
    if (QUIET.has(e.type)) continue;
    const subject = subjectOf(e);
    const words = clause(e);
    if (subject && words) subjects.set(subject, [...(subjects.get(subject) ?? []), words]);
    else if (!subject) others.push(describe(e));
  }
  if (subjects.size > MAX_SUBJECTS) {
    const count = (type: FlowEvent["type"]) => events.filter((e) => e.type === type).length;
    const parts = [
      `${count("message.sent")} messages sent`,
      `${count("message.received")} received`,
      `${count("message.deleted")} deleted`,
      count("message.dead-lettered") ? `${count("message.dead-lettered")} moved to the dead-letter queue` : "",
    ].filter(Boolean);
    return [`${subjects.size} tasks and messages moved: ${parts.join(", ")}.`, ...others.map((o) => `${o}.`)].join(" ");
  }
  return [...[...subjects].map(([subject, clauses]) => `${subject}: ${clauses.join("; ")}.`), ...others.map((o) => `${o}.`)].join(" ");
}

/**
 * The flow told in words, in an aria-live region: what a sighted learner sees travel across the
 * visualizer, a screen reader says ("Task 12: message sent to interview-queue; received by the
 * Lambda, attempt 2."). Events are gathered and spoken together at most every 1.5 s.
 */
export function mountNarration(root: HTMLElement): (fresh: FlowEvent[]) => void {
  root.innerHTML = `<h2 class="visually-hidden">Narration</h2><p class="narration" aria-live="polite"></p>`;
  const line = root.querySelector(".narration") as HTMLElement;
  let pending: FlowEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const speak = () => {
    timer = undefined;
    const text = narrate(pending);
    pending = [];
    if (text) line.textContent = text;
  };
  return (fresh) => {
    if (fresh.length === 0) return;
    pending.push(...fresh);
    timer ??= setTimeout(speak, SPEAK_EVERY_MS);
  };
}
