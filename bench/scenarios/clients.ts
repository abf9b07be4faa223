// Many pages after large messages (issue 14, item 4): 60 messages of 1 MB are sent straight to
// SQS (the trigger off, so they stay there), then 15 pages connect at once and each asks for snapshots one after another, as tabs that
// reconnect or restart their recording would. Before bodies were cut to previews and snapshots
// kept to a byte budget, this took the server from 164 MB to 3.3 GB and /health to 14.7 s.
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, Reply, ServerToClientEvents, Snapshot } from "../../common/events.js";
import { startPlaygroundProcess } from "../server.js";
import { percentile, round } from "../stats.js";

export interface ClientsOptions {
  /** Messages of `messageBytes` sent before the pages connect (issue: 60 of 1 MB). */
  messages: number;
  messageBytes: number;
  /** Pages connected at once (issue: 15), each asking `snapshotsEach` snapshots in turn. */
  pages: number;
  snapshotsEach: number;
}

export const CLIENTS_FULL: ClientsOptions = { messages: 60, messageBytes: 1_000_000, pages: 15, snapshotsEach: 20 };

export interface ClientsResult {
  rss_mb_idle: number;
  rss_mb_after_messages: number;
  /** The highest RSS sampled (every 100 ms) while the pages connected and asked. */
  rss_mb_peak_with_pages: number;
  /** Peak with the pages minus RSS after the messages: what the pages cost the server. */
  rss_growth_mb: number;
  health_p50_ms: number;
  health_p99_ms: number;
  health_probes: number;
  snapshots: number;
  /** The largest snapshot a page received (JSON, UTF-8). */
  snapshot_kb_max: number;
  /** Requests answered with an error (RequestInProgress, RateLimited): should be none for pages that wait for each answer. */
  refused: number;
  pages: number;
  messages: number;
}

type Page = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A page that takes its connect snapshot, then asks `count` more, each after the last arrived. Returns their sizes in bytes and the refusals. */
async function askSnapshots(url: string, count: number): Promise<{ sizes: number[]; refused: number }> {
  const page: Page = io(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  try {
    const first = await new Promise<Snapshot>((resolve, reject) => {
      page.once("snapshot", resolve);
      page.once("connect_error", reject);
    });
    const sizes = [Buffer.byteLength(JSON.stringify(first))];
    let refused = 0;
    for (let i = 0; i < count; i += 1) {
      const reply = await new Promise<Reply<Snapshot>>((resolve) => page.emit("snapshot:get", resolve));
      if ("data" in reply) sizes.push(Buffer.byteLength(JSON.stringify(reply.data)));
      else refused += 1;
    }
    return { sizes, refused };
  } finally {
    page.disconnect();
  }
}

export async function benchClients(options: ClientsOptions, log: (line: string) => void): Promise<ClientsResult> {
  // The trigger is off: the messages stay in the queue, where every snapshot lists them (the worst
  // case for pages), and the figure is what the pages cost, not the trigger's own work on 1 MB
  // messages (with it on, each batch is a 10 MB ReceiveMessage answer parsed on the main thread).
  const server = await startPlaygroundProcess({ TRIGGER_ENABLED: "false" });
  try {
    const rssIdle = await server.rssMb();
    const sqs = new SQSClient({ region: "us-east-1", endpoint: server.sqsEndpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const queueUrl = `${server.sqsEndpoint}/000000000000/interview-queue`;
    const body = "x".repeat(options.messageBytes);
    for (let i = 0; i < options.messages; i += 1) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    sqs.destroy();
    const rssAfterMessages = await server.rssMb();

    let running = true;
    let peak = rssAfterMessages;
    const sampling = (async () => {
      while (running) {
        peak = Math.max(peak, await server.rssMb());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const health: number[] = [];
    const probing = (async () => {
      while (running) {
        const started = performance.now();
        await fetch(`${server.url}/health`).then((r) => r.arrayBuffer());
        health.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const pages = await Promise.all(Array.from({ length: options.pages }, () => askSnapshots(server.url, options.snapshotsEach)));
    running = false;
    await Promise.all([sampling, probing]);

    const sizes = pages.flatMap((p) => p.sizes);
    const result: ClientsResult = {
      rss_mb_idle: round(rssIdle, 0),
      rss_mb_after_messages: round(rssAfterMessages, 0),
      rss_mb_peak_with_pages: round(peak, 0),
      rss_growth_mb: round(peak - rssAfterMessages, 0),
      health_p50_ms: round(percentile(health, 50)),
      health_p99_ms: round(percentile(health, 99)),
      health_probes: health.length,
      snapshots: sizes.length,
      snapshot_kb_max: round(Math.max(...sizes) / 1024),
      refused: pages.reduce((sum, p) => sum + p.refused, 0),
      pages: options.pages,
      messages: options.messages,
    };
    log(`  ${options.pages} pages after ${options.messages} × ${options.messageBytes} B: RSS ${result.rss_mb_after_messages} → peak ${result.rss_mb_peak_with_pages} MB (+${result.rss_growth_mb}); /health p99 ${result.health_p99_ms} ms; largest snapshot ${result.snapshot_kb_max} KB`);
    return result;
  } finally {
    await server.stop();
  }
}
