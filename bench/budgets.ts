import type { BenchResults } from "./harness.js";

/** One budget of issue #8 and whether this run's figure holds it. */
export interface BudgetCheck {
  name: string;
  /** Dotted path of the figure in results.json. */
  key: string;
  figure: number | null;
  budget: number;
  /** "max": the figure must be at most the budget; "min": at least. */
  kind: "max" | "min";
  holds: boolean | null;
}

type Figures = Omit<BenchResults, "budgets">;

const BUDGETS: { name: string; key: string; budget: number; kind: "max" | "min"; read: (r: Figures) => number | null }[] = [
  { name: "e2e latency p50 (ms)", key: "e2e.p50_ms", budget: 15, kind: "max", read: (r) => r.e2e.p50_ms },
  { name: "e2e latency p99 (ms)", key: "e2e.p99_ms", budget: 50, kind: "max", read: (r) => r.e2e.p99_ms },
  { name: "burst tasks/s ÷ raw sends/s", key: "burst.ratio", budget: 0.5, kind: "min", read: (r) => r.burst.ratio },
  { name: "burst: tasks lost", key: "burst.lost", budget: 0, kind: "max", read: (r) => r.burst.lost },
  { name: "burst: tasks processed twice", key: "burst.duplicated", budget: 0, kind: "max", read: (r) => r.burst.duplicated },
  { name: "drain: ours ÷ sqs-consumer", key: "drain.ratio", budget: 1, kind: "min", read: (r) => r.drain.ratio },
  { name: "SQS engine ÷ fauxqs: SendMessage rate", key: "engine.send_ratio", budget: 1.5, kind: "min", read: (r) => r.engine?.send_ratio ?? null },
  { name: "SQS engine ÷ fauxqs: receive+delete rate", key: "engine.receive_delete_ratio", budget: 1.5, kind: "min", read: (r) => r.engine?.receive_delete_ratio ?? null },
  { name: "event delivery p99, idle (ms)", key: "events.p99_ms", budget: 50, kind: "max", read: (r) => r.events.p99_ms },
  { name: "browser: longest task in a burst (ms)", key: "browser.longest_task_ms", budget: 50, kind: "max", read: (r) => r.browser.longest_task_ms },
  { name: "start-up, npm start → /health (ms)", key: "startup.median_ms", budget: 1500, kind: "max", read: (r) => r.startup.median_ms },
  { name: "start-up, SQS engine alone (ms)", key: "startup.engine_alone_ms", budget: 500, kind: "max", read: (r) => r.startup.engine_alone_ms ?? null },
  { name: "start-up of the SQS engine restoring 10,000 journaled messages (ms)", key: "startup.engine_restore_ms", budget: 500, kind: "max", read: (r) => r.startup.engine_restore_ms ?? null },
  { name: "first-load JS, gzip (KB)", key: "bundle.first_load_gzip_kb", budget: 120, kind: "max", read: (r) => r.bundle.first_load_gzip_kb },
  { name: "server RSS after the burst (MB)", key: "memory.rss_mb_after_burst", budget: 250, kind: "max", read: (r) => r.memory.rss_mb_after_burst },
  { name: "15 pages after 60 × 1 MB: RSS growth (MB)", key: "clients.rss_growth_mb", budget: 100, kind: "max", read: (r) => r.clients?.rss_growth_mb ?? null },
  { name: "cold start of a Node.js execution environment (ms)", key: "runtime.node_cold_start_ms", budget: 150, kind: "max", read: (r) => r.runtime?.node_cold_start_ms ?? null },
  { name: "cold start of a Python execution environment (ms)", key: "runtime.python_cold_start_ms", budget: 300, kind: "max", read: (r) => r.runtime?.python_cold_start_ms ?? null },
  { name: "15 pages after 60 × 1 MB: /health p99 (ms)", key: "clients.health_p99_ms", budget: 100, kind: "max", read: (r) => r.clients?.health_p99_ms ?? null },
];

export function judge(results: Figures): BudgetCheck[] {
  return BUDGETS.map(({ name, key, budget, kind, read }) => {
    const figure = read(results);
    const holds = figure === null || Number.isNaN(figure) ? null : kind === "max" ? figure <= budget : figure >= budget;
    return { name, key, figure, budget, kind, holds };
  });
}
