import { buildApp } from "fauxqs";
import type { Consumer, QueueView, QueuedMessage } from "../../common/events.js";
import { taskIdOf } from "../../common/taskMessage.js";
import type { Clock, Publish } from "../events/eventLog.js";
import { randomUUID } from "node:crypto";
import { createFauxqsStores, startVisibilityTogether, type FauxqsQueue } from "./fauxqsInternals.js";
import { errorToXml, jsonToXml, queryToJson, SQS_QUERY_ACTIONS } from "./queryProtocol.js";
import { SqsObserver } from "./sqsObserver.js";
import { listMessages } from "./developerEndpoint.js";

export const ACCOUNT_ID = "000000000000";
const DEVELOPER_ENDPOINT = "/_aws/sqs/messages";

export interface EmbeddedSqsOptions {
  /** Interface to listen on; loopback unless the user asks otherwise. */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Host name written into queue URLs: `http://localhost:4566/000000000000/<queue>`, as LocalStack does. */
  urlHost: string;
  region: string;
  publish: Publish;
  /** User-Agent fragment our Lambda trigger sends, so its receives are told apart from anyone else's. */
  triggerUserAgent: string;
  clock?: Clock;
}

export interface EmbeddedSqs {
  /** Where an SDK client should send requests (pass it as `endpoint`). */
  readonly endpoint: string;
  readonly port: number;
  inspect(queueName: string, messageLimit?: number): QueueView | undefined;
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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The last path segment of a queue URL, whatever host or port it was spelled with. */
export function queueNameOf(queueUrl: string): string | undefined {
  try {
    return new URL(queueUrl).pathname.split("/").filter(Boolean).pop();
  } catch {
    return undefined;
  }
}

/**
 * fauxqs speaking the real SQS JSON protocol, in this process, on loopback. One hook makes any
 * spelling of a queue URL work (fauxqs looks queues up by the exact URL string); another watches
 * the wire so the observer can tell who received which message.
 */
export async function startEmbeddedSqs(options: EmbeddedSqsOptions): Promise<EmbeddedSqs> {
  const clock = options.clock ?? Date.now;
  const stores = await createFauxqsStores();
  const { sqsStore } = stores;
  const observer = new SqsObserver(sqsStore, options.publish, clock);
  sqsStore.spy = observer;
  sqsStore.region = options.region;
  let port = options.port;
  sqsStore.buildQueueUrl = (name) => `http://${options.urlHost}:${port}/${ACCOUNT_ID}/${name}`;

  const app = buildApp({ logger: false, defaultRegion: options.region, stores: stores as never });
  let unavailable = false;

  app.route({
    method: ["GET", "POST"],
    url: DEVELOPER_ENDPOINT,
    handler: async (request, reply) => {
      const inspect = (queueUrl: string) => {
        const queue = sqsStore.getQueueByName(queueNameOf(queueUrl) ?? "");
        return queue && viewOf(queue, clock(), Number.POSITIVE_INFINITY);
      };
      const { status, body } = listMessages({ query: request.query as Record<string, unknown>, body: request.body }, inspect);
      return reply.status(status).header("content-type", "application/x-amz-json-1.0").send(body);
    },
  });

  app.addHook("onRequest", async (request, reply) => {
    if (!unavailable || !request.headers["x-amz-target"] || request.url.startsWith(DEVELOPER_ENDPOINT)) return;
    await reply
      .status(503)
      .header("content-type", "application/x-amz-json-1.0")
      .header("x-amzn-query-error", "ServiceUnavailable;Receiver")
      .send({ __type: "com.amazonaws.sqs#ServiceUnavailable", message: "The request has failed due to a temporary failure of the server." });
  });

  // Query protocol (older CLIs): translate, answer through fauxqs' own JSON handlers, reply in XML.
  app.addHook("preHandler", async (request, reply) => {
    const body: unknown = request.body;
    if (!isRecord(body) || typeof body.Action !== "string" || !SQS_QUERY_ACTIONS.has(body.Action)) return;
    if (!String(request.headers["content-type"] ?? "").includes("x-www-form-urlencoded")) return;
    const { action, input } = queryToJson(body as Record<string, string>);
    const forwarded = ["user-agent", "authorization"].filter((h) => request.headers[h] !== undefined);
    const response = await app.inject({
      method: "POST",
      url: "/",
      headers: {
        ...Object.fromEntries(forwarded.map((h) => [h, String(request.headers[h])])),
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `AmazonSQS.${action}`,
      },
      payload: JSON.stringify(input),
    });
    const requestId = randomUUID();
    const json = (response.body ? JSON.parse(response.body) : {}) as Record<string, unknown>;
    const queryError = response.headers["x-amzn-query-error"];
    const xml = response.statusCode === 200 ? jsonToXml(action, json, requestId) : errorToXml(json, typeof queryError === "string" ? queryError : undefined, requestId);
    return reply.status(response.statusCode).header("content-type", "text/xml").send(xml);
  });

  app.addHook("preHandler", async (request) => {
    const body: unknown = request.body;
    if (!isRecord(body) || typeof body.QueueUrl !== "string") return;
    const name = queueNameOf(body.QueueUrl);
    const queue = name ? sqsStore.getQueueByName(name) : undefined;
    if (queue) body.QueueUrl = queue.url;
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const target = request.headers["x-amz-target"];
    const body: unknown = request.body;
    if (reply.statusCode !== 200 || typeof target !== "string" || !isRecord(body) || typeof payload !== "string") return payload;
    const queueName = typeof body.QueueUrl === "string" ? queueNameOf(body.QueueUrl) : undefined;
    if (!queueName) return payload;
    if (target === "AmazonSQS.SendMessage" || target === "AmazonSQS.SendMessageBatch") {
      // The response is read only for a delayed message: parsing every send's reply cost a burst dearly.
      observer.sent(queueName, target.endsWith("Batch") ? (body.Entries as unknown[]) : [body], () => JSON.parse(payload) as Record<string, unknown>);
    } else if (target === "AmazonSQS.ReceiveMessage") {
      const result: unknown = JSON.parse(payload);
      const messages = isRecord(result) && Array.isArray(result.Messages) ? result.Messages : [];
      const userAgent = `${request.headers["user-agent"] ?? ""} ${request.headers["x-amz-user-agent"] ?? ""}`;
      const consumer: Consumer = userAgent.includes(options.triggerUserAgent) ? "lambda-trigger" : "other-client";
      const queue = sqsStore.getQueueByName(queueName);
      const handles = messages.filter(isRecord).map((message) => String(message.ReceiptHandle));
      if (queue) startVisibilityTogether(queue, handles);
      observer.received(queueName, messages as { ReceiptHandle?: string }[], consumer);
    } else if (target === "AmazonSQS.ChangeMessageVisibility" && typeof body.ReceiptHandle === "string") {
      observer.visibilityChanged(queueName, [body.ReceiptHandle]);
    } else if (target === "AmazonSQS.ChangeMessageVisibilityBatch" && Array.isArray(body.Entries)) {
      const handles = body.Entries.filter(isRecord).map((entry) => String(entry.ReceiptHandle));
      observer.visibilityChanged(queueName, handles);
    }
    return payload;
  });

  const address = await app.listen({ host: options.host, port: options.port });
  port = Number(new URL(address).port);

  return {
    endpoint: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`,
    port,
    inspect: (queueName, messageLimit = 200) => {
      const queue = sqsStore.getQueueByName(queueName);
      return queue && viewOf(queue, clock(), messageLimit);
    },
    attribute: (queueName, name) => sqsStore.getQueueByName(queueName)?.attributes[name],
    purgeAll: () => {
      for (const queue of sqsStore.listQueues()) queue.purge();
      observer.stop();
    },
    endLongPolls: (queueName) => sqsStore.getQueueByName(queueName)?.cancelWaiters(),
    setUnavailable: (value) => {
      unavailable = value;
    },
    stop: async () => {
      observer.stop();
      await app.close();
    },
  };
}

/**
 * A queue as inspection sees it. fauxqs applies visibility and delay expiry only on the next
 * receive, so state is computed from the deadlines here rather than trusted from its lists.
 */
function viewOf(queue: FauxqsQueue, now: number, messageLimit: number): QueueView {
  const { ready, delayed, inflight } = queue.inspectMessages();
  const messages: QueuedMessage[] = [];
  const counts = { visible: 0, inFlight: 0, delayed: 0 };
  const add = (message: QueuedMessage) => {
    counts[message.state === "in-flight" ? "inFlight" : message.state] += 1;
    if (messages.length < messageLimit) messages.push(message);
  };
  const base = (m: { messageId: string; body: string; approximateReceiveCount: number; sentTimestamp: number }) => ({
    messageId: m.messageId,
    taskId: taskIdOf(m.body),
    body: m.body,
    receiveCount: m.approximateReceiveCount,
    sentAt: m.sentTimestamp,
  });
  for (const m of ready) add({ ...base(m), state: "visible", visibleAt: null });
  for (const e of inflight) {
    const expired = e.visibilityDeadline <= now;
    add({ ...base(e.message), state: expired ? "visible" : "in-flight", visibleAt: expired ? null : e.visibilityDeadline });
  }
  for (const m of delayed as (typeof delayed[number] & { delayUntil?: number })[]) {
    const due = (m.delayUntil ?? 0) <= now;
    add({ ...base(m), state: due ? "visible" : "delayed", visibleAt: due ? null : (m.delayUntil ?? null) });
  }
  return { name: queue.name, url: queue.url, ...counts, messages };
}
