// The fixed part of the flow drawing: where each station sits, the arrows between them and the six
// numbered steps. Labels sit beside their lines, never on them (the grid below is laid out so
// that no line crosses a label or a station). Its shape (900×680) is set by its smallest text:
// every word is at least 18 units tall, and a 1024 px window gives the drawing about 626 px of
// width, so 900 units wide keeps that text at 12 px or more; 680 tall keeps it near the
// presenter's 1024×768 projector shape, where it fills most of the screen.
import type { StepNumber } from "../stepWords.js";

export const WIDTH = 900;
export const HEIGHT = 680;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The stations, in the drawing's units. The queues are large: their messages are drawn inside as cards. */
export const BOX = {
  api: { x: 6, y: 40, w: 84, h: 80 },
  db: { x: 6, y: 440, w: 190, h: 232 },
  sqs: { x: 232, y: 20, w: 372, h: 372 },
  trigger: { x: 694, y: 40, w: 186, h: 92 },
  handler: { x: 694, y: 200, w: 186, h: 220 },
  dlq: { x: 232, y: 496, w: 372, h: 176 },
} satisfies Record<string, Box>;

export type Station = keyof typeof BOX;

type Point = { x: number; y: number };

/** The trips a dot makes: one per arrow of the flow, and a receive by a client other than the trigger. */
export type Trip = "insert" | "send" | "sendFailed" | "receive" | "receiveElsewhere" | "invoke" | "update" | "delete" | "deadLetter";

/**
 * Where a travelling dot starts and stops for each kind of trip: along the trip's arrow, from one
 * station's edge to the other's. A dot stopping at a station's centre covered its name ("trigger").
 */
export const TRIP: Record<Trip, [from: Point, to: Point]> = {
  insert: [{ x: 48, y: 132 }, { x: 48, y: 428 }],
  send: [{ x: 102, y: 66 }, { x: 220, y: 66 }],
  // A SendMessage that failed gets as far as step 2's badge: no message reaches the queue.
  sendFailed: [{ x: 102, y: 66 }, { x: 140, y: 66 }],
  receive: [{ x: 614, y: 62 }, { x: 682, y: 62 }],
  receiveElsewhere: [{ x: 418, y: 10 }, { x: 48, y: 10 }],
  invoke: [{ x: 787, y: 142 }, { x: 787, y: 188 }],
  update: [{ x: 787, y: 466 }, { x: 210, y: 466 }],
  delete: [{ x: 682, y: 108 }, { x: 614, y: 108 }],
  deadLetter: [{ x: 418, y: 402 }, { x: 418, y: 484 }],
};

/** Where each numbered step is drawn (its badge) and the words beside it. */
const BADGE: Record<StepNumber, { x: number; y: number; label: string[]; lx: number; ly: number; anchor: "start" | "middle" }> = {
  1: { x: 48, y: 270, label: ["insert task", "(pending)"], lx: 74, ly: 264, anchor: "start" },
  2: { x: 161, y: 66, label: ["SendMessage"], lx: 161, ly: 104, anchor: "middle" },
  3: { x: 260, y: 50, label: [], lx: 0, ly: 0, anchor: "start" },
  4: { x: 649, y: 62, label: ["receive"], lx: 649, ly: 34, anchor: "middle" },
  5: { x: 664, y: 466, label: ["update task"], lx: 664, ly: 502, anchor: "middle" },
  6: { x: 649, y: 108, label: ["delete"], lx: 649, ly: 148, anchor: "middle" },
};

/** Which station a step waits at in step mode. */
export const STEP_STATION: Record<string, Station> = { insert: "api", send: "api", receive: "sqs", invoke: "trigger", update: "handler", delete: "trigger" };

/** Each station's name, one line or two (a box is 186 wide: "Lambda trigger" does not fit on one). */
const TITLE: Record<Station, string[]> = { api: ["API"], db: ["Database"], sqs: ["SQS  interview-queue"], trigger: ["Lambda", "trigger"], handler: ["Handler"], dlq: ["Dead-letter queue"] };

function station(name: Station): string {
  const { x, y, w, h } = BOX[name];
  // Step 3 is the queue itself: its number sits in its title.
  const indent = name === "sqs" ? 50 : 12;
  // The trigger says when it is off (Enabled false): its pollers stop and messages wait in the queue.
  const off = name === "trigger" ? `<text class="trigger-off" x="${x + w - 12}" y="${y + 66}" text-anchor="end">off</text>` : "";
  return `<g class="station ${name}" data-station="${name}"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10"/><text class="title" x="${x + indent}" y="${y + 36}">${TITLE[name].map((words, i) => `<tspan x="${x + indent}" dy="${i === 0 ? 0 : 30}">${words}</tspan>`).join("")}</text>${off}</g>`;
}

function badge(step: StepNumber): string {
  const b = BADGE[step];
  const words = b.label.map((line, i) => `<tspan x="${b.lx}" dy="${i === 0 ? 0 : 23}">${line}</tspan>`).join("");
  return `<g class="step-badge" data-step="${step}"><circle cx="${b.x}" cy="${b.y}" r="17"/><text class="num" x="${b.x}" y="${b.y + 7}" text-anchor="middle">${step}</text>${words ? `<text class="label" x="${b.lx}" y="${b.ly}" text-anchor="${b.anchor}">${words}</text>` : ""}</g>`;
}

const line = (points: [number, number][], extra = "") => `<polyline points="${points.map((p) => p.join(",")).join(" ")}" marker-end="url(#arrow)" ${extra}/>`;

/** The drawing's static SVG: arrows under stations, stations, then the numbered steps on top. */
export function drawingMarkup(): string {
  const arrows = [
    line([[48, 4], [48, 38]]), // the client's POST /tasks into the API
    line([[48, 120], [48, 438]]), // 1: insert
    line([[90, 66], [230, 66]], 'class="send-line"'), // 2: SendMessage
    line([[604, 62], [692, 62]]), // 4: receive
    line([[787, 132], [787, 198]]), // 4: invoke
    line([[787, 420], [787, 466], [198, 466]]), // 5: update task
    line([[694, 108], [606, 108]]), // 6: delete
    line([[418, 392], [418, 494]], 'class="to-dlq"'), // 6: after maxReceiveCount receives
  ].join("");
  return `
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>
    <g class="arrows">${arrows}</g>
    <text class="edge-label" x="60" y="24">POST /tasks</text>
    <text class="edge-label" x="800" y="172">invoke</text>
    <text class="edge-label dlq-label" x="432" y="422">after maxReceiveCount receives</text>
    <text class="edge-label dlq-label-second" x="432" y="446">(step 6, on failure)</text>
    <g class="stations">${(Object.keys(BOX) as Station[]).map(station).join("")}</g>
    <g class="badges">${([1, 2, 3, 4, 5, 6] as StepNumber[]).map(badge).join("")}</g>`;
}
