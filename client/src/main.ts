import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, QueueView, ServerToClientEvents } from "../../common/events.js";
import { RunRecording } from "../../common/run.js";
import { presenterToken } from "./presenter.js";
import { ClientStore } from "./store.js";
import { mountChaos } from "./views/chaos.js";
import { atMostEvery } from "./throttle.js";
import { mountChart } from "./views/chart.js";
import { mountFollow } from "./views/follow.js";
import { mountNarration } from "./views/narration.js";
import { mountNotebook } from "./views/notebook.js";
import { mountQueue, mountTasks, mountTimeline } from "./views/panels.js";
import { mountPresenter, type Presenter } from "./views/presenter.js";
import { mountTerminal } from "./views/terminal.js";
import { mountTimeTravel, type Draw } from "./views/timeTravel.js";
import { mountVisualizer } from "./views/visualizer.js";
import "./style.css";

const part = (name: string) => document.querySelector(`[data-view="${name}"]`) as HTMLElement;
const params = new URLSearchParams(location.search);
const following = params.has("follow");
const store = new ClientStore();
// Every event since the page connected, for time travel and export; restarted from a fresh
// snapshot when it grows past this (a long burst-heavy session).
const recording = new RunRecording({ seq: 0, tasks: [], queues: [], events: [] });
const RECORDING_LIMIT = 50_000;

const visualizer = mountVisualizer(part("visualizer"));
// Tables are read, not watched frame by frame: four redraws a second keep a burst cheap.
const tasks = atMostEvery(250, mountTasks(part("tasks")));
const queue = atMostEvery(250, mountQueue(part("queue"), async () => (await fetch("/api/queues")).json() as Promise<QueueView[]>));
const timeline = atMostEvery(250, mountTimeline(part("timeline")));
const narration = mountNarration(part("narration"));
const chaos = mountChaos(part("chaos"), { readOnly: following });
const terminal = mountTerminal(part("terminal"));
mountChart(part("chart"), () => store.state);

let presenter: Presenter | undefined;
let shownSeq: number | null = null;
const draw: Draw = (state, fresh, now) => {
  visualizer(state, fresh, now);
  tasks(state);
  queue(state, now);
  timeline(state);
  chaos.update(state);
  narration(fresh);
  presenter?.update(state);
};
const travel = mountTimeTravel(part("time-travel"), {
  recording,
  draw,
  onMove: (seq) => {
    shownSeq = seq;
    presenter?.announce();
  },
});
store.onRender((state, fresh) => travel.onLive(state, fresh));

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ["websocket"], auth: { presenter: presenterToken() } });
const connection = document.querySelector(".connection") as HTMLElement;
socket.on("connect", () => (connection.textContent = "live"));
socket.on("disconnect", () => (connection.textContent = "reconnecting…"));
const backend = document.querySelector(".backend") as HTMLElement;
let firstSnapshot = true;
// One snapshot asked for at a time: until the answer comes, every batch of a burst is still over
// the limit, and each extra request would cost the server a snapshot of every task and the page
// the parsing of it (megabytes after a 10,000-task burst).
let restarting = false;
socket.on("snapshot", (snapshot) => {
  // A reconnect: an answer asked for before it will not come.
  restarting = false;
  if (firstSnapshot) recording.restart(snapshot);
  else recording.resume(snapshot);
  firstSnapshot = false;
  store.load(snapshot);
  backend.textContent = `${snapshot.backend?.mode ?? "embedded"} backend`;
});
socket.on("events", (events) => {
  recording.record(events);
  store.apply(events);
  if (recording.length <= RECORDING_LIMIT || restarting) return;
  restarting = true;
  socket.emit("snapshot:get", (reply) => {
    restarting = false;
    if ("data" in reply) recording.restart(reply.data);
  });
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

// Countdown rings and "visible in" times move even when no event arrives.
setInterval(() => {
  if (Object.values(store.state.messages).some((m) => m.state === "in-flight" || m.state === "delayed")) store.schedule();
}, 250);

const notebook = await mountNotebook(part("notebook"), { runInTerminal: (command) => void terminal.type(command) });
store.onRender((_state, fresh) => {
  if (fresh.length > 0) notebook.onStateChange();
});
presenter?.announce();
document.body.dataset.ready = "true";
