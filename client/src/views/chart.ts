import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { queueCounts, type PlaygroundState } from "../../../common/state.js";

const SAMPLE_MS = 500;
const SAMPLES = 120;

/**
 * Queue depth and concurrency over the last minute, sampled from the state fold twice a second:
 * the scalability lesson watches concurrency follow the backlog up and back down.
 */
export function mountChart(root: HTMLElement, state: () => PlaygroundState): void {
  root.innerHTML = `<h2>Queue depth and concurrency</h2><div class="chart" role="img" aria-label="Messages waiting, messages in flight, running batches and the concurrency limit over the last minute"><div class="chart-plot"></div></div>`;
  const area = root.querySelector(".chart") as HTMLElement;
  const plotBox = root.querySelector(".chart-plot") as HTMLElement;
  const data: [number[], number[], number[], number[], number[]] = [[], [], [], [], []];
  const clock = uPlot.fmtDate("{H}:{mm}:{ss}");
  const plot = new uPlot(
    {
      width: 300,
      height: 120,
      // The minute shown, whatever has been sampled: a fixed span keeps the ticks at whole seconds.
      scales: { x: { time: true, range: (_u, min, max) => (max === null ? [min, max] : [max - (SAMPLES * SAMPLE_MS) / 1000, max]) } },
      series: [
        {},
        { label: "waiting", stroke: "#0b57d0", width: 2, points: { show: false } },
        { label: "in flight", stroke: "#b35c00", width: 2, points: { show: false } },
        { label: "running batches", stroke: "#6b4fbb", width: 2, points: { show: false } },
        { label: "concurrency limit", stroke: "#1e7b34", width: 1, dash: [4, 4], points: { show: false } },
      ],
      // One line of time labels (uPlot's own put the date on a second line, which a short drawer cut
      // off), and whole numbers of messages and batches up the side.
      axes: [{ size: 30, space: 80, values: (_u, ticks) => ticks.map((t) => clock(new Date(t * 1000))) }, { size: 40, space: 24, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] }],
      // The legend names the lines (no values under a cursor) and sits beside the plot, not in it:
      // the plot takes the height and width it leaves (client/src/style.css places it).
      legend: { live: false, mount: (_u, legend) => area.append(legend) },
    },
    data,
    plotBox,
  );
  // The plot's box as the ResizeObserver last reported it (0 while closed): reading clientWidth
  // here forced a layout of the whole page twice a second, in the middle of a burst's frames.
  let width = 0;
  setInterval(() => {
    if (document.hidden) return;
    const now = Date.now();
    const current = state();
    const counts = queueCounts(current, now);
    const sample = [now / 1000, counts.visible + counts.delayed, counts.inFlight, current.concurrency.running, current.concurrency.limit];
    data.forEach((series, i) => {
      series.push(sample[i] ?? 0);
      if (series.length > SAMPLES) series.shift();
    });
    // In its closed drawer the chart keeps sampling but draws nothing (a canvas redraw is not free in a burst).
    if (width > 0) plot.setData(data);
  }, SAMPLE_MS);
  // The plot is as big as its box, which the drawer's size sets (the box is laid out without it).
  new ResizeObserver(([entry]) => {
    width = entry?.contentRect.width ?? 0;
    if (width === 0) return;
    plot.setSize({ width: Math.floor(width), height: Math.floor(entry?.contentRect.height ?? 0) });
    plot.setData(data);
  }).observe(plotBox);
}
