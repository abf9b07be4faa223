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
  root.innerHTML = `<h2>Queue depth and concurrency</h2><div class="chart" role="img" aria-label="Messages waiting, messages in flight, running batches and the concurrency limit over the last minute"></div>`;
  const area = root.querySelector(".chart") as HTMLElement;
  const data: [number[], number[], number[], number[], number[]] = [[], [], [], [], []];
  const plot = new uPlot(
    {
      width: Math.max(300, area.clientWidth),
      height: 170,
      scales: { x: { time: true } },
      series: [
        {},
        { label: "waiting", stroke: "#0b57d0", width: 2, points: { show: false } },
        { label: "in flight", stroke: "#b35c00", width: 2, points: { show: false } },
        { label: "running batches", stroke: "#6b4fbb", width: 2, points: { show: false } },
        { label: "concurrency limit", stroke: "#1e7b34", width: 1, dash: [4, 4], points: { show: false } },
      ],
      axes: [{}, { size: 40 }],
    },
    data,
    area,
  );
  // The drawer's width as the ResizeObserver last reported it (0 while closed): reading clientWidth
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
  new ResizeObserver(([entry]) => {
    width = entry?.contentRect.width ?? 0;
    if (width === 0) return;
    plot.setSize({ width: Math.max(300, width), height: 170 });
    plot.setData(data);
  }).observe(area);
}
