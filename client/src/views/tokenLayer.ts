import { messageStateAt, type MessageView } from "../../../common/state.js";

const NS = "http://www.w3.org/2000/svg";
const RING = 2 * Math.PI * 5.5;

interface Slot {
  group: SVGGElement;
  token: SVGCircleElement;
  title: SVGTitleElement;
  ring: SVGCircleElement;
  /** What the slot shows now, so a redraw writes to the DOM only what changed. */
  shown: { visible: boolean; state: string; label: string; ring: string };
}

/**
 * A queue's messages as tokens inside its station, with a caption under them. The tokens are a
 * fixed set of SVG nodes made once and updated in place: rewriting the layer's HTML ten times a
 * second in a burst replaced every node, and each replacement cost a style, layout and paint pass.
 */
export function mountTokenLayer(layer: SVGGElement, at: { x: number; y: number }, max: number): (messages: readonly MessageView[], now: number, caption: string) => void {
  const slots: Slot[] = [];
  for (let i = 0; i < max; i++) {
    const x = at.x - 108 + (i % 24) * 9.4;
    const y = at.y + 12 + Math.floor(i / 24) * 11;
    const group = document.createElementNS(NS, "g");
    const token = svgElement("circle", { cx: x, cy: y, r: 3.6 });
    const title = document.createElementNS(NS, "title");
    token.append(title);
    const ring = svgElement("circle", { class: "countdown", cx: x, cy: y, r: 5.5, transform: `rotate(-90 ${x} ${y})` });
    group.append(token, ring);
    group.style.display = "none";
    ring.style.display = "none";
    slots.push({ group, token, title, ring, shown: { visible: false, state: "", label: "", ring: "" } });
    layer.append(group);
  }
  const text = svgElement("text", { x: at.x, y: at.y + 66, class: "small", "text-anchor": "middle" });
  layer.append(text);

  return (messages, now, caption) => {
    slots.forEach((slot, i) => {
      const m = messages[i];
      const visible = m !== undefined;
      if (slot.shown.visible !== visible) slot.group.style.display = visible ? "" : "none";
      slot.shown.visible = visible;
      if (!m) return;
      const state = messageStateAt(m, now);
      if (slot.shown.state !== state) slot.token.setAttribute("class", `token ${state}`);
      const label = `message ${m.messageId}${m.taskId === null ? "" : ` (task ${m.taskId})`}: ${state}, received ${m.receiveCount}×`;
      if (slot.shown.label !== label) slot.title.textContent = label;
      // The part of the visibility timeout still to run, as a ring closing around the token.
      const ring = state === "in-flight" && m.visibleAt !== null && m.receivedAt !== null ? `${(Math.max(0, Math.min(1, (m.visibleAt - now) / Math.max(1, m.visibleAt - m.receivedAt))) * RING).toFixed(1)} ${RING.toFixed(1)}` : "";
      if (slot.shown.ring !== ring) {
        if ((slot.shown.ring === "") !== (ring === "")) slot.ring.style.display = ring ? "" : "none";
        if (ring) slot.ring.setAttribute("stroke-dasharray", ring);
      }
      slot.shown = { visible, state, label, ring };
    });
    if (text.textContent !== caption) text.textContent = caption;
  };
}

function svgElement<K extends "circle" | "text">(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}
