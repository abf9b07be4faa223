// Trigger drain rate against a peer: the same number of messages already waiting, the same no-op
// handler, on the playground's embedded SQS as `npm start` runs it (our engine in this process,
// its events published to an event log); our Lambda trigger as the playground runs it (calling the
// engine in-process, engineQueue.ts), then bbc's sqs-consumer (the SDK over HTTP), each on a queue
// of its own. Since 2026-12-02 the comparison includes the trigger's saving of the HTTP and SDK work.
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Consumer } from "sqs-consumer";
import { startEmbeddedSqs } from "../../server/backends/embeddedSqs.js";
import { EngineQueue } from "../../server/backends/engineQueue.js";
import { EventLog } from "../../server/events/eventLog.js";
import { DEFAULT_TRIGGER_SETTINGS } from "../../server/trigger/mappingSettings.js";
import { LambdaTrigger } from "../../server/trigger/lambdaTrigger.js";
import { TaskQueue, type TaskQueueSettings } from "../../server/queue/taskQueue.js";
import type { EmbeddedEngine } from "../../server/sqs/embedded.js";
import { medianOfRuns, round } from "../stats.js";

export interface DrainResult {
  ours_per_s: number;
  sqs_consumer_per_s: number;
  /** Five sqs-consumers side by side: what our trigger's starting concurrency of five batches is up against. */
  sqs_consumer_x5_per_s: number;
  ratio: number;
  messages: number;
}

const REGION = "us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
// A fresh queue for every drain, so no drain starts with messages another one left in flight.
let queues = 0;
const freshQueue = () => {
  queues += 1;
  return { queueName: `bench-drain-${queues}`, deadLetterQueueName: `bench-drain-${queues}-dlq`, visibilityTimeoutSeconds: 30, maxReceiveCount: 3 };
};

/** A new queue (and its DLQ) holding `count` messages. */
async function filledQueue(endpoint: string, count: number) {
  const settings = freshQueue();
  const setup = new TaskQueue({ endpoint, region: REGION, credentials }, settings);
  const { queueUrl } = await setup.provision();
  setup.destroy();
  const client = new SQSClient({ endpoint, region: REGION, credentials });
  await fill(client, queueUrl, count);
  client.destroy();
  return { settings, queueUrl };
}

async function fill(client: SQSClient, queueUrl: string, count: number): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const first = next;
      next = Math.min(count, next + 10);
      const Entries = Array.from({ length: next - first }, (_, i) => ({ Id: String(i), MessageBody: JSON.stringify({ task_id: first + i + 1, title: "drain" }) }));
      await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, sender));
}

/** Messages per second until `count` are deleted by our trigger, set up as the playground sets it up. */
async function drainWithTrigger(sqs: EmbeddedEngine, events: EventLog, settings: TaskQueueSettings, count: number): Promise<number> {
  let deleted = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  // The trigger's deletes, as the engine records them for the wire inspector.
  const unsubscribe = events.subscribe((event) => {
    if (event.type !== "sqs.call" || event.call.caller !== "lambda-trigger" || event.call.operation !== "DeleteMessageBatch" || event.call.error) return;
    deleted += ((event.call.response as { Successful?: unknown[] } | null)?.Successful ?? []).length;
    if (deleted >= count) done();
  });
  const queue = new EngineQueue(sqs, settings, await new TaskQueue({ endpoint: sqs.endpoint, region: REGION, credentials }, settings).resolve());
  const trigger = new LambdaTrigger({
    queue,
    handler: async () => ({ batchItemFailures: [] }),
    function: { functionName: "bench-noop", region: REGION, accountId: "000000000000", timeoutMs: 3000, memoryMb: 128 },
    settings: DEFAULT_TRIGGER_SETTINGS,
    endLongPolls: () => sqs.endLongPolls(settings.queueName),
    publish: events.publish,
  });
  const started = performance.now();
  trigger.start();
  await finished;
  const elapsed = performance.now() - started;
  await trigger.stop();
  unsubscribe();
  return (count / elapsed) * 1000;
}

/** Messages per second until `count` are processed by `consumers` sqs-consumers. */
async function drainWithSqsConsumer(endpoint: string, queueUrl: string, count: number, consumers: number): Promise<number> {
  let processed = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const sqs = new SQSClient({ endpoint, region: REGION, credentials });
  const started = performance.now();
  const running = Array.from({ length: consumers }, () => {
    const consumer = Consumer.create({
      queueUrl,
      sqs,
      useQueueUrlAsEndpoint: false,
      batchSize: 10,
      waitTimeSeconds: 20,
      handleMessageBatch: async (messages) => messages,
    });
    // Stopping aborts the open long-poll, which sqs-consumer reports as an error: expected here.
    consumer.on("error", () => {});
    consumer.on("message_processed", () => {
      processed += 1;
      if (processed >= count) done();
    });
    consumer.start();
    return consumer;
  });
  await finished;
  const elapsed = performance.now() - started;
  for (const consumer of running) consumer.stop({ abort: true });
  sqs.destroy();
  return (count / elapsed) * 1000;
}

export async function benchDrain(messages: number, runs: number, log: (line: string) => void): Promise<DrainResult> {
  // The playground's event log size (EVENT_LOG_SIZE's default): every SQS and trigger event lands in it.
  const events = new EventLog(5000);
  const sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, region: REGION, publish: events.publish });
  try {
    const { median } = await medianOfRuns(runs, async (run) => {
      const forOurs = await filledQueue(sqs.endpoint, messages);
      const ours = await drainWithTrigger(sqs, events, forOurs.settings, messages);
      const peer = await drainWithSqsConsumer(sqs.endpoint, (await filledQueue(sqs.endpoint, messages)).queueUrl, messages, 1);
      const peers = await drainWithSqsConsumer(sqs.endpoint, (await filledQueue(sqs.endpoint, messages)).queueUrl, messages, 5);
      log(`  drain run ${run + 1}: ours ${ours.toFixed(0)}/s, sqs-consumer ${peer.toFixed(0)}/s, 5 sqs-consumers ${peers.toFixed(0)}/s`);
      return { ours, peer, peers, ratio: ours / peer };
    });
    return {
      ours_per_s: round(median.ours, 0),
      sqs_consumer_per_s: round(median.peer, 0),
      sqs_consumer_x5_per_s: round(median.peers, 0),
      ratio: round(median.ratio, 2),
      messages,
    };
  } finally {
    await sqs.stop();
  }
}
