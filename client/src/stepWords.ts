// Which of the six steps an event belongs to, and what it did, in one plain sentence: the line
// under the drawing ("Step 4: the trigger received the message of task 12, receive 2 of 3").
// No DOM here, so the words can be tested as they are. The step numbers are the lessons' own
// (lessons/01-the-whole-flow.md, QUEUE_FLOW_EXPLAINED.md).
import type { Consumer, FlowEvent } from "../../common/events.js";
import { countOf } from "../../common/words.js";
import { isFunctionVisibilityChange, visibilityTimeoutSet } from "../../common/heartbeat.js";

/** The six steps of the flow, as the lessons name them. */
export const STEP_NAMES = ["the API creates the task", "the API sends a message", "SQS holds the message", "the trigger receives it and invokes the handler", "the handler updates the task", "the message is deleted (or comes back)"] as const;

export type StepNumber = 1 | 2 | 3 | 4 | 5 | 6;

/** A message a PurgeQueue removed (not a consumer's delete): no step of the flow, no arrow of the drawing. */
export function isPurge(event: FlowEvent): boolean {
  return event.type === "message.deleted" && event.purgedBy !== undefined;
}

/** The step of the flow an event shows happening, or null when it is not one (settings, SQS calls). */
export function stepOf(event: FlowEvent): StepNumber | null {
  switch (event.type) {
    case "task.created":
      return 1;
    case "message.sent":
      return 2;
    case "message.delayed":
    case "message.visible-again":
    case "message.expired":
      return 3;
    case "message.received":
      // Step 4 is the trigger's receive; another client's (lesson 3's terminal) is not a step of the flow.
      return event.consumer === "lambda-trigger" ? 4 : null;
    case "lambda.invoked":
    case "lambda.throttled":
    case "lambda.cold-start":
      return 4;
    case "task.updated":
      // Still pending with a send error: step 2 failed (lesson 12's dual write), the API's own step.
      if (event.from === event.task.status) return event.task.status === "pending" && event.task.sendError ? 2 : null;
      return event.task.status === "failed" ? 6 : 5;
    case "lambda.completed":
    case "lambda.failed":
      return 5;
    case "message.deleted":
      // A purge empties the queue whoever called it: no consumer finished the message, no step 6.
      return isPurge(event) ? null : 6;
    case "message.dead-lettered":
    case "trigger.delete-failed":
    case "trigger.filtered":
      return 6;
    case "step.paused":
      return event.stepNumber as StepNumber;
    default:
      return null;
  }
}

/**
 * The dead-letter arrow's label: the queue's redrive policy as SQS holds it now ("after 10
 * receives" once lab 1 sets 10), or that there is none (null).
 */
export function deadLetterRule(maxReceives: number | null): string {
  return maxReceives === null ? "never: no redrive policy" : `after ${maxReceives} receive${maxReceives === 1 ? "" : "s"}`;
}

/**
 * The dead-letter arrow's second line: "(step 6, on failure)", or the FIFO queue's own rule when it
 * differs from the standard queue's. Lab 2's FIFO queue has no redrive policy, and the arrow said
 * "after 3 receives" beside its message on its 27th.
 */
export function deadLetterSecondLine(standard: number | null, fifo: number | null | undefined): string {
  if (fifo === undefined || fifo === standard) return "(step 6, on failure)";
  return fifo === null ? "FIFO: never, no policy" : `FIFO: after ${fifo} receive${fifo === 1 ? "" : "s"}`;
}

/** The line under the drawing once the world is reset: the old world's last sentence no longer holds. */
export const RESET_SENTENCE = "The world was reset: no tasks, both queues empty, faults cleared; new tasks go on from the last number, as ids are never reused.";

/**
 * The line under the drawing for an event: its step's sentence, the reset's, or null (the line
 * stays as it is for events that are not a step of the flow).
 */
export function narrationLine(event: FlowEvent, maxReceives: number | null): string | null {
  return event.type === "world.reset" ? RESET_SENTENCE : stepSentence(event, maxReceives);
}

/** "message 4e155002-50c3-… moved to …" as "its message moved to …": a message id took a line of the sentence and told the learner nothing. */
const withoutMessageIds = (text: string) => text.replace(/\bmessage [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "its message");

const consumerWords = (consumer: Consumer) => (consumer === "lambda-trigger" ? "the trigger" : "another client (not the trigger)");
const ofTask = (taskId: number | null) => (taskId === null ? "a message without a task" : `the message of task ${taskId}`);
/** " (tasks 1, 2, 3, 4 and 6 more)": at most `most` of them named. */
const tasksOf = (ids: (number | null)[], most = 4) => {
  const named = ids.filter((id): id is number => id !== null);
  if (named.length === 0) return "";
  return named.length <= most ? ` (task${named.length === 1 ? "" : "s"} ${named.join(", ")})` : ` (tasks ${named.slice(0, most).join(", ")} and ${named.length - most} more)`;
};

/**
 * One event as a sentence that starts with its step: "Step 4: the trigger received the message of
 * task 12, receive 2 of 3." `maxReceives` is the queue's maxReceiveCount when known (null: not
 * said). Null for events that are not a step of the flow.
 */
export function stepSentence(event: FlowEvent, maxReceives: number | null): string | null {
  const step = stepOf(event);
  // Another client's receive, or a purge, is not a step of the flow, but it changes what the drawing shows: said without a number.
  // So is the function's own ChangeMessageVisibility (its backoff), which moves when the message comes back.
  const elsewhere = (event.type === "message.received" && event.consumer !== "lambda-trigger") || isPurge(event) || (event.type === "sqs.call" && isFunctionVisibilityChange(event.call) && !event.call.error);
  if (step === null && !elsewhere) return null;
  // The step's own words, with the Release button beside them (views/stepRelease.ts).
  if (event.type === "step.paused") return `Step ${step} waits: ${event.detail}.`;
  const of = (count: number) => (maxReceives === null ? `receive ${count}` : `receive ${count} of ${maxReceives}`);
  const text = ((): string => {
    switch (event.type) {
      case "task.created":
        return `the API created task ${event.taskId} in the database (pending)`;
      // Who sent it: the API sends only tasks' messages; a redrive is SQS's own move task.
      case "message.sent":
        if (event.movedFrom) return `a redrive (SQS's message move task) put ${ofTask(event.taskId)} back on ${event.queue} from ${event.movedFrom}, as a new message`;
        if (event.taskId === null) return `another client (not the API) sent a message without a task to ${event.queue}; SQS holds it (step 3) until a consumer receives it`;
        return `the API sent ${ofTask(event.taskId)} to ${event.queue}; SQS holds it (step 3) until the trigger receives it`;
      case "message.delayed":
        return `SQS holds ${ofTask(event.taskId)}, delayed until ${new Date(event.visibleAt).toLocaleTimeString()}`;
      case "message.visible-again":
        // Its receives used up, there is no "receive 4 of 3" to wait for: SQS dead-letters it at the next receive.
        if (maxReceives !== null && event.receiveCount >= maxReceives) {
          return `the visibility timeout ran out: ${ofTask(event.taskId)} is back in ${event.queue}, ${event.receiveCount} of ${maxReceives} receives used; the next receive moves it to the dead-letter queue`;
        }
        return `the visibility timeout ran out: ${ofTask(event.taskId)} is visible again in ${event.queue}, waiting for ${of(event.receiveCount + 1)}`;
      case "message.received": {
        const seconds = Math.max(0, Math.round((event.visibleAt - event.at) / 1000));
        return `${consumerWords(event.consumer)} received ${ofTask(event.taskId)}, ${of(event.receiveCount)}; it is invisible to others for ${seconds} s`;
      }
      case "message.expired":
        return `${ofTask(event.taskId)} was ${Math.round((event.at - event.sentAt) / 1000)} s old: ${event.queue}'s retention period (${event.retentionSeconds} s) ended, and SQS deleted it, read or not`;
      case "lambda.throttled":
        // Two tasks named, so that it stays whole in three lines at 1024 px (test/e2e/layout.test.ts).
        return `Lambda throttled the batch${tasksOf(event.taskIds, 2)}: ${event.running} of ${event.reserved} reserved concurrency in use${event.retrying ? "; the trigger tries again" : "; its messages come back after their visibility timeout, a receive spent"}`;
      case "lambda.cold-start":
        // Out of process a first invocation waits for its environment: said where the learner looks, not only in the timeline.
        // Short enough for the line's three rows at 1024 px: it was cut at "…runtime; the nex".
        return `a cold start: Lambda started a new execution environment (${event.language === "python" ? "Python" : "Node.js"}, ${Math.round(event.initMs)} ms); later invocations reuse it while it is warm`;
      case "lambda.invoked":
        return `the trigger invoked the handler with a batch of ${event.messageIds.length} record${event.messageIds.length === 1 ? "" : "s"}${tasksOf(event.taskIds)}`;
      case "task.updated":
        if (event.from === event.task.status && event.task.sendError) {
          const code = /^SendMessage failed: (\w+)/.exec(event.task.sendError)?.[1] ?? event.task.sendError;
          return `the API's SendMessage for task ${event.taskId} failed (${code}): the task stays pending in the database, with no message in the queue`;
        }
        return event.task.status === "failed"
          ? `task ${event.taskId} is marked failed${event.task.lastError ? ` (${withoutMessageIds(event.task.lastError)})` : ""}`
          : `the handler set task ${event.taskId} to ${event.task.status}${event.task.status === "pending" && event.task.lastError ? ` after an error (${event.task.lastError})` : ""}`;
      case "lambda.completed":
        return event.failedMessageIds.length === 0
          ? `the handler returned in ${event.durationMs} ms: every record succeeded${event.note ? ` — ${event.note}` : ""}`
          : `the handler returned in ${event.durationMs} ms; ${countOf(event.failedMessageIds.length, "record")} failed and stay${event.failedMessageIds.length === 1 ? "s" : ""} in the queue`;
      case "lambda.failed":
        // The error is the learner's own, of any length: a TypeError's message pushed the sentence's
        // end past the line's three rows at 1024 px. The function log and the timeline say it whole.
        return `the handler failed (${event.error.length > 64 ? `${event.error.slice(0, 63)}…` : event.error}); its messages come back after their visibility timeout`;
      case "message.deleted":
        if (event.purgedBy !== undefined) return `${consumerWords(event.purgedBy)} purged ${event.queue} (PurgeQueue): ${ofTask(event.taskId)} is gone`;
        // Deleted from a dead-letter queue (a redrive moving it back, a learner cleaning up) is not the task done.
        return `${ofTask(event.taskId)} was deleted from ${event.queue}${/-dlq(\.fifo)?$/.test(event.queue) ? "" : ": done"}`;
      case "message.dead-lettered":
        return `after ${event.receiveCount} receives, SQS moved ${ofTask(event.taskId)} to ${event.deadLetterQueue}`;
      case "trigger.filtered":
        return `${countOf(event.messageIds.length, "message")} matched none of the trigger's filter patterns: Lambda deletes them without invoking the handler`;
      case "sqs.call": {
        const seconds = visibilityTimeoutSet(event.call);
        const messages = event.call.messageIds.length === 1 ? "the failed record's message comes" : `${event.call.messageIds.length} failed records' messages come`;
        return `the function called ChangeMessageVisibility (its backoff): ${messages} back in ${seconds ?? "?"} s, not at the queue's visibility timeout`;
      }
      case "trigger.delete-failed":
        return `the trigger could not delete ${countOf(event.messageIds.length, "message")} (${event.error})${event.retrying ? "; it tries again" : "; they come back after their visibility timeout"}`;
      default:
        return "";
    }
  })();
  return step === null ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : `Step ${step}: ${text}.`;
}

/** One PurgeQueue's deletions, shown as one step (client/src/pace.ts): said once, with how many went. */
export function purgeLine(shown: FlowEvent[], last: FlowEvent): string | null {
  if (last.type !== "message.deleted" || last.purgedBy === undefined) return null;
  const purged = shown.filter((e) => e.type === "message.deleted" && e.purgedBy !== undefined && e.queue === last.queue);
  if (purged.length < 2) return null;
  const tasks = purged.flatMap((e) => (e.type === "message.deleted" && e.taskId !== null ? [e.taskId] : []));
  const who = consumerWords(last.purgedBy);
  return `${who.charAt(0).toUpperCase()}${who.slice(1)} purged ${last.queue} (PurgeQueue): ${purged.length} messages are gone${tasks.length ? ` (tasks ${tasks.join(", ")})` : ""}.`;
}

/**
 * The trigger's filter event that a shown deletion belongs to, or null. A filtered message's
 * deletion comes with it: said as "deleted: done", it read as the task processed (lesson 14's point
 * is that it was not), so the filter's sentence is said instead.
 */
export function filterOf(shown: FlowEvent[], last: FlowEvent): Extract<FlowEvent, { type: "trigger.filtered" }> | null {
  if (last.type !== "message.deleted") return null;
  const filter = shown.findLast((e) => e.type === "trigger.filtered" && e.messageIds.includes(last.messageId));
  return filter?.type === "trigger.filtered" ? filter : null;
}
