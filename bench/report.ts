import type { BenchResults } from "./harness.js";

const fmt = (value: number | null | undefined, unit = "") => (value === null || value === undefined || Number.isNaN(value) ? "—" : `${value}${unit}`);
const verdict = (holds: boolean | null) => (holds === null ? "n/a" : holds ? "holds" : "MISSED");

/** The run as a Markdown table: each figure beside its same-run baseline, the ratio, and the budget. */
export function renderTable(r: BenchResults): string {
  const budget = (key: string) => r.budgets.find((b) => b.key === key);
  const limit = (key: string) => {
    const b = budget(key);
    return b ? `${b.kind === "max" ? "≤" : "≥"} ${b.budget} (${verdict(b.holds)})` : "";
  };
  const rows: string[][] = [
    ["e2e latency p50", fmt(r.e2e.p50_ms, " ms"), `SQS round trip ${fmt(r.e2e.raw_roundtrip_p50_ms, " ms")}`, `×${r.e2e.ratio_p50}`, limit("e2e.p50_ms")],
    ["e2e latency p99", fmt(r.e2e.p99_ms, " ms"), `SQS round trip ${fmt(r.e2e.raw_roundtrip_p99_ms, " ms")}`, `×${r.e2e.ratio_p99}`, limit("e2e.p99_ms")],
    ["burst throughput", fmt(r.burst.tasks_per_s, " tasks/s"), `raw SendMessage ${fmt(r.burst.raw_sends_per_s, "/s")}`, `×${r.burst.ratio}`, limit("burst.ratio")],
    ["burst: lost / worked on twice", `${r.burst.lost} / ${r.burst.duplicated}`, `${r.burst.tasks} tasks × ${r.meta.sizes.runs} runs (+ the browser run)`, "", `lost ${limit("burst.lost")}, twice ${limit("burst.duplicated")}`],
    ["drain rate", fmt(r.drain.ours_per_s, " msg/s"), `sqs-consumer ${fmt(r.drain.sqs_consumer_per_s, "/s")} (×5: ${fmt(r.drain.sqs_consumer_x5_per_s, "/s")})`, `×${r.drain.ratio}`, limit("drain.ratio")],
    ["event delivery, idle p50/p99", `${fmt(r.events.p50_ms)} / ${fmt(r.events.p99_ms, " ms")}`, `bare Socket.IO ${fmt(r.events.bare_socketio_p50_ms)} / ${fmt(r.events.bare_socketio_p99_ms, " ms")}`, `×${r.events.ratio_p99}`, limit("events.p99_ms")],
    ["event delivery, burst p50/p99", `${fmt(r.events.burst_p50_ms)} / ${fmt(r.events.burst_p99_ms, " ms")}`, "", "", ""],
    ["browser longest task (burst)", r.browser.skipped ? `skipped: ${r.browser.skipped}` : fmt(r.browser.longest_task_ms, " ms"), `slowest probe ${fmt(r.browser.slowest_probe_ms, " ms")}`, "", limit("browser.longest_task_ms")],
    ["start-up (npm start → /health)", fmt(r.startup.median_ms, " ms"), `fauxqs alone ${fmt(r.startup.fauxqs_alone_ms, " ms")} (node bundle ${fmt(r.startup.node_median_ms, " ms")})`, `×${r.startup.ratio}`, limit("startup.median_ms")],
    ["first-load JS (gzip)", fmt(r.bundle.first_load_gzip_kb, " KB"), `all JS ${fmt(r.bundle.all_js_gzip_kb, " KB")}`, `×${r.bundle.ratio}`, limit("bundle.first_load_gzip_kb")],
    ["server RSS after burst", fmt(r.memory.rss_mb_after_burst, " MB"), `idle ${fmt(r.memory.rss_mb_idle, " MB")}`, `×${r.memory.ratio}`, limit("memory.rss_mb_after_burst")],
  ];
  const header = ["figure", "this run", "baseline (same run)", "ratio", "budget"];
  const lines = [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`);
  const m = r.meta;
  lines.push("", `${m.date} · commit ${m.commit} · Node ${m.node} · ${m.cpus} cores · load ${m.load_average_before.join("/")} → ${m.load_average_after.join("/")} · ${m.duration_s} s · medians of ${m.sizes.runs} runs`);
  return lines.join("\n");
}
