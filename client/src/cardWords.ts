// What a message's card on the drawing says. No DOM here, so the words can be tested as they are.
import { messageStateAt, type MessageView } from "../../common/state.js";

/** A card's three lines (task, receives, state) and the part of its visibility timeout left (0..1). */
export function cardWords(m: MessageView, now: number, maxReceives: number | null): { lines: [string, string, string]; state: string; left: number } {
  const state = messageStateAt(m, now);
  // Four characters of the id: eight ran into the next card at 22 px.
  const task = m.taskId === null ? `message ${m.messageId.slice(0, 4)}` : `task ${m.taskId}`;
  // A dead-lettered message was given up on after maxReceiveCount receives (an inspection of the
  // dead-letter queue may count the receive that moved it as one more: "4 of 3" reads as a bug).
  // More than one over: the policy came later (lab 2 adds one to a queue that had none), and the
  // message really was received that often.
  const given = maxReceives !== null && m.receiveCount === maxReceives + 1 ? maxReceives : m.receiveCount;
  const receives =
    state === "dead-lettered"
      ? `after ${given} receives`
      : m.receiveCount === 0
        ? "not received yet"
        : maxReceives === null
          ? `receive ${m.receiveCount}`
          : `receive ${m.receiveCount} of ${maxReceives}`;
  let doing = "visible · waiting";
  let left = 0;
  if (state === "in-flight" && m.visibleAt !== null) {
    // Whole seconds: the text changes once a second and the bar shows the rest (each change of an
    // SVG text costs a layout of it, and a burst shows six cards redrawn ten times a second).
    // Short enough for the card at 18 px ("in flight · back in 4 s" ran past its right edge).
    doing = `in flight · ${Math.ceil(Math.max(0, (m.visibleAt - now) / 1000))} s left`;
    if (m.receivedAt !== null) left = Math.max(0, Math.min(1, (m.visibleAt - now) / Math.max(1, m.visibleAt - m.receivedAt)));
  } else if (state === "delayed" && m.visibleAt !== null) doing = `delayed · ${Math.max(0, (m.visibleAt - now) / 1000).toFixed(1)} s`;
  else if (state === "dead-lettered") doing = "dead-lettered";
  if (state === "in-flight" && m.consumer === "other-client") doing = `other client · ${Math.ceil(Math.max(0, (m.visibleAt ?? now) - now) / 1000)} s`;
  return { lines: [task, receives, doing], state, left };
}

/** The dead-letter queue's caption: how many it holds, and how many of them have no card (it draws two). */
export function deadCaption(total: number, drawn: number): string {
  if (total === 0) return "empty";
  return `${total} dead-lettered${total > drawn ? ` (${total - drawn} more not drawn)` : ""}`;
}
