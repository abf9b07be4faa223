import { LambdaClient } from "@aws-sdk/client-lambda";
import type { Config } from "../config.js";
import { TaskQueue } from "../queue/taskQueue.js";
import { EventSourceMapping } from "./eventSourceMapping.js";
import { LambdaFunction } from "./lambdaFunction.js";
import { AWS_PREFIX, functionNameFor } from "./names.js";
import { remoteConnections } from "./connections.js";
import { fifoQueueName } from "../../common/fifo.js";

/**
 * Remove what provisioning created: the event source mappings, the function, the queues (standard and FIFO). In AWS
 * mode only names with the playground's prefix are ever touched. Safe to run twice.
 */
export async function teardown(config: Config, options: { lambdaEndpoint?: string } = {}): Promise<string[]> {
  if (config.mode === "embedded") return [];
  const connections = remoteConnections(config, options.lambdaEndpoint);
  const lambda = new LambdaClient(connections.lambda);
  const settings = {
    queueName: config.QUEUE_NAME,
    deadLetterQueueName: config.DLQ_NAME,
    visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
  };
  const queue = new TaskQueue(connections.sqs, settings);
  const fifoQueue = new TaskQueue(connections.sqs, { ...settings, queueName: fifoQueueName(config.QUEUE_NAME), deadLetterQueueName: fifoQueueName(config.DLQ_NAME) });
  const fn = new LambdaFunction(lambda);
  const mappings = new EventSourceMapping(lambda);
  const removed: string[] = [];
  try {
    const names = config.mode === "aws" ? await fn.list(AWS_PREFIX) : [functionNameFor(config)];
    for (const name of new Set([functionNameFor(config), ...names])) {
      if (config.mode === "aws" && !name.startsWith(AWS_PREFIX)) continue;
      for (const mapping of await mappings.list(name)) {
        if (!mapping.UUID) continue;
        await mappings.remove(mapping.UUID);
        removed.push(`event source mapping ${mapping.UUID}`);
      }
      if (await fn.remove(name)) removed.push(`function ${name}`);
    }
    removed.push(...(await queue.remove()).map((name) => `queue ${name}`));
    removed.push(...(await fifoQueue.remove()).map((name) => `queue ${name}`));
  } finally {
    lambda.destroy();
    queue.destroy();
    fifoQueue.destroy();
  }
  return removed;
}
