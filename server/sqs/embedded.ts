import type { QueueView } from "../../common/events.js";
import { viewOf } from "./inspect.js";
import type { SqsListener } from "./model/events.js";
import { SqsEngine } from "./model/engine.js";
import { SqsDisk, type SqsFsync } from "./durable/sqsDisk.js";
import type { Randomness, Scheduler } from "./model/scheduler.js";
import { startSqsServer, type SqsServer, type SqsServerOptions } from "./server.js";

/** LocalStack's account id, in every queue URL and ARN of the embedded SQS. */
export const ACCOUNT_ID = "000000000000";

export interface EmbeddedEngineOptions {
  /** Interface to listen on; loopback unless the user asks otherwise. */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  region: string;
  /** Host name written into queue URLs (`http://localhost:4566/000000000000/<queue>`, as LocalStack does); `host` when omitted. */
  urlHost?: string;
  /** LocalStack's account, `000000000000`, unless told otherwise. */
  accountId?: string;
  consumerOf?: SqsServerOptions["consumerOf"];
  refuse?: SqsServerOptions["refuse"];
  onCall?: SqsServerOptions["onCall"];
  scheduler?: Scheduler;
  random?: Randomness;
  /**
   * Where queues and messages are kept across restarts (sqs.jsonl and sqs.journal.jsonl); without
   * one they live in memory only. One engine per folder (the playground holds DATA_DIR's lock).
   */
  dataDir?: string;
  /** Where a failed disk write is reported (stderr by default). */
  log?: (message: string) => void;
  /** Whether a reply waits for its changes' fsync ("reply", the default) or only their write ("background"). */
  fsync?: SqsFsync;
}

/** What the playground uses of its embedded SQS: the endpoint, inspection without receiving, and the controls. */
export interface EmbeddedSqs {
  /** Where an SDK client should send requests (pass it as `endpoint`). */
  readonly endpoint: string;
  readonly port: number;
  /** A queue by inspection, bodies cut to their preview (at most `messageLimit` messages, 200 by default). */
  inspect(queueName: string, messageLimit?: number): QueueView | undefined;
  /** The whole body of one message the queue holds (visible, in flight or delayed), without receiving it. */
  messageBody(queueName: string, messageId: string): string | undefined;
  /** The ids of every message a queue holds (visible, in flight or delayed), without receiving any. */
  messageIds(queueName: string): string[];
  /** A queue attribute as SQS holds it now (a learner may change it from a terminal). */
  attribute(queueName: string, name: string): string | undefined;
  /** Empty every queue at once ("reset the world"; PurgeQueue would allow one purge a minute). */
  purgeAll(): void;
  /** End the long-polls waiting on a queue, so its consumers poll again (step mode turning on). */
  endLongPolls(queueName: string): void;
  /** While true, every SQS call is answered 503 ServiceUnavailable (fault injection: "SQS is down"). */
  setUnavailable(unavailable: boolean): void;
  stop(): Promise<void>;
}

/** The embedded SQS plus the engine itself and its event stream. */
export interface EmbeddedEngine extends EmbeddedSqs {
  readonly engine: SqsEngine;
  /** Every engine event at the moment it happens; returns the function that stops listening. */
  subscribe(listener: SqsListener): () => void;
  /** An action for a client in this process, without HTTP (see SqsServer.call). */
  call: SqsServer["call"];
}

/** The engine and its HTTP server in this process. */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const engine = new SqsEngine({
    region: options.region,
    accountId: options.accountId ?? ACCOUNT_ID,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  // Restored before the port opens: no request ever sees the queues half back.
  const disk = options.dataDir === undefined ? undefined : await SqsDisk.open(options.dataDir, engine, { ...(options.log ? { log: options.log } : {}), ...(options.fsync ? { fsync: options.fsync } : {}) });
  const server = await startSqsServer({ engine, host: options.host, port: options.port, consumerOf: options.consumerOf, refuse: options.refuse, urlHost: options.urlHost, ...(options.onCall ? { onCall: options.onCall } : {}) }).catch(async (error: unknown) => {
    await disk?.close();
    throw error;
  });
  if (options.urlHost) engine.baseUrl = `http://${options.urlHost}:${server.port}`;
  return {
    endpoint: server.endpoint,
    port: server.port,
    engine,
    subscribe: (listener) => engine.subscribe(listener),
    inspect: (queueName, messageLimit = 200) => {
      const queue = engine.queue(queueName);
      return queue && viewOf(queue, messageLimit);
    },
    messageBody: (queueName, messageId) => engine.queue(queueName)?.messages().find((m) => m.id === messageId)?.body,
    messageIds: (queueName) => engine.queue(queueName)?.messages().map((m) => m.id) ?? [],
    attribute: (queueName, name) => engine.queue(queueName)?.attributes[name],
    purgeAll: () => {
      for (const queue of engine.list()) queue.purge({ force: true });
    },
    endLongPolls: (queueName) => engine.queue(queueName)?.endLongPolls(),
    setUnavailable: (value) => server.setUnavailable(value),
    call: (action, input, caller) => server.call(action, input, caller),
    stop: async () => {
      await server.close();
      await disk?.close();
    },
  };
}
