import type { FlowEvent } from "../../../common/events.js";
import { messageStateAt, tasksByStatus, type MessageView, type PlaygroundState } from "../../../common/state.js";
import { call, esc } from "../api.js";
import { atMostEvery, setHtml } from "../throttle.js";
import { mountTokenLayer } from "./tokenLayer.js";
import { mountTravelLayer } from "./travelLayer.js";

type Station = "client" | "api" | "db" | "sqs" | "lambda" | "dlq";

/** Where each station sits in the 1000×320 drawing (its centre). */
const AT: Record<Station, { x: number; y: number; label: string }> = {
  client: { x: 60, y: 110, label: "Client" },
  api: { x: 200, y: 110, label: "API" },
  db: { x: 340, y: 40, label: "Database" },
  sqs: { x: 540, y: 110, label: "SQS interview-queue" },
  lambda: { x: 850, y: 110, label: "Lambda" },
  dlq: { x: 540, y: 245, label: "Dead-letter queue" },
};
/** Which station each paused step waits at. */
const STEP_STATION: Record<string, Station> = { insert: "db", send: "api", receive: "sqs", invoke: "lambda", update: "db", delete: "sqs" };
const MAX_TOKENS = 48;
const MAX_TRAVELLING = 40;

/** The SVG frame: stations and arrows are drawn once; the dynamic layers are redrawn per frame. */
export function mountVisualizer(root: HTMLElement): (state: PlaygroundState, fresh: FlowEvent[], now?: number) => void {
  root.innerHTML = `
    <div class="viz-head"><h2>The flow, live</h2><div class="viz-step" aria-live="polite"></div></div>
    <div class="viz-box"><svg class="viz" viewBox="0 0 1000 320" role="img" aria-label="The six stations of the flow and the messages moving between them">
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>
      <g class="arrows">${arrow("client", "api")}${arrow("api", "db")}${arrow("api", "sqs")}${arrow("sqs", "lambda")}${arrow("lambda", "db")}${arrow("sqs", "dlq")}</g>
      <g class="stations">${(Object.keys(AT) as Station[]).map(station).join("")}</g>
      <g class="db-counts"></g><g class="queue-tokens"></g><g class="dlq-tokens"></g><g class="lambda-runs"></g>
    </svg><div class="viz-travel" aria-hidden="true"></div></div>`;
  const svg = root.querySelector("svg") as SVGSVGElement;
  const layer = (name: string) => svg.querySelector(`.${name}`) as SVGGElement;
  const stepBox = root.querySelector(".viz-step") as HTMLElement;
  const queueTokens = mountTokenLayer(layer("queue-tokens"), AT.sqs, MAX_TOKENS);
  const deadTokens = mountTokenLayer(layer("dlq-tokens"), AT.dlq, MAX_TOKENS);
  const travel = mountTravelLayer(root.querySelector(".viz-travel") as HTMLElement, svg, MAX_TRAVELLING);

  // The stations' contents are redrawn ten times a second at most; the travelling tokens move every frame.
  const drawStations = atMostEvery(100, (state: PlaygroundState, now: number) => {
    const counts = tasksByStatus(state);
    setHtml(layer("db-counts"), `<text x="${AT.db.x}" y="${AT.db.y + 34}" class="small" text-anchor="middle">${counts.pending} pending · ${counts.processing} processing · ${counts.completed} completed · ${counts.failed} failed</text>`);
    const { inQueue, dead, counts: shown } = queueContents(state, now);
    const more = shown.inQueue > MAX_TOKENS ? ` (+${shown.inQueue - MAX_TOKENS} not drawn)` : "";
    queueTokens(inQueue, now, `${shown.visible} visible · ${shown.inFlight} in flight · ${shown.delayed} delayed${more}`);
    deadTokens(dead, now, `${shown.dead} dead-lettered`);
    const running = Object.values(state.invocations).filter((i) => i.status === "running");
    setHtml(
      layer("lambda-runs"),
      running.slice(0, 20).map((inv, i) => `<rect class="run" x="${AT.lambda.x - 60 + (i % 10) * 12}" y="${AT.lambda.y + 22 + Math.floor(i / 10) * 12}" width="9" height="9"><title>invocation ${esc(inv.invocationId)}: ${inv.messageIds.length} record(s)</title></rect>`).join("") +
        `<text x="${AT.lambda.x}" y="${AT.lambda.y + 62}" class="small" text-anchor="middle">${running.length} running · limit ${state.concurrency.limit || "–"}</text>`,
    );
  });

  // `now` is the moment shown: a rewound view draws countdowns as they were then.
  return (state, fresh, now = Date.now()) => {
    for (const event of fresh) {
      const route = document.hidden ? undefined : routeOf(event);
      if (route && !travel(AT[route[0]], AT[route[1]], route[2])) break;
    }
    drawStations(state, now);

    const waiting = state.stepMode.paused[0];
    for (const el of svg.querySelectorAll(".station")) el.classList.toggle("waiting", el.getAttribute("data-station") === (waiting ? STEP_STATION[waiting.step] : ""));
    const step = state.stepMode.enabled
      ? waiting
        ? `Step mode — waiting before step ${waiting.stepNumber}: ${esc(waiting.detail)} <button type="button" class="next-step">Next ▶</button>`
        : "Step mode — nothing is waiting yet"
      : "";
    if (stepBox.dataset.shown !== step) {
      stepBox.dataset.shown = step;
      stepBox.innerHTML = step;
      stepBox.querySelector(".next-step")?.addEventListener("click", () => void call("POST", "/api/step-mode/next"));
    }
  };
}

function routeOf(event: FlowEvent): [Station, Station, string] | undefined {
  switch (event.type) {
    case "task.created":
      return ["api", "db", "task"];
    case "message.sent":
      return ["api", "sqs", "visible"];
    case "message.received":
      return event.consumer === "lambda-trigger" ? ["sqs", "lambda", "in-flight"] : ["sqs", "client", "in-flight"];
    case "task.updated":
      return event.task.status === "completed" || event.task.status === "processing" ? ["lambda", "db", "task"] : undefined;
    case "message.deleted":
      return ["lambda", "sqs", "deleted"];
    case "message.dead-lettered":
      return ["sqs", "dlq", "dead-lettered"];
    default:
      return undefined;
  }
}

function arrow(from: Station, to: Station): string {
  const a = AT[from];
  const b = AT[to];
  return `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" marker-end="url(#arrow)"/>`;
}

function station(name: Station): string {
  const { x, y, label } = AT[name];
  // Queues are taller: their messages are drawn inside them.
  const queue = name === "sqs" || name === "dlq";
  const width = queue ? 240 : 110;
  const height = queue ? 72 : 44;
  return `<g class="station" data-station="${name}"><rect x="${x - width / 2}" y="${y - 22}" width="${width}" height="${height}" rx="8"/><text x="${x}" y="${y - 4}" text-anchor="middle">${label}</text></g>`;
}

/** The messages drawn in each queue (at most MAX_TOKENS each) and how many are in each state, in one pass over them. */
function queueContents(state: PlaygroundState, now: number) {
  const inQueue: MessageView[] = [];
  const dead: MessageView[] = [];
  const counts = { inQueue: 0, visible: 0, inFlight: 0, delayed: 0, dead: 0 };
  for (const id in state.messages) {
    const m = state.messages[id] as MessageView;
    if (m.state === "dead-lettered") {
      counts.dead += 1;
      if (dead.length < MAX_TOKENS) dead.push(m);
      continue;
    }
    counts.inQueue += 1;
    if (inQueue.length < MAX_TOKENS) inQueue.push(m);
    const current = messageStateAt(m, now);
    if (current === "in-flight") counts.inFlight += 1;
    else if (current === "visible") counts.visible += 1;
    else if (current === "delayed") counts.delayed += 1;
  }
  return { inQueue, dead, counts };
}
