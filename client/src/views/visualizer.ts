import type { FlowEvent } from "../../../common/events.js";
import { messageStateAt, tasksByStatus, type MessageView, type PlaygroundState } from "../../../common/state.js";
import { deadCaption } from "../cardWords.js";
import type { RedrivePolicies } from "../redrivePolicies.js";
import { deadLetterRule, deadLetterSecondLine, isPurge, stepOf } from "../stepWords.js";
import { BOX, drawingMarkup, HEIGHT, STEP_STATION, TRIP, WIDTH, type Trip } from "./flowDrawing.js";
import { lanesOf, mountGroupLanes } from "./groupLanes.js";
import { handlerFaultMark, sendFaultLines } from "./faultMarks.js";
import { handlerStationLines, type Line } from "./handlerLines.js";
import type { StepRelease } from "./stepRelease.js";
import { mountCardLayer } from "./tokenLayer.js";
import { mountTravelLayer } from "./travelLayer.js";

const MAX_TRAVELLING = 40;
/**
 * In a burst, at most this many dots travel at once. Each travelling dot is an animation, and
 * while any runs Chromium draws the page's frames at 60 a second (its main thread ticks the
 * animations' timing, a style pass each frame); forty dots at once made a burst's frames the page's
 * long tasks on a busy 2-core machine. Four still show the traffic; the counts and cards say how much.
 */
const BURST_DOTS = 4;
const REDRAW_MS = 200;
/** A draw with at most this many new events is drawn at once (a paced step); more (a burst) waits its turn. */
const AT_ONCE_MAX = 50;
const STATUSES = ["pending", "processing", "completed", "failed"] as const;
const QUEUE_CARDS = { x: BOX.sqs.x + 10, y: BOX.sqs.y + 56, columns: 2, rows: 3, width: 172, height: 88, gap: 8 };
/** FIFO group lanes take the queue's lower two card rows while FIFO messages wait. */
const LANES = { x: QUEUE_CARDS.x, y: QUEUE_CARDS.y + QUEUE_CARDS.height + QUEUE_CARDS.gap, width: BOX.sqs.w - 20, lanes: 4, laneHeight: 40 };
const DEAD_CARDS = { x: BOX.dlq.x + 10, y: BOX.dlq.y + 52, columns: 2, rows: 1, width: 172, height: 88, gap: 8 };

export interface Visualizer {
  /** Draw `state` as it is at `now` (epoch ms); `fresh` are the events that led there, animated. */
  (state: PlaygroundState, fresh: FlowEvent[], now?: number): void;
  /** The queues' redrive policies are known or changed (GET /health at a connect): cards then say "receive 2 of 3". */
  policiesChanged(): void;
}

/**
 * The flow drawing: six stations (API, database, SQS, Lambda trigger, handler, dead-letter queue)
 * with the lesson's six steps numbered on them, the messages as cards inside the queues, the
 * handler's batches, and a dot travelling for each event. What it shows is a function of the
 * state it is given (the live fold, a paced one, or a rewound one) and the events that led there.
 * In step mode the waiting station is outlined, and `release` (under the drawing) is handed the
 * same state, so its Release button never names another step than the drawing shows waiting.
 */
export function mountVisualizer(root: HTMLElement, release: StepRelease, policies: RedrivePolicies): Visualizer {
  root.innerHTML = `
    <h2 class="visually-hidden">The flow, live</h2>
    <div class="viz-box"><svg class="viz" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="The six steps of the flow: the API, the database, the SQS queue with its messages, the Lambda trigger, the handler and the dead-letter queue">
      ${drawingMarkup()}
      <g class="db-counts"></g><g class="queue-cards"></g><g class="group-lanes"></g><g class="dlq-cards"></g><g class="handler-batches"></g>
      <g class="fault-marks"><text class="handler-fault" x="${WIDTH - 20}" y="16" text-anchor="end"></text><g class="send-fault"></g></g>
    </svg><div class="viz-travel" aria-hidden="true"></div></div>`;
  const svg = root.querySelector("svg") as SVGSVGElement;
  pinSize(svg, root.querySelector(".viz-box") as HTMLElement);
  const layer = (name: string) => svg.querySelector(`.${name}`) as SVGGElement;
  const triggerStation = svg.querySelector(".station.trigger") as SVGGElement;
  const queueCards = mountCardLayer(layer("queue-cards"), QUEUE_CARDS, { x: BOX.sqs.x + BOX.sqs.w / 2, y: BOX.sqs.y + BOX.sqs.h - 12 });
  const deadCards = mountCardLayer(layer("dlq-cards"), DEAD_CARDS, { x: BOX.dlq.x + BOX.dlq.w / 2, y: BOX.dlq.y + BOX.dlq.h - 12 });
  const groupLanes = mountGroupLanes(layer("group-lanes"), LANES);
  const travel = mountTravelLayer(root.querySelector(".viz-travel") as HTMLElement, svg, MAX_TRAVELLING, { width: WIDTH, height: HEIGHT });
  const maxReceivesOf = (queue: string) => policies.of(queue);
  let currentStep: number | null = null;

  const dbLines = textLines(layer("db-counts"), BOX.db.x + 12, STATUSES.map((_, i) => BOX.db.y + 78 + i * 38));
  const handlerLines = textLines(layer("handler-batches"), BOX.handler.x + 12, [0, 1, 2, 3, 4, 5].map((n) => BOX.handler.y + 70 + n * 27));
  // Under the SendMessage arrow's label, centred between the API and the queue.
  const sendFault = textLines(layer("send-fault"), (BOX.api.x + BOX.api.w + BOX.sqs.x) / 2, [0, 1, 2, 3].map((n) => BOX.api.y + 100 + n * 23));
  const handlerFault = svg.querySelector(".handler-fault") as SVGTextElement;
  let handlerFaultShown = "";
  const drawFaults = (state: PlaygroundState) => {
    const mark = handlerFaultMark(state);
    const shown = mark ? `${mark.text}\n${mark.detail}` : "";
    if (shown !== handlerFaultShown) {
      handlerFaultShown = shown;
      // A tooltip with the whole story; the line itself stays short enough for the corner.
      handlerFault.innerHTML = "";
      if (mark) {
        const tip = document.createElementNS("http://www.w3.org/2000/svg", "title");
        tip.textContent = mark.detail;
        handlerFault.append(mark.text, tip);
      }
    }
    const lines = sendFaultLines(state);
    sendFault(lines.map((text) => [text, "fault-line"]));
    svg.classList.toggle("sqs-unreachable", state.faults?.sqsUnavailable === true);
  };
  const drawStationsNow = (state: PlaygroundState, now: number) => {
    const counts = tasksByStatus(state);
    dbLines(STATUSES.map((status) => [`${counts[status]} ${status}`, `count ${status}`]));
    const lanes = lanesOf(Object.values(state.messages));
    const { inQueue, dead, counts: shown } = queueContents(state, now, lanes.length > 0 ? QUEUE_CARDS.columns : undefined);
    groupLanes(lanes, now, maxReceivesOf);
    const hidden = shown.inQueue - shown.inLanes - inQueue.length;
    const waiting = `${shown.visible} visible · ${shown.inFlight} in flight${shown.delayed ? ` · ${shown.delayed} delayed` : ""}${hidden > 0 ? ` (${hidden} more not drawn)` : ""}`;
    queueCards(inQueue, now, maxReceivesOf, shown.inQueue === 0 ? "empty: no message waits" : waiting);
    deadCards(dead, now, maxReceivesOf, deadCaption(shown.dead, dead.length));
    handlerLines(handlerStationLines(state));
    drawFaults(state);
  };
  // The stations' contents are redrawn five times a second at most, except for a draw that shows a
  // few new events (a paced step): that one is drawn at once, and a redraw still waiting is dropped. A waiting redraw holds
  // a state object that the fold keeps changing; drawn late, it showed a later moment than the
  // sentence under the drawing (the lesson pace hands over a state a few events behind live).
  let drawnAt = -Infinity;
  let waiting: [PlaygroundState, number] | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drawStations = (state: PlaygroundState, now: number, atOnce: boolean) => {
    const since = performance.now() - drawnAt;
    if (atOnce || since >= REDRAW_MS) {
      clearTimeout(timer);
      timer = undefined;
      drawnAt = performance.now();
      drawStationsNow(state, now);
      return;
    }
    waiting = [state, now];
    timer ??= setTimeout(() => {
      timer = undefined;
      drawnAt = performance.now();
      if (waiting) drawStationsNow(...waiting);
    }, REDRAW_MS - since);
  };

  const draw = ((state, fresh, now = Date.now()) => {
    // A burst keeps a handful of dots travelling, not forty (BURST_DOTS).
    let dots = fresh.length > AT_ONCE_MAX ? Math.max(0, BURST_DOTS - travel.travelling) : MAX_TRAVELLING;
    // No dot for a step a reset among these events wiped: it would travel through an empty world.
    const wiped = fresh.findLastIndex((event) => event.type === "world.reset");
    for (const [index, event] of fresh.entries()) {
      const route = document.hidden || dots === 0 || index < wiped ? undefined : routeOf(event);
      if (route) {
        if (!travel(...TRIP[route[0]], route[1])) dots = 0;
        else dots -= 1;
      }
      // After a reset no step of the old world stays lit; nor after a purge, which is no step of the flow.
      currentStep = event.type === "world.reset" || isPurge(event) ? null : (stepOf(event) ?? currentStep);
      // The redrive policy changed (a learner's set-queue-attributes, a reset): drawn from here on.
      if (policies.apply(event)) draw.policiesChanged();
    }
    drawStations(state, now, fresh.length > 0 && fresh.length <= AT_ONCE_MAX);

    const waiting = state.stepMode.paused[0];
    const waitAt = waiting ? STEP_STATION[waiting.step] : "";
    for (const el of svg.querySelectorAll(".station")) el.classList.toggle("waiting", el.getAttribute("data-station") === waitAt);
    const triggerOff = state.trigger.state !== null && state.trigger.state !== "enabled";
    if (triggerStation.classList.contains("off") !== triggerOff) triggerStation.classList.toggle("off", triggerOff);
    const lit = waiting ? waiting.stepNumber : currentStep;
    for (const el of svg.querySelectorAll(".step-badge")) el.classList.toggle("current", Number(el.getAttribute("data-step")) === lit);
    release(state.stepMode);
  }) as Visualizer;
  draw.policiesChanged = () => {
    const standard = policies.of(policies.standardQueue);
    for (const el of svg.querySelectorAll(".dlq-label")) el.textContent = deadLetterRule(standard);
    for (const el of svg.querySelectorAll(".dlq-label-second")) el.textContent = deadLetterSecondLine(standard, policies.known(policies.fifoQueue));
  };
  return draw;
}

/**
 * Give the drawing its box's size in pixels, and again whenever the box is resized. Sized in
 * percent, the SVG root was marked "size changed" by every layout of the page around it (a new
 * narration sentence, a line of the lesson), and then laid out every shape and word of the
 * drawing again: 6 ms a time on a quiet machine, most of a burst's long tasks (issue 15). In
 * pixels, a layout of the page leaves the drawing alone unless the box really changed.
 */
function pinSize(svg: SVGSVGElement, box: HTMLElement): void {
  new ResizeObserver(([entry]) => {
    if (!entry) return;
    const { width, height } = entry.contentRect;
    svg.style.width = `${width}px`;
    svg.style.height = `${height}px`;
  }).observe(box);
}

/**
 * Text lines at fixed places, made once and rewritten in place. Replacing the elements (innerHTML)
 * ten times a second in a burst made the browser lay each new SVG text out from scratch.
 */
function textLines(layer: SVGGElement, x: number, ys: number[]): (lines: Line[]) => void {
  const texts = ys.map((y) => {
    const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
    text.setAttribute("x", String(x));
    text.setAttribute("y", String(y));
    layer.append(text);
    return text;
  });
  return (lines) =>
    texts.forEach((text, i) => {
      const [words, className] = lines[i] ?? ["", ""];
      if (text.textContent !== words) text.textContent = words;
      if (text.getAttribute("class") !== className) text.setAttribute("class", className);
    });
}

/** The trip a dot makes for an event (along the arrow of its step) and the dot's kind. */
function routeOf(event: FlowEvent): [Trip, string] | undefined {
  switch (event.type) {
    case "task.created":
      return ["insert", "task"];
    case "message.sent":
      return ["send", "visible"];
    case "message.received":
      return [event.consumer === "lambda-trigger" ? "receive" : "receiveElsewhere", "in-flight"];
    case "lambda.invoked":
      return ["invoke", "in-flight"];
    case "task.updated":
      if (event.from === event.task.status) return event.task.status === "pending" && event.task.sendError ? ["sendFailed", "failed"] : undefined;
      return event.task.status === "completed" || event.task.status === "processing" ? ["update", "task"] : undefined;
    case "message.deleted":
      // A purge is not the trigger's delete: the card just leaves the queue, no dot on the delete arrow.
      return isPurge(event) ? undefined : ["delete", "deleted"];
    case "message.dead-lettered":
      return ["deadLetter", "dead-lettered"];
    default:
      return undefined;
  }
}

/** The messages drawn in each queue (in-flight ones first: they are the ones changing) and how many are in each state, in one pass. */
function queueContents(state: PlaygroundState, now: number, cardLimit?: number) {
  const limit = cardLimit ?? QUEUE_CARDS.columns * QUEUE_CARDS.rows;
  const busy: MessageView[] = [];
  const resting: MessageView[] = [];
  const dead: MessageView[] = [];
  const counts = { inQueue: 0, visible: 0, inFlight: 0, delayed: 0, dead: 0, inLanes: 0 };
  for (const id in state.messages) {
    const m = state.messages[id] as MessageView;
    if (m.state === "dead-lettered") {
      counts.dead += 1;
      if (dead.length < DEAD_CARDS.columns * DEAD_CARDS.rows) dead.push(m);
      continue;
    }
    counts.inQueue += 1;
    const current = messageStateAt(m, now);
    // A FIFO message is drawn in its group's lane, not as a card.
    if (m.queue.endsWith(".fifo")) {
      counts.inLanes += 1;
      if (current === "in-flight") counts.inFlight += 1;
      else if (current === "visible") counts.visible += 1;
      continue;
    }
    if (current === "in-flight") counts.inFlight += 1;
    else if (current === "visible") counts.visible += 1;
    else if (current === "delayed") counts.delayed += 1;
    if (current === "in-flight" && busy.length < limit) busy.push(m);
    else if (current !== "in-flight" && resting.length < limit) resting.push(m);
  }
  return { inQueue: [...busy, ...resting].slice(0, limit), dead, counts };
}
