// The bench's load clients, in a process of their own: a client in the server's process would
// compete with it for one main thread and make both look slower than they are. Started by
// bench/clients/runClient.ts with an IPC channel; does one job, reports, exits.
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { io } from "socket.io-client";
import { watchEvents } from "./eventWatcher.js";
import type { ClientJob, ClientMessage, ClientReport } from "./protocol.js";

const RAW_QUEUE = "bench-raw";
/** Requests made before the clock starts: the first calls load code lazily (the SDK, fetch) and warm the JIT. */
const WARM_UP = 16;

function emptyReport(): ClientReport {
  return { elapsedMs: 0, latenciesMs: [], eventLatenciesMs: [], posted: 0, failedRequests: 0, taskIds: [] };
}

async function postTask(url: string, title: string): Promise<number | undefined> {
  const response = await fetch(`${url}/tasks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });
  if (response.status !== 201 && response.status !== 202) return undefined;
  return ((await response.json()) as { id: number }).id;
}

async function sequentialTasks(job: Extract<ClientJob, { kind: "sequential-tasks" }>, report: ClientReport): Promise<void> {
  const watch = await watchEvents(job.url);
  for (let i = 0; i < WARM_UP; i += 1) {
    const id = await postTask(job.url, `warm-up ${i}`);
    if (id !== undefined) await watch.completed(id);
  }
  watch.latenciesMs.length = 0;
  const started = performance.now();
  for (let i = 0; i < job.count; i += 1) {
    const t0 = performance.now();
    const id = await postTask(job.url, `latency ${i}`);
    if (id === undefined) {
      report.failedRequests += 1;
      continue;
    }
    report.posted += 1;
    await watch.completed(id);
    report.latenciesMs.push(performance.now() - t0);
  }
  report.elapsedMs = performance.now() - started;
  report.eventLatenciesMs = watch.latenciesMs;
  watch.close();
}

/**
 * Post only: the bench process watches the completions over its own socket, as a browser would,
 * so that decoding every event does not slow these clients down. It is told when the clock starts.
 */
async function burstTasks(job: Extract<ClientJob, { kind: "burst-tasks" }>, report: ClientReport): Promise<void> {
  await Promise.all(Array.from({ length: WARM_UP }, (_, i) => postTask(job.url, `warm-up ${i}`)));
  process.send?.({ started: true });
  const started = performance.now();
  let next = 0;
  const client = async () => {
    while (next < job.count) {
      const i = next++;
      const id = await postTask(job.url, `burst ${i}`).catch(() => undefined);
      if (id === undefined) report.failedRequests += 1;
      else report.taskIds.push(id);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  report.posted = report.taskIds.length;
  report.elapsedMs = performance.now() - started;
}

function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
}

async function sequentialRaw(job: Extract<ClientJob, { kind: "sequential-raw" }>, report: ClientReport): Promise<void> {
  const sender = sqsClient(job.endpoint);
  const receiver = sqsClient(job.endpoint);
  const { QueueUrl } = await sender.send(new CreateQueueCommand({ QueueName: `${RAW_QUEUE}-roundtrip` }));
  for (let i = 0; i < WARM_UP; i += 1) await sender.send(new SendMessageCommand({ QueueUrl, MessageBody: `warm-up ${i}` }));
  const arrived = new Map<string, () => void>();
  const seen = new Set<string>();
  let running = true;
  const receiving = (async () => {
    while (running) {
      const { Messages = [] } = await receiver.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of Messages) {
        seen.add(m.Body ?? "");
        arrived.get(m.Body ?? "")?.();
      }
      if (Messages.length > 0) {
        await receiver.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })) }));
      }
    }
  })();
  const started = performance.now();
  for (let i = 0; i < job.count; i += 1) {
    const body = `roundtrip ${i}`;
    const t0 = performance.now();
    const got = new Promise<void>((resolve) => arrived.set(body, resolve));
    await sender.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    if (!seen.has(body)) await got;
    arrived.delete(body);
    report.latenciesMs.push(performance.now() - t0);
    report.posted += 1;
  }
  report.elapsedMs = performance.now() - started;
  running = false;
  await receiving;
}

async function burstRaw(job: Extract<ClientJob, { kind: "burst-raw" }>, report: ClientReport): Promise<void> {
  const client = sqsClient(job.endpoint);
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: RAW_QUEUE }));
  const body = JSON.stringify({ task_id: 0, title: "raw send" });
  await Promise.all(Array.from({ length: WARM_UP }, () => client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }))));
  let next = 0;
  const started = performance.now();
  const loop = async () => {
    while (next < job.count) {
      next += 1;
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: body })).then(
        () => (report.posted += 1),
        () => (report.failedRequests += 1),
      );
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  report.elapsedMs = performance.now() - started;
  // Messages nobody will consume would otherwise sit in the server's memory through the next measurement.
  await client.send(new DeleteQueueCommand({ QueueUrl }));
}

async function bareEvents(job: Extract<ClientJob, { kind: "bare-events" }>, report: ClientReport): Promise<void> {
  const socket = io(job.url, { transports: ["websocket"], forceNew: true, reconnection: false });
  const started = performance.now();
  await new Promise<void>((resolve) => {
    socket.on("events", (events: { at: number }[]) => {
      const now = Date.now();
      for (const event of events) report.eventLatenciesMs.push(now - event.at);
      if (report.eventLatenciesMs.length >= job.count) resolve();
    });
  });
  report.elapsedMs = performance.now() - started;
  socket.disconnect();
}

const jobs: { [K in ClientJob["kind"]]: (job: Extract<ClientJob, { kind: K }>, report: ClientReport) => Promise<void> } = {
  "sequential-tasks": sequentialTasks,
  "burst-tasks": burstTasks,
  "sequential-raw": sequentialRaw,
  "burst-raw": burstRaw,
  "bare-events": bareEvents,
};

process.once("message", (job: ClientJob) => {
  const report = emptyReport();
  const run = jobs[job.kind] as (job: ClientJob, report: ClientReport) => Promise<void>;
  run(job, report).then(
    () => process.send?.({ ok: true, report } satisfies ClientMessage, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: String(error) } satisfies ClientMessage, () => process.exit(1)),
  );
});
