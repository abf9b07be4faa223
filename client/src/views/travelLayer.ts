const RADIUS = 9;
const TRAVEL_MS = 550;

/** Start a dot from one point of the drawing to another; false when all dots are travelling already. */
export interface Travel {
  (from: { x: number; y: number }, to: { x: number; y: number }, kind: string): boolean;
  /** How many dots are travelling now. */
  readonly travelling: number;
}

/**
 * The dots that travel between stations: HTML elements laid over the SVG drawing and moved by
 * transform animations, which the compositor runs without the page's main thread. As SVG circles
 * they needed a style, layout and paint pass of the drawing on every frame of a burst. At most
 * `max` travel at once (made once, reused); a dot asked for when all are busy is not drawn.
 * A trip (550 ms) is shorter than a step of the lesson pace, so a paced step's dot has arrived
 * before the next one leaves.
 */
export function mountTravelLayer(overlay: HTMLElement, drawing: SVGSVGElement, max: number, size: { width: number; height: number }): Travel {
  // Where the viewBox sits in the element (it keeps its aspect ratio, centred: preserveAspectRatio's default).
  let scale = 1;
  let offset = { x: 0, y: 0 };
  new ResizeObserver(([entry]) => {
    if (!entry) return;
    const { width, height } = entry.contentRect;
    scale = Math.min(width / size.width, height / size.height) || 1;
    offset = { x: (width - size.width * scale) / 2, y: (height - size.height * scale) / 2 };
    overlay.style.setProperty("--dot", `${2 * RADIUS * scale}px`);
  }).observe(drawing);

  const resting: HTMLElement[] = [];
  for (let i = 0; i < max; i++) {
    const dot = document.createElement("div");
    overlay.append(dot);
    resting.push(dot);
  }
  const place = (at: { x: number; y: number }) => `translate(${offset.x + (at.x - RADIUS) * scale}px, ${offset.y + (at.y - RADIUS) * scale}px)`;

  const travel = ((from, to, kind) => {
    const dot = resting.pop();
    if (!dot) return false;
    dot.className = `travel-dot ${kind}`;
    const motion = dot.animate([{ transform: place(from) }, { transform: place(to) }], { duration: TRAVEL_MS, easing: "ease-in-out" });
    motion.onfinish = () => {
      dot.className = "";
      resting.push(dot);
    };
    return true;
  }) as Travel;
  Object.defineProperty(travel, "travelling", { get: () => max - resting.length });
  return travel;
}
