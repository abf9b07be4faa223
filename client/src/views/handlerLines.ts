// The handler station's six lines: the batch it works on, how many more run beside it (and how
// often Lambda throttled it since the last reset: reserved concurrency in use), and each
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
  const ids = first ? first.taskIds.map((id) => (id === null ? "?" : String(id))) : [];
  const batch: Line = first ? [`batch of ${first.messageIds.length}:`, "batch-line"] : ["idle: no batch", "batch-line idle"];
  // Throttles (reserved concurrency in use) since the last reset share the "more" line when both show.
  const throttled = state.counters.throttled;
  const throttles = throttled > 0 ? `${throttled} throttle${throttled === 1 ? "" : "s"}` : "";
  const others = running.length > 1 ? `+ ${running.length - 1} more batch${running.length === 2 ? "" : "es"}` : "";
  const more: Line = [others && throttles ? `+ ${running.length - 1} more, ${throttled} throttled` : others || throttles, "batch-line"];
  const tasks = (from: number, to: number): Line => [first ? `${from === 0 ? "task " : ""}${ids.slice(from, to).join(", ")}${ids.length > to ? "…" : ""}` : "", first ? "batch-tasks" : ""];
  if (state.fifoMapping.state === null) {
    return [batch, first ? [`task ${ids.slice(0, 4).join(", ")}`, "batch-tasks"] : ["", ""], tasks(4, 8), more, ["", ""], [`${running.length} running · limit ${state.concurrency.limit || "–"}`, "caption-left"]];
  }
  return [batch, tasks(0, 4), more, ["running / limit", "caption-left"], mappingLine("standard", state.concurrency), mappingLine("FIFO", state.fifoMapping.concurrency)];
}
