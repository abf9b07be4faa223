// The handler station's six lines: the batch it works on, how many more run beside it (or how
// often Lambda throttled it since the last reset: reserved concurrency in use), the function's
// reserved concurrency when it has one, and each
// mapping's concurrency — batches running now and the limit they may reach — for the standard
// queue's mapping and, once the playground has one, the FIFO queue's (its limit follows the
// number of active message groups, so it moves differently).
import type { PlaygroundState } from "../../../common/state.js";

export type Line = [text: string, className: string];

/** `running / limit` of one mapping, labelled with its queue ("–" before the limit is known). */
const mappingLine = (label: string, concurrency: { running: number; limit: number }): Line => [`${label} ${concurrency.running} / ${concurrency.limit || "–"}`, "caption-left"];

/**
 * Six lines for the handler's box. With a FIFO mapping: the batch (two lines), other batches, a
 * "running / limit" heading, then one line per mapping. Without one: the batch (three lines), other
 * batches, a blank, and the standard mapping's "n running · limit m", as before the FIFO queue.
 */
export function handlerStationLines(state: PlaygroundState): Line[] {
  const running = Object.values(state.invocations).filter((i) => i.status === "running");
  const first = running[0];
  // Messages that are no task's (sent from the terminal) have no id to show: lesson 20's big
  // messages drew "task ?, ?, ? +3". The batch line counts them all.
  const ids = first ? first.taskIds.flatMap((id) => (id === null ? [] : [String(id)])) : [];
  const batch: Line = first ? [`batch of ${first.messageIds.length}:`, "batch-line"] : ["idle: no batch", "batch-line idle"];
  // Throttles (reserved concurrency in use) since the last reset share the "more" line when both show.
  const throttled = state.counters.throttled;
  const throttles = throttled > 0 ? `${throttled} throttle${throttled === 1 ? "" : "s"}` : "";
  const others = running.length > 1 ? `+ ${running.length - 1} more batch${running.length === 2 ? "" : "es"}` : "";
  // Both at once fitted no box ("+ 1 more, 1 throttled" ran past its edge); the batches running
  // are counted on the mapping lines below, so the throttles, which nothing else shows, win.
  const more: Line = [throttles || others, "batch-line"];
  // Reserved concurrency caps the function, not a mapping: lesson 18 drew "standard 1 / 2" and
  // nowhere the 1 that throttled the second batch.
  const reserved = state.functionSettings?.ReservedConcurrentExecutions;
  const reservedLine: Line | null = reserved === null || reserved === undefined ? null : [`reserved: ${reserved}`, "caption-left reserved"];
  const taskLine = (text: string): Line => (first ? [text, "batch-tasks"] : ["", ""]);
  const noTask = ids.length === 0 ? "no tasks" : "";
  if (state.fifoMapping.state === null) {
    const head = fitIds(ids, "task ", false);
    const [inEnvironments, waitForOne] = environmentLines(state, running.length) ?? [more, reservedLine ?? ["", ""]];
    return [batch, taskLine(head.text || noTask), taskLine(fitIds(ids.slice(head.count), "", true).text), inEnvironments, waitForOne, [`${running.length} running · limit ${state.concurrency.limit || "–"}`, "caption-left"]];
  }
  // Here the environments take the first batch's task line and the "more" line: in a burst, one task's id says little.
  const [first2, second] = environmentLines(state, running.length) ?? [taskLine(fitIds(ids, "task ", true).text || noTask), more];
  // With a reserved concurrency it takes the heading's place: six lines are all the box holds.
  return [batch, first2, second, reservedLine ?? ["running / limit", "caption-left"], mappingLine("standard", state.concurrency), mappingLine("FIFO", state.fifoMapping.concurrency)];
}

/**
 * Invocations beyond the execution environments alive wait for one: this machine runs at most a
 * few (a process each), where Lambda would start one per batch. Lesson 8 drew "55 running" while
 * 8 ran and the rest waited unseen. Two lines in place of "+ n more batches"; null when none
 * waits (or functions run in process).
 */
function environmentLines(state: PlaygroundState, running: number): [Line, Line] | null {
  const waiting = state.environments > 0 ? running - state.environments : 0;
  if (waiting <= 0) return null;
  return [
    [`${state.environments} in environments`, "batch-line"],
    // "wait for one" read as a riddle to a learner, and a batch whose environment is starting (a
    // cold start not finished) is counted here too: both are yet to start.
    [`${waiting} yet to start`, "batch-line environments-full"],
  ];
}

/**
 * The most characters of a task line that fit the handler's box (186 units wide, the batch's
 * bold 21 px: about 16 characters to its edge). Four ids a line ran past the edge once ids had
 * three digits ("task 502, 503, 50" cut off, in a lesson's burst).
 */
export const TASK_LINE_CHARS = 15;

/**
 * As many of `ids` as fit in TASK_LINE_CHARS after `prefix` (at least one), and with `tally`
 * " +n" for those left out: "task 502 +9", "task 7, 8, 9".
 */
function fitIds(ids: string[], prefix: string, tally: boolean): { text: string; count: number } {
  let text = prefix;
  let count = 0;
  while (count < ids.length) {
    const next = `${text}${count > 0 ? ", " : ""}${ids[count]}`;
    const left = ids.length - count - 1;
    if (count > 0 && (next + (tally && left > 0 ? ` +${left}` : "")).length > TASK_LINE_CHARS) break;
    text = next;
    count += 1;
  }
  if (tally && count < ids.length) text += ` +${ids.length - count}`;
  return { text: count > 0 ? text : "", count };
}
