import type { FlowEvent, MessageBody, QueueView, Reply, Task } from "../../../common/events.js";
import { heartbeatKey, isHeartbeatEvent } from "../../../common/heartbeat.js";
import { callsFor, messageStateAt, type MessageView, type PlaygroundState } from "../../../common/state.js";
import { esc } from "../api.js";
import { describe } from "../describe.js";
import { setHtml } from "../throttle.js";

const ROWS = 50;
/** Rows drawn until the table's box is scrolled: about what the box shows (see style.css). */
const FIRST_ROWS = 15;

/**
 * How many rows a table draws. In a burst a table is rewritten four times a second, and laying out
 * 50 rows each time made the page's longest frames; the box shows about 15, so the rest are drawn
 * once it is scrolled (or focused, to be scrolled by keyboard), and from then on.
 */
function rowLimit(box: HTMLElement, redraw: () => void): () => number {
  let all = false;
  const showAll = () => {
    if (all) return;
    all = true;
    redraw();
  };
  box.addEventListener("scroll", showAll, { passive: true });
  box.addEventListener("focusin", showAll);
  return () => (all ? ROWS : FIRST_ROWS);
}

/**
 * A FIFO task's message group beside its title (a standard task has none): in lessons 15 and lab 5
 * the group decides the order, and the table did not show it.
 */
const groupOf = (task: Task) =>
  task.messageGroupId === undefined ? "" : ` <span class="task-group" title="FIFO message group: its messages are processed in order, one batch at a time">group ${esc(task.messageGroupId)}</span>${task.duplicateOf === undefined ? "" : ` <span class="task-group">duplicate of ${task.duplicateOf}</span>`}`;

/** The tasks, newest first, with their status as it changes. */
export function mountTasks(root: HTMLElement): (state: PlaygroundState) => void {
  root.innerHTML = `<h2>Tasks</h2><table><thead><tr><th scope="col">id</th><th scope="col">title</th><th scope="col">status</th><th scope="col">attempts</th><th scope="col">last error</th></tr></thead><tbody></tbody></table>`;
  const body = root.querySelector("tbody") as HTMLElement;
  let latest: PlaygroundState | undefined;
  const rows = rowLimit(root, () => latest && draw(latest));
  const draw = (state: PlaygroundState) => {
    latest = state;
    // Newest first by walking down from the last id: sorting every task each frame cost milliseconds per frame in a burst of thousands.
    const tasks: Task[] = [];
    for (let id = state.lastTaskId ?? 0, limit = rows(); id > 0 && tasks.length < limit; id -= 1) {
      const task = state.tasks[id];
      if (task) tasks.push(task);
    }
    setHtml(
      body,
      tasks.map((t) => `<tr data-task="${t.id}"><td>${t.id}</td><td>${esc(t.title)}${groupOf(t)}</td><td><span class="status ${t.status}">${t.status}</span></td><td>${t.attempts}</td><td>${esc(t.lastError ?? t.sendError ?? "")}</td></tr>`).join("") ||
        `<tr><td colspan="5" class="empty">No tasks yet: run the lesson's first request.</td></tr>`,
    );
  };
  return draw;
}

/** The queues by inspection, never by ReceiveMessage: state, receive count, visibility left. */
export function mountQueue(root: HTMLElement, counts: () => Promise<QueueView[]>): (state: PlaygroundState, now?: number) => void {
  root.innerHTML = `<h2>Queue inspector</h2><p class="backend-note" role="note" hidden></p><table><thead><tr><th scope="col">message</th><th scope="col">task</th><th scope="col">queue</th><th scope="col">state</th><th scope="col">receives</th><th scope="col">visible in</th></tr></thead><tbody></tbody></table>`;
  const body = root.querySelector("tbody") as HTMLElement;
  const note = root.querySelector(".backend-note") as HTMLElement;
  let polling: ReturnType<typeof setInterval> | undefined;
  let latest: [PlaygroundState, number | undefined] | undefined;
  const rows = rowLimit(root, () => latest && draw(...latest));
  // Where SQS shows only counts (AWS), show them, refreshed, and say why there is no more.
  const showCounts = async () => {
    const queues = await counts().catch(() => []);
    setHtml(body, queues.map((q) => `<tr><td colspan="3">${esc(q.name)}</td><td colspan="3">${q.visible} visible · ${q.inFlight} in flight · ${q.delayed} delayed</td></tr>`).join(""));
  };
  const draw = (state: PlaygroundState, at?: number) => {
    latest = [state, at];
    const now = at ?? Date.now();
    note.hidden = !state.backend?.note;
    if (note.textContent !== (state.backend?.note ?? "")) note.textContent = state.backend?.note ?? "";
    if (state.backend && !state.backend.messageDetail) {
      polling ??= setInterval(() => void showCounts(), 2000);
      return;
    }
    const messages: MessageView[] = [];
    for (const id in state.messages) if (messages.push(state.messages[id] as MessageView) >= rows()) break;
    setHtml(
      body,
      messages
        .map((m) => {
          const current = messageStateAt(m, now);
          const left = (current === "in-flight" || current === "delayed") && m.visibleAt !== null ? `${((m.visibleAt - now) / 1000).toFixed(1)} s` : "";
          return `<tr><td class="mono">${esc(m.messageId.slice(0, 8))}…</td><td>${m.taskId ?? "–"}</td><td>${esc(m.queue)}</td><td><span class="msg ${current}">${current}</span>${m.consumer === "other-client" && current === "in-flight" ? " (taken by another client)" : ""}</td><td>${m.receiveCount}</td><td>${left}</td></tr>`;
        })
        .join("") || `<tr><td colspan="6" class="empty">The queues are empty.</td></tr>`,
    );
  };
  return draw;
}

/** Asks the server for one message's whole body (`message:body`). */
export type FullBody = (messageId: string) => Promise<Reply<MessageBody>>;

/** Under a call whose bodies were cut to a preview: a button per message that fetches its whole body. */
const wholeBodyButtons = (messageIds: string[]) =>
  messageIds.map((id) => `<p><button type="button" class="full-body" data-message="${esc(id)}">Show the whole body of message ${esc(id.slice(0, 8))}…</button></p><pre class="full-body-text" data-message="${esc(id)}" hidden></pre>`).join("");

/** One call as the wire inspector shows it: who sent it, its target, request and response. */
const callHtml = (c: PlaygroundState["calls"][number]) =>
  `<details open><summary>${esc(c.caller)} → POST / <code>X-Amz-Target: ${esc(c.target)}</code> (${c.durationMs} ms)${c.error ? ` — ${esc(c.error.code)}` : ""}</summary><div class="wire-pair"><pre>${esc(JSON.stringify(c.request, null, 2))}</pre><pre>${esc(JSON.stringify(c.error ?? c.response, null, 2))}</pre></div>${c.bodiesCut ? wholeBodyButtons(c.messageIds) : ""}</details>`;

/** The calls counted since the last reset: how many in all (the folded line), and one button per caller and operation ("other-client ReceiveMessage × 6, 5 empty"). */
function countsHtml(callCounts: PlaygroundState["callCounts"]): { total: string; buttons: string } {
  const keys = Object.keys(callCounts).sort();
  if (keys.length === 0) return { total: "SQS calls since the last reset: none yet", buttons: "" };
  const all = keys.reduce((sum, key) => sum + (callCounts[key]?.calls ?? 0), 0);
  const buttons = keys.map((key) => {
    const { calls, empty } = callCounts[key] ?? { calls: 0, empty: 0 };
    return `<button type="button" class="calls-open" data-calls="${esc(key)}">${esc(key)} × ${calls}${key.endsWith(" ReceiveMessage") ? `, ${empty} empty` : ""}</button>`;
  });
  return { total: `SQS calls since the last reset: ${all} (by caller and action)`, buttons: `Choose one to see the latest: ${buttons.join(" ")}` };
}

/**
 * The newest events first, in the lesson's words; choosing one shows the SQS calls behind it.
 * Bodies in those calls are previews; the learner can ask for a whole one while SQS still holds it.
 */
export function mountTimeline(root: HTMLElement, fullBody: FullBody): (state: PlaygroundState) => void {
  // The heading and the call counts share a line, the counts folded: in the drawer at 768 px their
  // buttons took four of its lines, and the list itself showed about two events.
  root.innerHTML = `<div class="timeline-head"><h2>Timeline</h2><details class="wire-counts"><summary></summary><p></p></details></div><div class="wire" aria-live="polite"></div><ol class="timeline" reversed></ol>`;
  const list = root.querySelector("ol") as HTMLElement;
  const wire = root.querySelector(".wire") as HTMLElement;
  const counts = root.querySelector(".wire-counts") as HTMLDetailsElement;
  const countsTotal = counts.querySelector("summary") as HTMLElement;
  const countsList = counts.querySelector("p") as HTMLElement;
  let latest: PlaygroundState | undefined;
  let countsShown = { total: "", buttons: "" };
  const showCalls = (title: string, calls: PlaygroundState["calls"]) => {
    wire.innerHTML = `<h3>On the wire: ${esc(title)}</h3>` + (calls.length === 0 ? "<p>No SQS call of the playground concerned this event.</p>" : calls.map(callHtml).join(""));
    // The inspector sits above the list: an event chosen far down the list left it out of sight
    // in a short drawer (lesson 2 at 1024×768). Only the panel scrolls: scrollIntoView also
    // scrolled the stage around it (overflow: hidden still scrolls) and cut the drawing's top off.
    root.scrollTop += wire.getBoundingClientRect().top - root.getBoundingClientRect().top;
  };
  // Calls that concern no message (an empty receive) are reached from their count: the latest one of that kind.
  counts.addEventListener("click", (click) => {
    const key = (click.target as HTMLElement).closest<HTMLElement>("[data-calls]")?.dataset.calls;
    const call = latest?.calls.findLast((c) => `${c.caller} ${c.operation}` === key);
    if (key && call) showCalls(`the latest ${key} call`, [call]);
  });
  wire.addEventListener("click", async (click) => {
    const button = (click.target as HTMLElement).closest<HTMLButtonElement>("button.full-body");
    const messageId = button?.dataset.message;
    const out = [...wire.querySelectorAll<HTMLElement>("pre.full-body-text")].find((pre) => pre.dataset.message === messageId);
    if (!button || !messageId || !out) return;
    button.disabled = true;
    const reply = await fullBody(messageId).catch((error: unknown) => ({ error: { code: "Unreachable", message: String(error) } }));
    button.disabled = false;
    out.hidden = false;
    out.textContent = "data" in reply ? reply.data.body : `${reply.error.code}: ${reply.error.message}`;
  });
  list.addEventListener("click", (click) => {
    const seq = Number((click.target as HTMLElement).closest("[data-seq]")?.getAttribute("data-seq"));
    const event = latest?.timeline.find((e) => e.seq === seq);
    if (!latest || !event) return;
    showCalls(describe(event), callsFor(latest, event));
  });
  // Items are added and trimmed, never redrawn, so a button keeps its focus while events flow.
  let shownUpTo = -1;
  const item = (e: FlowEvent) => `<li class="ev ${e.type.replace(".", "-")}"${isHeartbeatEvent(e) ? ` data-heartbeat="${esc(heartbeatKey(e))}"` : ""}><button type="button" class="ev-open" data-seq="${e.seq}"><time>${new Date(e.at).toLocaleTimeString()}</time> <span class="ev-text">${esc(describe(e))}</span></button></li>`;
  // Only the texts change, never the nodes: a click whose press and release land on a node swapped
  // out in between is not a click on the button at all.
  const refreshRow = (row: HTMLElement, e: FlowEvent) => {
    const button = row.querySelector<HTMLButtonElement>("button.ev-open");
    const time = button?.querySelector("time");
    const text = button?.querySelector(".ev-text");
    if (!button || !time || !text) return;
    button.dataset.seq = String(e.seq);
    const at = new Date(e.at).toLocaleTimeString();
    if (time.textContent !== at) time.textContent = at;
    const words = describe(e);
    if (text.textContent !== words) text.textContent = words;
  };
  return (state) => {
    latest = state;
    const shown = countsHtml(state.callCounts);
    if (shown.total !== countsShown.total) countsTotal.textContent = shown.total;
    if (shown.buttons !== countsShown.buttons) countsList.innerHTML = shown.buttons;
    countsShown = shown;
    const newest = state.timeline.at(-1)?.seq ?? -1;
    const oldest = state.timeline[0]?.seq ?? 0;
    if (newest === shownUpTo) return;
    if (newest < shownUpTo || shownUpTo < oldest - 1) {
      list.innerHTML = state.timeline.slice(-ROWS).reverse().map(item).join("");
    } else {
      const fresh = state.timeline.filter((e) => e.seq > shownUpTo).slice(-ROWS);
      // The calls shown were the old world's: after a reset "On the wire: … task 196 deleted" stayed for lessons.
      if (fresh.some((e) => e.type === "world.reset")) wire.innerHTML = "";
      // A beat that took the place of the one before it in the timeline does so in the list too,
      // by updating that row in place: a row replaced at every beat would swallow a click that
      // lands while it is being swapped (and lose its focus).
      const top = list.firstElementChild as HTMLElement | null;
      const first = fresh[0];
      if (top?.dataset.heartbeat !== undefined && first && isHeartbeatEvent(first) && heartbeatKey(first) === top.dataset.heartbeat) {
        refreshRow(top, first);
        fresh.shift();
      }
      list.insertAdjacentHTML("afterbegin", fresh.reverse().map(item).join(""));
      while (list.children.length > ROWS) list.lastElementChild?.remove();
    }
    shownUpTo = newest;
  };
}
