// fauxqs is pinned to 1.9.2 in package.json: 2.x imports `node:sqlite` and needs Node ≥ 22.5,
// and 1.9.2 is the newest release that runs on Node 20 with the same API.
//
// We build fauxqs around stores we create ourselves, because its `startFauxqs` always listens on
// 0.0.0.0 and hides its store, while `buildApp` lets us listen on loopback but drops the spy and
// inspection. With our own SqsStore we keep both: inspection without receiving, and a spy sink of
// our own. The stores are not in the package's `exports`, so they are loaded by file path from
// the package's own dist folder; the exact pin is what makes that safe.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface SpyMessage {
  service: string;
  queueName?: string;
  messageId?: string;
  body?: string;
  status: string;
}

export interface SpySink {
  addMessage(message: SpyMessage): void;
}

export interface FauxqsMessage {
  messageId: string;
  body: string;
  sentTimestamp: number;
  approximateReceiveCount: number;
}

export interface InflightEntry {
  message: FauxqsMessage;
  receiptHandle: string;
  visibilityDeadline: number;
}

export interface FauxqsQueue {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
  inflightMessages: Map<string, InflightEntry>;
  inspectMessages(): { ready: FauxqsMessage[]; delayed: FauxqsMessage[]; inflight: InflightEntry[] };
  purge(): void;
  /** Ends every long-poll waiting on this queue at once (they return what is there, usually nothing). */
  cancelWaiters(): void;
}

export interface FauxqsSqsStore {
  host: string;
  region: string | undefined;
  spy: SpySink | undefined;
  buildQueueUrl(queueName: string, port: string, requestHost: string, region: string): string;
  getQueueByName(name: string): FauxqsQueue | undefined;
  getQueueByArn(arn: string): FauxqsQueue | undefined;
  listQueues(): FauxqsQueue[];
}

export interface FauxqsStores {
  sqsStore: FauxqsSqsStore;
  snsStore: unknown;
  s3Store: unknown;
}

const dist = dirname(fileURLToPath(import.meta.resolve("fauxqs")));
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(dist, file)).href)) as T;

export async function createFauxqsStores(): Promise<FauxqsStores> {
  const [{ SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
    load<{ SqsStore: new () => FauxqsSqsStore }>("sqs/sqsStore.js"),
    load<{ SnsStore: new () => unknown }>("sns/snsStore.js"),
    load<{ S3Store: new () => unknown }>("s3/s3Store.js"),
  ]);
  return { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
}

/**
 * SQS starts a message's visibility timeout when it returns the message, so the messages of one
 * ReceiveMessage answer share one start. fauxqs stamps each with its own Date.now() while it
 * gathers them: a receive that straddles a millisecond (or a stall under load; we saw 23 ms) gave
 * one batch several deadlines, its expiry check could hand part of the batch to a waiting poll,
 * and a batch of good records split off from the bad one succeeded and was deleted (lesson 11 saw
 * 7 and 9 of 10 in the DLQ). Moving every deadline to the first makes them visible again together.
 */
export function startVisibilityTogether(queue: FauxqsQueue, receiptHandles: string[]): void {
  const entries = receiptHandles.map((handle) => queue.inflightMessages.get(handle)).filter((entry) => entry !== undefined);
  if (entries.length < 2) return;
  const deadline = Math.min(...entries.map((entry) => entry.visibilityDeadline));
  for (const entry of entries) entry.visibilityDeadline = deadline;
}
