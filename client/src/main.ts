import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../common/events.js";
import { ClientStore } from "./store.js";
import { atMostEvery } from "./throttle.js";
import { mountChart } from "./views/chart.js";
import { mountNotebook } from "./views/notebook.js";
import { mountQueue, mountTasks, mountTimeline } from "./views/panels.js";
import { mountTerminal } from "./views/terminal.js";
import { mountVisualizer } from "./views/visualizer.js";
import "./style.css";

const part = (name: string) => document.querySelector(`[data-view="${name}"]`) as HTMLElement;
const store = new ClientStore();

const redraw = () => store.schedule();
const visualizer = mountVisualizer(part("visualizer"), redraw);
// Tables are read, not watched frame by frame: four redraws a second keep a burst cheap.
const tasks = atMostEvery(250, mountTasks(part("tasks")), redraw);
const queue = atMostEvery(250, mountQueue(part("queue")), redraw);
const timeline = atMostEvery(250, mountTimeline(part("timeline")), redraw);
const terminal = mountTerminal(part("terminal"));
mountChart(part("chart"), () => store.state);
store.onRender((state, fresh) => {
  visualizer(state, fresh);
  tasks(state);
  queue(state);
  timeline(state);
});

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ["websocket"] });
const connection = document.querySelector(".connection") as HTMLElement;
socket.on("connect", () => (connection.textContent = "live"));
socket.on("disconnect", () => (connection.textContent = "reconnecting…"));
socket.on("snapshot", (snapshot) => store.load(snapshot));
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
