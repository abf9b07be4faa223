/** The drawing's coordinate space (the visualizer's viewBox). */
const WIDTH = 1000;
const HEIGHT = 320;
const RADIUS = 7;
const TRAVEL_MS = 450;

/** Start a dot from one point of the drawing to another; false when all dots are travelling already. */
export type Travel = (from: { x: number; y: number }, to: { x: number; y: number }, kind: string) => boolean;

/**
 * The dots that travel between stations: HTML elements laid over the SVG drawing and moved by
 * transform animations, which the compositor runs without the page's main thread. As SVG circles
 * they needed a style, layout and paint pass of the drawing on every frame of a burst. At most
 * `max` travel at once (made once, reused); a dot asked for when all are busy is not drawn.
 */
export function mountTravelLayer(overlay: HTMLElement, drawing: SVGSVGElement, max: number): Travel {
  // Where the viewBox sits in the element (it keeps its aspect ratio, centred: preserveAspectRatio's default).
  let scale = 1;
  let offset = { x: 0, y: 0 };
  new ResizeObserver(([entry]) => {
    if (!entry) return;
    const { width, height } = entry.contentRect;
    scale = Math.min(width / WIDTH, height / HEIGHT) || 1;
    offset = { x: (width - WIDTH * scale) / 2, y: (height - HEIGHT * scale) / 2 };
    overlay.style.setProperty("--dot", `${2 * RADIUS * scale}px`);
  }).observe(drawing);

  const resting: HTMLElement[] = [];
  for (let i = 0; i < max; i++) {
    const dot = document.createElement("div");
    overlay.append(dot);
    resting.push(dot);
  }
  const place = (at: { x: number; y: number }) => `translate(${offset.x + (at.x - RADIUS) * scale}px, ${offset.y + (at.y - RADIUS) * scale}px)`;

  return (from, to, kind) => {
    const dot = resting.pop();
    if (!dot) return false;
    dot.className = `travel-dot ${kind}`;
    const motion = dot.animate([{ transform: place(from) }, { transform: place(to) }], { duration: TRAVEL_MS, easing: "ease-in-out" });
    motion.onfinish = () => {
      dot.className = "";
      resting.push(dot);
    };
    return true;
  };
}
