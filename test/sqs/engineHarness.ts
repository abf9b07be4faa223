import { SQSClient, CreateQueueCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll } from "vitest";
import { startEmbeddedEngine, type EmbeddedEngine } from "../../server/sqs/embedded.js";
import type { SqsEvent } from "../../server/sqs/model/events.js";

/**
 * The SQS engine on a free port with the real SDK pointed at it, for one test file. `queue()`
 * makes a queue with a fresh name, so tests in a file do not share messages.
 */
export function useEngine() {
  const state = {} as { engine: EmbeddedEngine; sqs: SQSClient; events: SqsEvent[] };
  let counter = 0;
  beforeAll(async () => {
    state.engine = await startEmbeddedEngine({ host: "127.0.0.1", port: 0, region: "us-east-1" });
    state.events = [];
    state.engine.subscribe((event) => state.events.push(event));
    state.sqs = new SQSClient({
      endpoint: state.engine.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    state.sqs.destroy();
    await state.engine.stop();
  });
  return {
    get sqs() {
      return state.sqs;
    },
    get engine() {
      return state.engine;
    },
    get events() {
      return state.events;
    },
    /** Creates a queue named `<prefix>-<n>` (add `.fifo` attributes for a FIFO queue) and returns its URL. */
    async queue(attributes: Record<string, string> = {}, prefix = "q"): Promise<string> {
      counter += 1;
      const fifo = attributes.FifoQueue === "true";
      const name = `${prefix}-${counter}${fifo ? ".fifo" : ""}`;
      const { QueueUrl } = await state.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      return QueueUrl!;
    },
  };
}

/** The error an SDK call fails with, for checking its name and message. */
export async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error("expected the call to fail");
}
