// What the drawing says about injected faults, where it happens: a red line above the Lambda side
// while the handler is made to crash, fail or hang, and under the SendMessage arrow while SQS is
// unreachable or tasks wait unsent. Walking lesson 10 and lesson 12, a learner saw the handler
// fail and the sends go nowhere with nothing on the drawing to say why.
import type { PlaygroundState } from "../../../common/state.js";

/** A line the drawing shows, with its longer explanation (the tooltip). */
export interface FaultMark {
  text: string;
  detail: string;
}

/**
 * The handler's injected failures, in one line for the top right corner of the drawing ("⚠ the
 * handler crashes"), or null when none is on. A slow handler (delayMs) and a misspelt response key
 * are not marked: they model what a function's code does, and two labs ask the learner to find
 * them. Nor when the learner's own deployed code runs: the faults act on the lesson's handler only.
 */
export function handlerFaultMark(state: PlaygroundState): FaultMark | null {
  const faults = state.faults;
  if (!faults || state.functionCode.version !== 0) return null;
  const on: FaultMark[] = [];
  if (faults.crashAfter !== null) {
    const records = faults.crashAfter === 0 ? "before its first record" : `after ${faults.crashAfter} record${faults.crashAfter === 1 ? "" : "s"} of a batch`;
    on.push({ text: "crashes", detail: `the handler crashes ${records}` });
  }
  if (faults.timeout) on.push({ text: "hangs", detail: "the handler hangs past the function's timeout" });
  if (faults.failRate > 0) on.push({ text: `fails ${Math.round(faults.failRate * 100)}%`, detail: `the handler fails ${Math.round(faults.failRate * 100)}% of records` });
  if (on.length === 0) return null;
  const detail = `Fault injection (Chaos tab): ${on.map((mark) => mark.detail).join("; ")}`;
  return { text: on.length === 1 ? `⚠ fault: the handler ${on[0]?.text}` : `⚠ ${on.length} faults on the handler`, detail };
}

/**
 * Up to four short lines under the SendMessage arrow (about 13 characters each fit between the API
 * and the queue): SQS unreachable (the fault), and how many tasks are stored but not on the queue
 * because their SendMessage failed (the reconciler sends them later). Empty when neither.
 */
export function sendFaultLines(state: PlaygroundState): string[] {
  const lines: string[] = [];
  if (state.faults?.sqsUnavailable) lines.push("✗ SQS is", "unreachable");
  let unsent = 0;
  for (const id in state.tasks) {
    const task = state.tasks[id];
    if (task?.status === "pending" && task.sendError !== null) unsent += 1;
  }
  if (unsent > 0) lines.push(`✗ ${unsent} send${unsent === 1 ? "" : "s"}`, "failed");
  return lines;
}
