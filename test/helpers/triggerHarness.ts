import { randomUUID } from "node:crypto";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { FlowEvent, TriggerSettings } from "../../common/events.js";
import { EventLog } from "../../server/events/eventLog.js";
import { EngineQueue } from "../../server/backends/engineQueue.js";
import { startEmbeddedSqs } from "../../server/backends/embeddedSqs.js";
import { TaskQueue } from "../../server/queue/taskQueue.js";
import { LambdaTrigger, type LambdaHandler } from "../../server/trigger/lambdaTrigger.js";
import { DEFAULT_TRIGGER_SETTINGS } from "../../server/trigger/mappingSettings.js";

export interface HarnessOptions {
  handler: LambdaHandler;
  settings?: Partial<TriggerSettings>;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  timeoutMs?: number;
  scalingSpeed?: number;
  /** A FIFO source queue (`q.fifo`, DLQ `q-dlq.fifo`). */
  fifo?: boolean;
  /** Told what the trigger could not do (a failed poll, a record it could not build). */
  onError?: (error: unknown) => void;
}

/** Our trigger against the real embedded SQS engine, with any handler: for the rules of aws-semantics.md §2. */
export async function startTriggerHarness(options: HarnessOptions) {
  const events = new EventLog(100_000);
  const sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, region: "us-east-1", publish: events.publish });
  const connection = { endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } };
  const suffix = options.fifo ? ".fifo" : "";
  const settings = { queueName: `q${suffix}`, deadLetterQueueName: `q-dlq${suffix}`, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1, maxReceiveCount: options.maxReceiveCount ?? 100 };
  const queue = new TaskQueue(connection, settings);
  const urls = await queue.provision();
  // The trigger's queue as the playground gives it: the engine's actions, in this process.
  const consumer = new EngineQueue(sqs, settings, urls);
  const sdk = new SQSClient(connection);
  const trigger = new LambdaTrigger({
    queue: consumer,
    handler: options.handler,
    function: { functionName: "fn", region: "us-east-1", accountId: "000000000000", timeoutMs: options.timeoutMs ?? 3000, memoryMb: 128 },
    settings: { ...DEFAULT_TRIGGER_SETTINGS, ...options.settings },
    scalingSpeed: options.scalingSpeed ?? 1,
    endLongPolls: () => sqs.endLongPolls(settings.queueName),
    publish: events.publish,
    ...(options.onError ? { onError: options.onError } : {}),
  });

  const waitFor = <E extends FlowEvent>(match: (e: FlowEvent) => e is E, timeoutMs = 20_000): Promise<E> =>
    new Promise((resolve, reject) => {
      const seen = events.recent().find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => (unsubscribe(), reject(new Error(`no matching event in ${timeoutMs} ms`))), timeoutMs);
      const unsubscribe = events.subscribe((e) => {
        if (!match(e)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(e);
      });
    });

  return {
    events,
    urls,
    trigger,
    sqs,
    waitFor,
    /** Sends bodies one message each (a batch call caps the whole batch at 1 MiB), ten at a time; ids in order. */
    async send(...bodies: string[]): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < bodies.length; i += 10) {
        const sent = await Promise.all(bodies.slice(i, i + 10).map((MessageBody) => sdk.send(new SendMessageCommand({ QueueUrl: urls.queueUrl, MessageBody }))));
        ids.push(...sent.map((s) => s.MessageId ?? ""));
      }
      return ids;
    },
    /** FIFO: sends bodies to one message group one after another (so their order is the send order); ids in order. */
    async sendToGroup(groupId: string, ...bodies: string[]): Promise<string[]> {
      const ids: string[] = [];
      for (const MessageBody of bodies) {
        const sent = await sdk.send(new SendMessageCommand({ QueueUrl: urls.queueUrl, MessageBody, MessageGroupId: groupId, MessageDeduplicationId: randomUUID() }));
        ids.push(sent.MessageId ?? "");
      }
      return ids;
    },
    /** Sends one message with message attributes; its id. */
    async sendWithAttributes(MessageBody: string, MessageAttributes: Record<string, MessageAttributeValue>): Promise<string> {
      return (await sdk.send(new SendMessageCommand({ QueueUrl: urls.queueUrl, MessageBody, MessageAttributes }))).MessageId ?? "";
    },
    /** Sends up to ten bodies in one SendMessageBatch call; ids in order. */
    async sendBatch(...bodies: string[]): Promise<string[]> {
      const sent = await sdk.send(new SendMessageBatchCommand({ QueueUrl: urls.queueUrl, Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }));
      return bodies.map((_, i) => sent.Successful?.find((s) => s.Id === String(i))?.MessageId ?? "");
    },
    /** FIFO: up to ten messages in one SendMessageBatch call, each with its group and deduplication id; ids in order. */
    async sendFifoBatch(...entries: { body: string; groupId: string; deduplicationId: string }[]): Promise<string[]> {
      const Entries = entries.map((e, i) => ({ Id: String(i), MessageBody: e.body, MessageGroupId: e.groupId, MessageDeduplicationId: e.deduplicationId }));
      const sent = await sdk.send(new SendMessageBatchCommand({ QueueUrl: urls.queueUrl, Entries }));
      return entries.map((_, i) => sent.Successful?.find((s) => s.Id === String(i))?.MessageId ?? "");
    },
    /** The source queue's visible and in-flight counts and the DLQ's count (attributes: nothing is received). */
    async counts(): Promise<{ visible: number; inFlight: number; deadLettered: number }> {
      const of = async (QueueUrl: string) =>
        (await sdk.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }))).Attributes ?? {};
      const [queue, dlq] = await Promise.all([of(urls.queueUrl), of(urls.deadLetterQueueUrl)]);
      const n = (attributes: Record<string, string>, name: string) => Number(attributes[name] ?? 0);
      return { visible: n(queue, "ApproximateNumberOfMessages"), inFlight: n(queue, "ApproximateNumberOfMessagesNotVisible"), deadLettered: n(dlq, "ApproximateNumberOfMessages") + n(dlq, "ApproximateNumberOfMessagesNotVisible") };
    },
    /** The bodies in the dead-letter queue (received: only for a test's end, nothing else reads the DLQ). */
    async deadLetteredBodies(): Promise<string[]> {
      const received = await sdk.send(new ReceiveMessageCommand({ QueueUrl: urls.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
      return (received.Messages ?? []).map((m) => m.Body ?? "").sort();
    },
    invocations: () => events.recent().filter((e): e is Extract<FlowEvent, { type: "lambda.invoked" }> => e.type === "lambda.invoked"),
    async stop() {
      await trigger.stop();
      sdk.destroy();
      queue.destroy();
      await sqs.stop();
    },
  };
}

/** Resolves once `condition` holds (checked every 25 ms); rejects after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  for (const start = Date.now(); !(await condition()); ) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type TriggerHarness = Awaited<ReturnType<typeof startTriggerHarness>>;
