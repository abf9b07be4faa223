import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { FlowEvent, TriggerSettings } from "../../common/events.js";
import { EventLog } from "../../server/events/eventLog.js";
import { startEmbeddedSqs } from "../../server/queue/embeddedSqs.js";
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
}

/** Our trigger against the real embedded fauxqs, with any handler: for the rules of aws-semantics.md §2. */
export async function startTriggerHarness(options: HarnessOptions) {
  const events = new EventLog(100_000);
  const sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, urlHost: "localhost", region: "us-east-1", publish: events.publish, triggerUserAgent: "harness-trigger" });
  const connection = { endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } };
  const settings = { queueName: "q", deadLetterQueueName: "q-dlq", visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1, maxReceiveCount: options.maxReceiveCount ?? 100 };
  const queue = new TaskQueue(connection, settings);
  const urls = await queue.provision();
  const consumer = new TaskQueue(connection, settings, { userAgent: "harness-trigger" });
  await consumer.resolve();
  const sdk = new SQSClient(connection);
  const trigger = new LambdaTrigger({
    queue: consumer,
    handler: options.handler,
    function: { functionName: "fn", region: "us-east-1", accountId: "000000000000", timeoutMs: options.timeoutMs ?? 3000, memoryMb: 128 },
    settings: { ...DEFAULT_TRIGGER_SETTINGS, ...options.settings },
    scalingSpeed: options.scalingSpeed ?? 1,
    endLongPolls: () => sqs.endLongPolls("q"),
    publish: events.publish,
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
    invocations: () => events.recent().filter((e): e is Extract<FlowEvent, { type: "lambda.invoked" }> => e.type === "lambda.invoked"),
    async stop() {
      await trigger.stop();
      sdk.destroy();
      queue.destroy();
      consumer.destroy();
      await sqs.stop();
    },
  };
}

export type TriggerHarness = Awaited<ReturnType<typeof startTriggerHarness>>;
