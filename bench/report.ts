import type { BenchResults } from "./harness.js";

const fmt = (value: number | null | undefined, unit = "") => (value === null || value === undefined || Number.isNaN(value) ? "—" : `${value}${unit}`);
const round2 = (value: number) => Math.round(value * 100) / 100;
const verdict = (holds: boolean | null) => (holds === null ? "n/a" : holds ? "holds" : "MISSED");

/** Which engine the budget rows measured: in memory like fauxqs (since both were measured), or durable (older runs, which measured only that). */
const engineMode = (r: BenchResults) => (r.engine?.durable_sends_per_s === undefined ? "durable" : "in memory (as fauxqs)");

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
    ...(r.e2e.in_process_p50_ms === undefined
      ? []
      : [["e2e latency p50/p99, the lesson's function in the playground's process (LESSON_FUNCTION=in-process)", `${fmt(r.e2e.in_process_p50_ms)} / ${fmt(r.e2e.in_process_p99_ms, " ms")}`, `out of process (the default, above) ${fmt(r.e2e.p50_ms)} / ${fmt(r.e2e.p99_ms, " ms")}`, `out of process costs +${fmt(Math.round((r.e2e.p50_ms - r.e2e.in_process_p50_ms) * 10) / 10, " ms")}`, ""]]),
    ["burst throughput", fmt(r.burst.tasks_per_s, " tasks/s"), `raw SendMessage ${fmt(r.burst.raw_sends_per_s, "/s")}`, `×${r.burst.ratio}`, limit("burst.ratio")],
    ["burst: lost / worked on twice", `${r.burst.lost} / ${r.burst.duplicated}`, `${r.burst.tasks} tasks × ${r.meta.sizes.runs} runs (+ the browser run)`, "", `lost ${limit("burst.lost")}, twice ${limit("burst.duplicated")}`],
    ["drain rate", fmt(r.drain.ours_per_s, " msg/s"), `sqs-consumer ${fmt(r.drain.sqs_consumer_per_s, "/s")} (×5: ${fmt(r.drain.sqs_consumer_x5_per_s, "/s")})`, `×${r.drain.ratio}`, limit("drain.ratio")],
    ...(r.engine
      ? [
          ["SQS engine alone, " + engineMode(r) + ": SendMessage", fmt(r.engine.engine_sends_per_s, "/s"), `fauxqs alone ${fmt(r.engine.fauxqs_sends_per_s, "/s")}`, `×${r.engine.send_ratio}`, limit("engine.send_ratio")],
          ["SQS engine alone, " + engineMode(r) + ": server CPU per SendMessage", fmt(r.engine.engine_cpu_us_per_send, " µs"), `fauxqs alone ${fmt(r.engine.fauxqs_cpu_us_per_send, " µs")}`, "", ""],
          ["SQS engine alone, " + engineMode(r) + ": receive+delete", fmt(r.engine.engine_receive_deletes_per_s, " msg/s"), `fauxqs alone ${fmt(r.engine.fauxqs_receive_deletes_per_s, " msg/s")}`, `×${r.engine.receive_delete_ratio}`, limit("engine.receive_delete_ratio")],
          ["SQS engine alone, " + engineMode(r) + ": server CPU per message received+deleted", fmt(r.engine.engine_cpu_us_per_receive_delete, " µs"), `fauxqs alone ${fmt(r.engine.fauxqs_cpu_us_per_receive_delete, " µs")}`, "", ""],
          ...(r.engine.durable_sends_per_s === undefined
            ? []
            : [
                ["SQS engine alone, durable (fsync before each reply): SendMessage", fmt(r.engine.durable_sends_per_s, "/s"), `fauxqs alone (in memory) ${fmt(r.engine.fauxqs_sends_per_s, "/s")}`, `×${r.engine.durable_send_ratio}`, ""],
                ["SQS engine alone, durable: server CPU per SendMessage", fmt(r.engine.durable_cpu_us_per_send, " µs"), `fauxqs alone ${fmt(r.engine.fauxqs_cpu_us_per_send, " µs")}`, "", ""],
                ["SQS engine alone, durable: receive+delete", fmt(r.engine.durable_receive_deletes_per_s, " msg/s"), `fauxqs alone (in memory) ${fmt(r.engine.fauxqs_receive_deletes_per_s, " msg/s")}`, `×${r.engine.durable_receive_delete_ratio}`, ""],
                ["SQS engine alone, durable: server CPU per message received+deleted", fmt(r.engine.durable_cpu_us_per_receive_delete, " µs"), `fauxqs alone ${fmt(r.engine.fauxqs_cpu_us_per_receive_delete, " µs")}`, "", ""],
              ]),
        ]
      : []),
    ["event delivery, idle p50/p99", `${fmt(r.events.p50_ms)} / ${fmt(r.events.p99_ms, " ms")}`, `bare Socket.IO ${fmt(r.events.bare_socketio_p50_ms)} / ${fmt(r.events.bare_socketio_p99_ms, " ms")}`, `×${r.events.ratio_p99}`, limit("events.p99_ms")],
    ["event delivery, burst p50/p99", `${fmt(r.events.burst_p50_ms)} / ${fmt(r.events.burst_p99_ms, " ms")}`, "", "", ""],
    ["browser longest task (burst)", r.browser.skipped ? `skipped: ${r.browser.skipped}` : fmt(r.browser.longest_task_ms, " ms"), `its own work (CPU) at most ${fmt(r.browser.longest_task_cpu_ms, " ms")}; slowest probe ${fmt(r.browser.slowest_probe_ms, " ms")}`, "", limit("browser.longest_task_ms")],
    ["start-up (npm start → /health)", fmt(r.startup.median_ms, " ms"), `SQS engine alone ${fmt(r.startup.engine_alone_ms, " ms")} (node bundle ${fmt(r.startup.node_median_ms, " ms")})`, `×${r.startup.ratio}`, limit("startup.median_ms")],
    ["start-up, SQS engine alone", fmt(r.startup.engine_alone_ms, " ms"), "", "", limit("startup.engine_alone_ms")],
    ...(r.startup.engine_restore_ms !== undefined
      ? [
          [`start-up restoring ${r.startup.restored_messages} messages: SQS engine alone`, fmt(r.startup.engine_restore_ms, " ms"), `empty: ${fmt(r.startup.engine_alone_ms, " ms")}`, "", limit("startup.engine_restore_ms")],
          [`start-up restoring ${r.startup.restored_messages} tasks and messages: playground (node → /health)`, fmt(r.startup.node_restore_ms, " ms"), `empty: ${fmt(r.startup.node_median_ms, " ms")}`, `×${round2(r.startup.node_restore_ms / r.startup.node_median_ms)}`, ""],
        ]
      : []),
    ["first-load JS (gzip)", fmt(r.bundle.first_load_gzip_kb, " KB"), `all JS ${fmt(r.bundle.all_js_gzip_kb, " KB")}`, `×${r.bundle.ratio}`, limit("bundle.first_load_gzip_kb")],
    ["server RSS after burst", fmt(r.memory.rss_mb_after_burst, " MB"), `idle ${fmt(r.memory.rss_mb_idle, " MB")}`, `×${r.memory.ratio}`, limit("memory.rss_mb_after_burst")],
    ...(r.clients
      ? [
          ["pages after large messages: RSS growth", fmt(r.clients.rss_growth_mb, " MB"), `${r.clients.rss_mb_after_messages} → ${r.clients.rss_mb_peak_with_pages} MB (${r.clients.pages} pages, ${r.clients.messages} messages; largest snapshot ${fmt(r.clients.snapshot_kb_max, " KB")})`, "", limit("clients.rss_growth_mb")],
          ["pages after large messages: /health p99", fmt(r.clients.health_p99_ms, " ms"), `p50 ${fmt(r.clients.health_p50_ms, " ms")}, ${r.clients.health_probes} probes`, "", limit("clients.health_p99_ms")],
        ]
      : []),
    ...(r.runtime
      ? [
          ["deployed function: Node.js cold start", fmt(r.runtime.node_cold_start_ms, " ms"), `bare \`node -e 0\` ${fmt(r.runtime.node_process_start_ms, " ms")}; p90 ${fmt(r.runtime.node_cold_start_p90_ms, " ms")}`, "", limit("runtime.node_cold_start_ms")],
          ["deployed function: Python cold start", fmt(r.runtime.python_cold_start_ms, " ms"), `bare \`python3 -c pass\` ${fmt(r.runtime.python_process_start_ms, " ms")}; p90 ${fmt(r.runtime.python_cold_start_p90_ms, " ms")}`, "", limit("runtime.python_cold_start_ms")],
          ["deployed function: warm invoke p50/p99 (Node.js)", `${fmt(r.runtime.node_warm_invoke_p50_ms)} / ${fmt(r.runtime.node_warm_invoke_p99_ms, " ms")}`, `in process ${fmt(r.runtime.in_process_invoke_p50_ms, " ms")}; Python ${fmt(r.runtime.python_warm_invoke_p50_ms)} / ${fmt(r.runtime.python_warm_invoke_p99_ms, " ms")}`, `+${fmt(r.runtime.node_warm_overhead_ms, " ms")}`, ""],
        ]
      : []),
  ];
  const header = ["figure", "this run", "baseline (same run)", "ratio", "budget"];
  const lines = [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`);
  const m = r.meta;
  lines.push("", `${m.date} · commit ${m.commit} · Node ${m.node} · ${m.cpus} cores · load ${m.load_average_before.join("/")} → ${m.load_average_after.join("/")} · ${m.duration_s} s · medians of ${m.sizes.runs} runs`);
  return lines.join("\n");
}
