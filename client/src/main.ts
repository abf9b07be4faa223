import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, QueueView, ServerToClientEvents } from "../../common/events.js";
import { presenterToken } from "./presenter.js";
import { ClientStore } from "./store.js";
import { mountChart } from "./views/chart.js";
import { mountNotebook } from "./views/notebook.js";
import { mountQueue, mountTasks, mountTimeline } from "./views/panels.js";
import { mountTerminal } from "./views/terminal.js";
import { mountVisualizer } from "./views/visualizer.js";
import "./style.css";

const part = (name: string) => document.querySelector(`[data-view="${name}"]`) as HTMLElement;
const store = new ClientStore();

const visualizer = mountVisualizer(part("visualizer"));
const tasks = mountTasks(part("tasks"));
const queue = mountQueue(part("queue"), async () => (await fetch("/api/queues")).json() as Promise<QueueView[]>);
const timeline = mountTimeline(part("timeline"));
const terminal = mountTerminal(part("terminal"));
mountChart(part("chart"), () => store.state);
store.onRender((state, fresh) => {
  visualizer(state, fresh);
  tasks(state);
  queue(state);
  timeline(state);
});

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ["websocket"], auth: { presenter: presenterToken() } });
const connection = document.querySelector(".connection") as HTMLElement;
socket.on("connect", () => (connection.textContent = "live"));
socket.on("disconnect", () => (connection.textContent = "reconnecting…"));
const backend = document.querySelector(".backend") as HTMLElement;
socket.on("snapshot", (snapshot) => {
  store.load(snapshot);
  backend.textContent = `${snapshot.backend?.mode ?? "embedded"} backend`;
});
socket.on("events", (events) => store.apply(events));

// Countdown rings and "visible in" times move even when no event arrives.
setInterval(() => {
  if (Object.values(store.state.messages).some((m) => m.state === "in-flight" || m.state === "delayed")) store.schedule();
}, 250);

const notebook = await mountNotebook(part("notebook"), { runInTerminal: (command) => void terminal.type(command) });
store.onRender((_state, fresh) => {
  if (fresh.length > 0) notebook.onStateChange();
});
document.body.dataset.ready = "true";
