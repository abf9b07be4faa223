import type { MessageView } from "../../../common/state.js";
import { cardWords } from "../cardWords.js";

const NS = "http://www.w3.org/2000/svg";

export interface CardGrid {
  /** Where the first card's top-left corner is, in the drawing's units. */
  x: number;
  y: number;
  columns: number;
  rows: number;
  width: number;
  height: number;
  gap: number;
}

interface Slot {
  group: SVGGElement;
  frame: SVGRectElement;
  countdown: SVGRectElement;
  lines: SVGTextElement[];
  title: SVGTitleElement;
  /** What the slot shows now, so a redraw writes to the DOM only what changed. */
  shown: string;
}

/**
 * A queue's messages as cards a person can read: the task, "receive 2 of 3", and what the
 * message is doing ("in flight · 3 s left", a bar shrinking with its visibility timeout;
 * "visible · waiting"; "dead-lettered"). The cards are a fixed set of SVG nodes made once and
 * updated in place: rewriting the layer ten times a second in a burst replaced every node, and
 * each replacement cost a style, layout and paint pass.
 */
export function mountCardLayer(layer: SVGGElement, grid: CardGrid, caption: { x: number; y: number }): (messages: readonly MessageView[], now: number, maxReceivesOf: (queue: string) => number | null, text: string) => void {
  const slots: Slot[] = [];
  for (let i = 0; i < grid.columns * grid.rows; i++) {
    const x = grid.x + (i % grid.columns) * (grid.width + grid.gap);
    const y = grid.y + Math.floor(i / grid.columns) * (grid.height + grid.gap);
    const group = svg("g", { class: "card" });
    const frame = svg("rect", { x, y, width: grid.width, height: grid.height, rx: 6 });
    const countdown = svg("rect", { class: "countdown", x: x + 4, y: y + grid.height - 9, width: 0, height: 5 });
    const title = document.createElementNS(NS, "title");
    const lineCount = grid.height >= 66 ? 3 : 2;
    const lines = Array.from({ length: lineCount }, (_, n) => svg("text", { x: x + 8, y: y + 24 + n * 24, class: n === 0 ? "card-task" : "card-line" }));
    group.append(title, frame, ...lines, countdown);
    group.style.display = "none";
    slots.push({ group, frame, countdown, lines, title, shown: "" });
    layer.append(group);
  }
  const captionText = svg("text", { x: caption.x, y: caption.y, class: "caption", "text-anchor": "middle" });
  layer.append(captionText);

  return (messages, now, maxReceivesOf, text) => {
    slots.forEach((slot, i) => {
      const m = messages[i];
      const words = m ? cardWords(m, now, maxReceivesOf(m.queue)) : null;
      const key = words ? words.lines.join("|") + words.state : "";
      if (words) {
        // The bar runs down in steps of 2 %: finer steps are not seen and each one is a repaint.
        const width = String(Math.round(Math.round(words.left * 50) / 50 * (Number(slot.frame.getAttribute("width")) - 8)));
        if (slot.countdown.getAttribute("width") !== width) slot.countdown.setAttribute("width", width);
      }
      if (key === slot.shown) return;
      if ((slot.shown === "") !== (key === "")) slot.group.style.display = key ? "" : "none";
      slot.shown = key;
      if (!words) return;
      slot.group.setAttribute("class", `card ${words.state}`);
      // Two-line cards (the dead-letter queue) say the state on their second line.
      const lines = slot.lines.length === 3 ? words.lines : [words.lines[0], `${words.lines[2]} · ${words.lines[1]}`];
      slot.lines.forEach((line, n) => {
        if (line.textContent !== lines[n]) line.textContent = lines[n] ?? "";
      });
      slot.title.textContent = words.lines.join(", ");
    });
    if (captionText.textContent !== text) captionText.textContent = text;
  };
}

/** One SVG element with its attributes (shared by the drawing's layers). */
export function svg<K extends "g" | "rect" | "text">(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}
