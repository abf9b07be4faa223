import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, QueueView, ServerToClientEvents, Snapshot } from "../../common/events.js";
import { RunRecording } from "../../common/run.js";
import { getJson } from "./api.js";
import { RedrivePolicies, type QueueUrls } from "./redrivePolicies.js";
import { controlCredential } from "./presenter.js";
import { restartWhenQuiet } from "./recordingLimit.js";
import { ClientStore } from "./store.js";
import { mountChaos, type ChaosPanel } from "./views/chaos.js";
import { atMostEvery } from "./throttle.js";
import { mountChart } from "./views/chart.js";
import { mountConnection } from "./views/connection.js";
import { mountDock } from "./views/dock.js";
import { mountFollow } from "./views/follow.js";
import { mountNarration } from "./views/narration.js";
import { functionLog } from "./views/functionLog.js";
import { mountNotebook } from "./views/notebook.js";
import { mountPaceControl } from "./views/paceControl.js";
import { mountQueue, mountTasks, mountTimeline } from "./views/panels.js";
import { mountPresenter, type Presenter } from "./views/presenter.js";
import { followStepChanges } from "./views/stepFocus.js";
import { mountStepRelease } from "./views/stepRelease.js";
import { mountTerminal } from "./views/terminal.js";
import { mountTimeTravel, type Draw, type TimeTravel } from "./views/timeTravel.js";
import { mountVisualizer } from "./views/visualizer.js";
import "./style.css";

const part = (name: string) => document.querySelector(`[data-view="${name}"]`) as HTMLElement;
const params = new URLSearchParams(location.search);
const following = params.has("follow");
const store = new ClientStore();
// Every event since the page connected, for time travel, the lesson pace and export; restarted
// from a fresh snapshot when it grows past 50,000 events (a long burst-heavy session): in the
// next quiet second, or at once past 75,000 (client/src/recordingLimit.ts).
const recording = new RunRecording({ seq: 0, tasks: [], queues: [], events: [] });

const dock = mountDock(document.querySelector(".dock") as HTMLElement);
// Each queue's maxReceiveCount, shared by the drawing and the sentence under it ("receive 2 of 3").
const policies = new RedrivePolicies();
const visualizer = mountVisualizer(part("visualizer"), mountStepRelease(part("step-release")), policies);
const narration = mountNarration(part("narration"), policies);
/**
 * A drawer's view drawn only while its tab is shown, and at once with the latest state when the
 * tab is chosen. A burst rewrote the hidden timeline's list thousands of times (and its tables
 * four times a second) for nobody to see; a hidden panel now costs nothing.
 */
function whileShown<Args extends unknown[]>(tab: string, view: (...args: Args) => void): (...args: Args) => void {
  let latest: Args | undefined;
  const shown = () => dock.size !== "closed" && dock.tab === tab;
  dock.onChange(() => {
    if (shown() && latest) view(...latest);
  });
  return (...args) => {
    latest = args;
    if (shown()) view(...args);
  };
}
// Tables are read, not watched frame by frame: four redraws a second keep a burst cheap.
const tasks = whileShown("tasks", atMostEvery(250, mountTasks(part("tasks"))));
const queue = whileShown("queue", atMostEvery(250, mountQueue(part("queue"), async () => (await fetch("/api/queues")).json() as Promise<QueueView[]>)));
const timeline = whileShown(
  "timeline",
  atMostEvery(
    250,
    mountTimeline(part("timeline"), (messageId) => new Promise((resolve) => socket.emit("message:body", { messageId }, resolve))),
  ),
);
const chaosPanel = mountChaos(part("chaos"), { readOnly: following });
// The presenter's `f` opens the chaos tab with the panel unfolded.
const chaos: ChaosPanel = {
  update: (state) => chaosPanel.update(state),
  toggle: () => {
    if (dock.tab !== "chaos") dock.open("chaos");
    chaosPanel.toggle();
  },
};
const terminal = mountTerminal(part("terminal"));
// The terminal's own switch sits in the drawer's tab row while the terminal is shown, so the
// terminal keeps every pixel of its drawer for rows. Choosing the tab starts the shell: one click, not two.
const screenReaderSwitch = part("terminal").querySelector(".term-sr") as HTMLElement;
document.querySelector(".dock-tools")?.prepend(screenReaderSwitch);
const showTerminalTools = () => {
  screenReaderSwitch.hidden = dock.tab !== "terminal";
  if (dock.tab === "terminal") void terminal.open();
};
dock.onChange(showTerminalTools);
showTerminalTools();
mountChart(part("chart"), () => store.state);
// "receive 2 of 3": each queue's maxReceiveCount as SQS holds it, read at every (re)connect; a
// change after that arrives as a queue.redrive-policy event, which the drawing and narration read.
const readMaxReceives = () =>
  void getJson<{ queues: QueueUrls & { maxReceiveCount?: number; fifoMaxReceiveCount?: number | null } }>("/health").then((health) => {
    const { maxReceiveCount, fifoMaxReceiveCount } = health.queues;
    if (maxReceiveCount === undefined) return;
    policies.know(health.queues, maxReceiveCount, fifoMaxReceiveCount ?? null);
    visualizer.policiesChanged();
  }, () => undefined);

// The live drawing follows the lesson pace: events reach it one step at a time (views/paceControl.ts).
const pace = mountPaceControl(part("pace"), {
  recording,
  live: () => store.state,
  show: (state, shown, burst, now) => {
    visualizer(state, shown, now);
    narration(shown, burst);
    if (shown.length > 0) notebook?.onDrawn();
  },
});

let presenter: Presenter | undefined;
let notebook: Awaited<ReturnType<typeof mountNotebook>> | undefined;
let shownSeq: number | null = null;
let travel: TimeTravel | undefined;
const draw: Draw = (state, fresh, now) => {
  if (travel?.live !== false && pace.pacing) pace.redraw();
  else {
    pace.flush();
    visualizer(state, fresh, now);
    narration(fresh);
  }
  tasks(state);
  queue(state, now);
  timeline(state);
  chaos.update(state);
  presenter?.update(state);
};
travel = mountTimeTravel(part("time-travel"), {
  recording,
  draw,
  onMove: (seq) => {
    shownSeq = seq;
    presenter?.announce();
  },
});
store.onRender((state, fresh) => travel.onLive(state, fresh));

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ["websocket"], auth: { presenter: controlCredential() } });
const connection = mountConnection(document.querySelector(".connection") as HTMLElement, document.querySelector(".connection-banner") as HTMLElement);
socket.on("connect", () => connection.connected());
socket.on("disconnect", (reason) => {
  connection.lost(reason === "io server disconnect" ? "The server closed the connection." : "The server does not answer (stopped, restarted or unreachable).");
  // A connection the server closed is not retried by Socket.IO on its own.
  if (reason === "io server disconnect") socket.connect();
});
// A refusal the server explains (TooManyConnections): say it; socket.io does not retry those.
socket.on("connect_error", (error) => {
  const refusal = (error as Error & { data?: { code?: string; message?: string } }).data;
  if (!refusal?.message) return;
  connection.refused(refusal.code ?? "Refused", refusal.message);
});
const backend = document.querySelector(".backend") as HTMLElement;
let firstSnapshot = true;
// One snapshot asked for at a time: until the answer comes, every batch of a burst is still over
// the limit, and each extra request would cost the server a snapshot of every task and the page
// the parsing of it (megabytes after a 10,000-task burst).
const recordingLimit = restartWhenQuiet({
  soft: 50_000,
  hard: 75_000,
  quietMs: 1000,
  restart: () =>
    socket.emit("snapshot:get", (reply) => {
      recordingLimit.done();
      if ("data" in reply) {
        recording.restart(reply.data);
        pace.flush();
      }
    }),
});
// Every connect brings a snapshot: after a reconnect it re-syncs the page without a reload.
socket.on("snapshot", (snapshot) => {
  // A reconnect: an answer asked for before it will not come.
  recordingLimit.done();
  if (firstSnapshot) recording.restart(snapshot);
  else recording.resume(snapshot);
  firstSnapshot = false;
  pace.flush();
  store.load(snapshot);
  // A reload or reconnect rebuilds the function log from the recent events (each is folded once).
  functionLog.fold(snapshot.events);
  readMaxReceives();
  backend.textContent = `${snapshot.backend?.mode ?? "embedded"} backend`;
  showOmitted(snapshot.omitted);
});
/** A snapshot is at most about a megabyte: tell the learner what it left out (older tasks and events are not shown). */
const showOmitted = (omitted: Snapshot["omitted"]) => {
  const parts = omitted ? ([[omitted.tasks, "older tasks"], [omitted.events, "older events"], [omitted.messages, "queued messages"]] as const).filter(([n]) => n > 0) : [];
  backend.title = parts.length ? `where SQS and Lambda run. Not shown (the page's start-up data is capped at ${Math.round((omitted?.budgetBytes ?? 0) / 1024)} KiB): ${parts.map(([n, what]) => `${n} ${what}`).join(", ")}` : "where SQS and Lambda run";
  if (parts.length) backend.textContent += ` · ${parts.map(([n, what]) => `${n} ${what}`).join(", ")} not shown`;
};
socket.on("events", (events) => {
  const fresh = recording.record(events);
  store.apply(events);
  // A rewound view stays where it is; back at live, it shows the live state at once.
  if (travel.live) pace.arrive(fresh);
  recordingLimit.seen(recording.length);
});

const showPresenter = (on: boolean) => {
  presenter ??= mountPresenter(part("presenter-bar"), { socket, chaos, shownSeq: () => shownSeq, stepWaiting: () => store.state.stepMode.paused.length > 0 });
  document.body.classList.toggle("presenter", on);
  part("presenter-bar").hidden = !on;
  toggle.setAttribute("aria-pressed", String(on));
  if (on) presenter.announce();
};
const toggle = document.querySelector(".presenter-toggle") as HTMLButtonElement;
if (following) {
  toggle.hidden = true;
  mountFollow(document.querySelector(".follow-badge") as HTMLElement, { socket, goToSeq: (seq) => travel.goToSeq(seq) });
} else {
  toggle.addEventListener("click", () => showPresenter(!document.body.classList.contains("presenter")));
  if (params.has("presenter")) showPresenter(true);
}

// Countdowns and "back in" times move even when no event arrives.
setInterval(() => {
  if (Object.values(store.state.messages).some((m) => m.state === "in-flight" || m.state === "delayed")) store.schedule();
}, 250);

// A block that sends the terminal a command opens it in the stage, tall enough to read, and gives it the keyboard.
// On the next part the drawer shrinks back, unless the learner sized it themselves: left tall, it
// kept the flow drawing at a fifth of the stage through the step-by-step walk that follows.
// The drill's experiment shrinks it back too, once its command has run, so the drawing is large
// again for the rest of the experiment.
let grownByLesson = false;
dock.onChange(() => (grownByLesson &&= dock.size === "tall"));
const terminalDone = () => {
  if (grownByLesson) dock.open(dock.tab ?? "terminal", "open");
};
window.addEventListener("hashchange", terminalDone);
// Writing code in a cell wants the lesson column back: the tall drawer docked under it (lab 1 runs a
// command, then has the learner deploy) left the editor one or two lines at 1024×768.
document.addEventListener("focusin", (event) => {
  if (event.target instanceof Element && event.target.closest(".block.handler .cm-editor")) terminalDone();
});
const runInTerminal = async (command: string) => {
  dock.open("terminal", "tall");
  grownByLesson = true;
  await terminal.type(command);
  terminal.focus();
};
// Watching before the notebook mounts, so a move is seen before the notebook draws its step.
followStepChanges(part("notebook"), document.querySelector(".step-announcer") as HTMLElement);
// A check's ✓ waits until the drawing has shown the event that made it true (arrived, and played
// at the lesson pace); a rewound view does not draw the live world, so it does not hold it back.
const drawnThrough = (seq: number) => seq <= store.state.seq && (travel?.live === false || pace.shownThrough(seq));
notebook = await mountNotebook(part("notebook"), { runInTerminal: (command) => void runInTerminal(command), terminalDone, drawingBehind: () => pace.behind, drawnThrough, stepMode: () => store.state.stepMode });
store.onRender((_state, fresh) => {
  if (fresh.length > 0) functionLog.fold(fresh);
  if (fresh.length > 0) notebook.onStateChange();
});
presenter?.announce();
document.body.dataset.ready = "true";
