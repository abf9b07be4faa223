// The FIFO queue's message groups as lanes inside the SQS station: one row per group, its tasks in
// the order SQS will deliver them, and what holds the lane (its first message in flight, or
// waiting to be retried). A lane shows why one group waits while the others move on.
import { messageStateAt, type MessageView } from "../../../common/state.js";
import { svg } from "./tokenLayer.js";

const NS = "http://www.w3.org/2000/svg";

export interface LaneArea {
  x: number;
  y: number;
  width: number;
  /** Lanes drawn at most; more groups are counted in the heading. */
  lanes: number;
  laneHeight: number;
}

export interface Lane {
  groupId: string;
  /** The group's messages in delivery order (by send time: SQS keeps each group's order). */
  messages: MessageView[];
}

/** The FIFO messages (any `.fifo` queue, not dead-lettered) by group, groups in order of their oldest message. */
export function lanesOf(messages: Iterable<MessageView>): Lane[] {
  const groups = new Map<string, MessageView[]>();
  for (const m of messages) {
    if (m.state === "dead-lettered" || !m.queue.endsWith(".fifo")) continue;
    const id = m.groupId ?? "?";
    groups.set(id, [...(groups.get(id) ?? []), m]);
  }
  const lanes = [...groups].map(([groupId, list]) => ({ groupId, messages: list.sort((a, b) => a.sentAt - b.sentAt) }));
  return lanes.sort((a, b) => (a.messages[0]?.sentAt ?? 0) - (b.messages[0]?.sentAt ?? 0));
}

/** What holds a lane now, in a few words, and the class that colours it. */
function laneState(head: MessageView, now: number, maxReceives: number | null): [words: string, className: string] {
  const state = messageStateAt(head, now);
  // Short words: the lane's name and tasks need most of its width.
  const of = maxReceives ? `/${maxReceives}` : "";
  if (state === "in-flight") return head.receiveCount > 1 ? [`retry ${head.receiveCount}${of}`, "lane retrying"] : ["in flight", "lane in-flight"];
  if (head.receiveCount > 0) return [`failed ${head.receiveCount}${of}`, "lane retrying"];
  return ["waiting", "lane visible"];
}

/**
 * The lanes layer: its nodes are made once and rewritten in place, as the cards are. Returns a
 * draw function; called with no lanes it hides itself and the cards get the whole station.
 */
export function mountGroupLanes(layer: SVGGElement, area: LaneArea): (lanes: Lane[], now: number, maxReceivesOf: (queue: string) => number | null) => void {
  const heading = svg("text", { x: area.x, y: area.y + 20, class: "lane-heading" });
  layer.append(heading);
  // Hidden until the first state says there are groups: a page not yet (or never) connected
  // would otherwise show empty lane frames in the SQS station.
  layer.style.display = "none";
  const rows = Array.from({ length: area.lanes }, (_, i) => {
    const y = area.y + 30 + i * area.laneHeight;
    const group = svg("g", { class: "lane" });
    const frame = svg("rect", { x: area.x, y, width: area.width, height: area.laneHeight - 6, rx: 6 });
    const name = svg("text", { x: area.x + 8, y: y + 22, class: "lane-name" });
    const state = svg("text", { x: area.x + area.width - 8, y: y + 22, class: "lane-state", "text-anchor": "end" });
    const title = document.createElementNS(NS, "title");
    group.append(title, frame, name, state);
    layer.append(group);
    return { group, name, state, title, shown: "" };
  });
  return (lanes, now, maxReceivesOf) => {
    layer.style.display = lanes.length > 0 ? "" : "none";
    const more = lanes.length > area.lanes ? ` (${lanes.length - area.lanes} more)` : "";
    const words = `interview-queue.fifo: ${lanes.length} group${lanes.length === 1 ? "" : "s"}${more}`;
    if (heading.textContent !== words) heading.textContent = words;
    rows.forEach((row, i) => {
      const lane = lanes[i];
      const head = lane?.messages[0];
      const [stateWords, className] = head ? laneState(head, now, maxReceivesOf(head.queue)) : ["", "lane"];
      const tasks = lane ? lane.messages.slice(0, 3).map((m) => (m.taskId === null ? "?" : String(m.taskId))).join("▸") + (lane.messages.length > 3 ? "…" : "") : "";
      // The group's name gets the room its tasks leave (lab 5's clue is in the names: "order-7-created",
      // cut to "order-7-c…" at a fixed 10): about 24 bold characters fit beside the lane's state.
      const nameWords = lane ? `${clip(lane.groupId, Math.max(10, LANE_NAME_CHARS - tasks.length - 2))}: ${tasks}` : "";
      const key = `${nameWords}|${stateWords}|${className}`;
      if (key === row.shown) return;
      row.shown = key;
      row.group.style.display = lane ? "" : "none";
      row.group.setAttribute("class", className);
      row.name.textContent = nameWords;
      row.state.textContent = stateWords;
      row.title.textContent = lane ? `group ${lane.groupId}: task ${tasks}; ${stateWords}` : "";
    });
  };
}

/** Characters of "<group>: <tasks>" that fit a lane at 18 px bold, left of its state words ("retry 2/3"). */
const LANE_NAME_CHARS = 24;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
