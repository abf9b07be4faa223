import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ACTIONS } from "./actions/index.js";
import type { Action, ActionContext } from "./actions/context.js";
import { NO_QUERY_CODE, SqsError, errors } from "./errors.js";
import type { SqsEngine } from "./model/engine.js";
import { listMessages } from "./developerEndpoint.js";
import { viewOf } from "./inspect.js";
import { wholeBody } from "../../common/bodyPreview.js";
import { checkJsonTypes } from "./protocol/jsonInput.js";
import { parseQuery } from "./protocol/queryInput.js";
import { errorXml, resultJson, resultXml } from "./protocol/queryOutput.js";

export interface SqsServerOptions {
  engine: SqsEngine;
  /** Interface to listen on (loopback unless the user asks otherwise). */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Labels whoever sent a ReceiveMessage (reported in `message.received`); default "other-client". */
  consumerOf?: (request: IncomingMessage) => string;
  /** The Host/Origin rule: return an SqsError to refuse a request before it is read. */
  refuse?: (request: IncomingMessage) => SqsError | undefined;
  /** Host name written into queue URLs in place of a loopback address the request was sent to (`localhost`, as LocalStack writes them). */
  urlHost?: string;
  /** Largest request body accepted, bytes (default 4 MiB: a full batch with base64 attributes fits). */
  maxBodyBytes?: number;
  /**
   * Told of every SQS action this server answered (not inspection, not a refused request): who
   * called (`consumerOf`), the action, its input, its output or error, and how long it took (ms).
   * The playground records other clients' calls (a terminal's) for the wire inspector with it.
   */
  onCall?: (call: ServedCall) => void;
}

/** One SQS action as this server answered it. */
export interface ServedCall {
  consumer: string;
  /** The request's User-Agent and X-Amz-User-Agent, joined: which program called. */
  userAgent: string;
  action: string;
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  durationMs: number;
}

export interface SqsServer {
  /** `http://host:port`: pass it to SDK clients as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** While true every call is answered 503 ServiceUnavailable (fault injection: "SQS is down"). */
  setUnavailable(unavailable: boolean): void;
  /**
   * One action for a client in this process (the playground's Lambda trigger): the JSON protocol's
   * input in (`{QueueUrl, …}` as an SDK would send it), its output out, with the same checks,
   * errors and unavailability as a request on the port, and reported to `onCall` with an empty
   * User-Agent. No HTTP, no SigV4, no SDK: the trigger is our Lambda poller, not a client
   * application. Unlike a reply on the port it does not wait for the fsync of its changes (their
   * journal lines are written with the next batch): the trigger's receives, deletes and visibility
   * changes acknowledge nothing to anyone, and one lost to a power cut only brings a message back,
   * which at-least-once delivery allows (about 1 ms off each task's path). `signal` ends a
   * ReceiveMessage's long poll early (it then answers what it has, usually nothing). Raises
   * SqsError (e.g. QueueDoesNotExist, ServiceUnavailable).
   */
  call(action: string, input: Record<string, unknown>, caller: { consumer: string; signal?: AbortSignal }): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

type Protocol = "json" | "query";
const DEVELOPER_ENDPOINT = "/_aws/sqs/messages";
/** A queue URL's path: `/<account>/<name>`, or `/queue/<region>/<account>/<name>` for another region. */
const QUEUE_PATH = /^(\/queue\/[a-z0-9-]+)?\/(\d{12})\/([^/?]+)\/?$/;

/**
 * Both SQS wire protocols on one node:http server: AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Action>`)
 * and the query protocol (form POST or GET), at `/` or at a queue URL's path. Every SqsError
 * becomes AWS's reply here, and only here; anything else is an InternalError with no detail.
 */
export async function startSqsServer(options: SqsServerOptions): Promise<SqsServer> {
  let unavailable = false;
  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const target = request.headers["x-amz-target"];
    const protocol: Protocol = typeof target === "string" ? "json" : "query";
    let action = "";
    let served: Omit<ServedCall, "output" | "error" | "durationMs"> | undefined;
    const started = performance.now();
    const report = (output: ServedCall["output"], error: ServedCall["error"]) => {
      if (served) options.onCall?.({ ...served, output, error, durationMs: Math.round((performance.now() - started) * 10) / 10 });
    };
    try {
      const refusal = options.refuse?.(request);
      if (refusal) throw refusal;
      const body = await readBody(request, options.maxBodyBytes ?? 4 * 1024 * 1024);
      const url = new RequestUrl(request.url);
      // Inspection, not SQS: it keeps working while SQS is made unavailable, as the views need it.
      if (url.pathname === DEVELOPER_ENDPOINT) return developerEndpoint(options.engine, url.parsed, body, response);
      if (unavailable) throw errors.serviceUnavailable();
      const parsed = protocol === "json" ? parseJson(String(target), body) : parseQueryRequest(request, url.parsed, body);
      action = parsed.action;
      const input = parsed.input;
      const baseUrl = baseUrlOf(request.headers.host ?? `localhost:${port}`, options.urlHost);
      const atQueue = url.pathname !== "/" && QUEUE_PATH.test(url.pathname);
      if (atQueue && input.QueueUrl === undefined) input.QueueUrl = `http://${request.headers.host ?? "localhost"}${url.pathname}`;
      if (atQueue && protocol === "query") checkQueueScoped(action);
      const run = ACTIONS[action];
      if (!run) throw unknownAction(protocol, action);
      const credential = credentialOf(request, url);
      const trace = request.headers["x-amzn-trace-id"];
      const context: ActionContext = {
        engine: options.engine,
        consumer: options.consumerOf?.(request) ?? "other-client",
        baseUrl,
        region: credential?.region ?? options.engine.region,
        senderId: options.engine.options.accountId,
      };
      served = { consumer: context.consumer, userAgent: `${request.headers["user-agent"] ?? ""} ${request.headers["x-amz-user-agent"] ?? ""}`, action, input };
      if (typeof trace === "string") context.traceHeader = trace;
      // Only a long poll outlives its request's arrival, so only it is told that the client left.
      if (action === "ReceiveMessage") context.callerGone = () => abortedOnClose(request, response);
      const output = await outputOf(run, input, context);
      // Acknowledged means on disk: the reply waits for the journal's fsync of every change so far
      // (a failed write is an InternalError, below; the client sends again).
      const durable = options.engine.durability?.committed();
      if (durable) await durable;
      report(output, null);
      if (protocol === "json") return send(response, 200, "application/x-amz-json-1.0", JSON.stringify(output), requestId);
      const wantsJson = request.method === "GET" && String(request.headers.accept ?? "").includes("application/json");
      if (wantsJson) return send(response, 200, "application/json", resultJson(action, output, requestId), requestId);
      return send(response, 200, "text/xml", resultXml(action, output, requestId), requestId);
    } catch (caught) {
      const error = asSqsError(caught);
      report(null, { code: error.code, message: error.message });
      if (protocol === "query" && error.code === "UnknownOperationException") {
        return send(response, 404, "text/xml", "<UnknownOperationException/>", requestId);
      }
      if (protocol === "query") return send(response, error.status, "text/xml", errorXml(queryWording(error), requestId), requestId);
      if (!NO_QUERY_CODE.has(error.code)) response.setHeader("x-amzn-query-error", `${error.code};${error.fault}`);
      const type = error.type.includes("#") ? error.type : `com.amazonaws.sqs#${error.type}`;
      const json = JSON.stringify({ __type: type, message: error.message });
      return send(response, error.status, "application/x-amz-json-1.0", json, requestId);
    }
  }

  async function call(action: string, input: Record<string, unknown>, caller: { consumer: string; signal?: AbortSignal }): Promise<Record<string, unknown>> {
    const started = performance.now();
    const served = { consumer: caller.consumer, userAgent: "", action, input };
    const report = (output: ServedCall["output"], error: ServedCall["error"]) =>
      options.onCall?.({ ...served, output, error, durationMs: Math.round((performance.now() - started) * 10) / 10 });
    const context: ActionContext = { engine: options.engine, consumer: caller.consumer, baseUrl: options.engine.baseUrl, region: options.engine.region, senderId: options.engine.options.accountId };
    if (caller.signal) context.callerGone = () => caller.signal!;
    try {
      if (unavailable) throw errors.serviceUnavailable();
      const run = ACTIONS[action];
      if (!run) throw unknownAction("json", action);
      checkJsonTypes(action, input);
      const output = await outputOf(run, input, context);
      report(output, null);
      return output;
    } catch (caught) {
      const error = asSqsError(caught);
      report(null, { code: error.code, message: error.message });
      throw error;
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  options.engine.baseUrl = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    setUnavailable: (value) => {
      unavailable = value;
    },
    call,
    close: () =>
      new Promise<void>((resolve) => {
        options.engine.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * LocalStack's developer endpoint (`/_aws/sqs/messages?QueueUrl=…&ShowInvisible=true&ShowDelayed=true`):
 * a queue's messages listed without receiving them, so one curl works on the engine and on LocalStack.
 */
function developerEndpoint(engine: SqsEngine, url: URL, body: string, response: ServerResponse): void {
  let parsedBody: unknown = {};
  try {
    parsedBody = body.trim() === "" ? {} : JSON.parse(body);
  } catch {
    // A body that is not JSON names no queue; the query string may.
  }
  const inspect = (queueUrl: string) => {
    const name = queueUrl.split("/").pop() ?? "";
    const queue = engine.queue(name);
    return queue && viewOf(queue, Number.POSITIVE_INFINITY, wholeBody);
  };
  const { status, body: reply } = listMessages({ query: Object.fromEntries(url.searchParams), body: parsedBody }, inspect);
  send(response, status, "application/x-amz-json-1.0", JSON.stringify(reply), randomUUID());
}

/**
 * A request's URL, parsed only when something needs more than its path: a JSON call posted to `/`
 * (nearly every call an SDK makes) never builds a URL object.
 */
class RequestUrl {
  readonly pathname: string;
  private url: URL | undefined;

  constructor(private readonly raw = "/") {
    this.pathname = raw === "/" ? raw : this.parsed.pathname;
  }

  get parsed(): URL {
    return (this.url ??= new URL(this.raw, "http://localhost"));
  }

  /** A query parameter, without parsing a URL that has no query string. */
  param(name: string): string | null {
    return this.raw === "/" ? null : this.parsed.searchParams.get(name);
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?$/;
/** Base URLs by Host header: a client names the same host on every call. Bounded: Host is the client's to choose. */
const baseUrls = new Map<string, string>();

/** Where queue URLs point for a request: the host it named (no `sqs.<region>.` prefix), a loopback address spelled `urlHost`. */
function baseUrlOf(host: string, urlHost: string | undefined): string {
  const key = urlHost === undefined ? host : `${host} ${urlHost}`;
  const known = baseUrls.get(key);
  if (known !== undefined) return known;
  const named = host.replace(/^sqs\.[a-z0-9-]+\./, "");
  const loopback = LOOPBACK.exec(named);
  const baseUrl = `http://${urlHost && loopback ? `${urlHost}${loopback[2] ?? ""}` : named}`;
  if (baseUrls.size >= 256) baseUrls.clear();
  baseUrls.set(key, baseUrl);
  return baseUrl;
}

/** A signal aborted when the client's connection closes before the reply was sent (it ends a long poll). */
function abortedOnClose(request: IncomingMessage, response: ServerResponse): AbortSignal {
  const gone = new AbortController();
  // Already gone before the poll began to wait: 'close' has been emitted, so it would never abort.
  if (!response.writableFinished && (response.destroyed || request.socket.destroyed)) gone.abort();
  response.on("close", () => {
    if (!response.writableFinished) gone.abort();
  });
  return gone.signal;
}

/** An action's output, awaited when it is a promise (a long poll). */
async function outputOf(run: Action, input: Record<string, unknown>, context: ActionContext): Promise<Record<string, unknown>> {
  const result = run(input, context);
  return (result instanceof Promise ? await result : result) as Record<string, unknown>;
}

/** SQS's own error, or an InternalError with no detail for anything else. */
function asSqsError(caught: unknown): SqsError {
  return caught instanceof SqsError ? caught : new SqsError("InternalError", "We encountered an internal error. Please try again.", 500, "Receiver");
}

function send(response: ServerResponse, status: number, contentType: string, body: string, requestId: string): void {
  response.writeHead(status, { "content-type": contentType, "x-amzn-requestid": requestId, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/** The request's body as text; RequestEntityTooLarge, with the connection closed, past `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > limit) {
        reject(new SqsError("RequestEntityTooLarge", "The request body is too large.", 413));
        request.destroy();
      }
    });
    // One chunk (a small body, the usual case) is decoded as it is, without a copy.
    request.once("end", () => resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
}

function parseJson(target: string, body: string): { action: string; input: Record<string, unknown> } {
  const action = target.startsWith("AmazonSQS.") ? target.slice("AmazonSQS.".length) : "";
  let input: unknown;
  try {
    // JSON.parse makes a `__proto__` key an own property (it never sets a prototype), so a message
    // attribute of that name, which SQS allows, is carried like any other.
    input = body.charCodeAt(0) !== 0x7b && body.trim() === "" ? {} : JSON.parse(body);
  } catch {
    throw new SqsError("SerializationException", "The request body could not be parsed as JSON.");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new SqsError("SerializationException", "The request body must be a JSON object.");
  checkJsonTypes(action, input as Record<string, unknown>);
  return { action, input: input as Record<string, unknown> };
}

/**
 * A query request: its URL's parameters and, for a form POST, the form's. A POST that names no
 * action (a form without Action, or a body that is no form: text/plain, multipart) is SQS's
 * MissingAction, as a page's HTML form would send one.
 */
function parseQueryRequest(request: IncomingMessage, url: URL, body: string) {
  const params = new URLSearchParams(url.search);
  if (request.method === "POST" && String(request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body)) params.append(key, value);
  }
  const parsed = parseQuery(params);
  if (request.method === "POST" && parsed.action === "") {
    throw new SqsError("MissingAction", "The request must name an action: a form-encoded body with Action, or X-Amz-Target with a body of Content-Type application/x-amz-json-1.0.");
  }
  return parsed;
}

function unknownAction(protocol: Protocol, action: string): SqsError {
  if (protocol === "json") return new SqsError("UnknownOperationException", `Operation ${action} is not supported.`);
  if (action === "") return new SqsError("UnknownOperationException", "An unknown operation was requested.", 404);
  return new SqsError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
}

/** Actions that name no queue are refused at a queue URL's path, as AWS does. */
const NOT_AT_QUEUE = new Set(["CreateQueue", "ListQueues"]);
function checkQueueScoped(action: string): void {
  if (NOT_AT_QUEUE.has(action)) throw new SqsError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
}

/** The query protocol words a missing queue as the old WSDL API did. */
function queryWording(error: SqsError): SqsError {
  if (error.code !== "AWS.SimpleQueueService.NonExistentQueue") return error;
  return new SqsError(error.code, "The specified queue does not exist for this wsdl version.", error.status, error.fault);
}

/**
 * The access key id and region of a SigV4 signature, from the Authorization header or a presigned
 * URL's X-Amz-Credential (`AKID/20260101/us-east-1/sqs/aws4_request`); the region chooses the queues.
 */
function credentialOf(request: IncomingMessage, url: RequestUrl): { accessKeyId: string; region: string } | undefined {
  const scope = /Credential=([^,\s]+)/.exec(request.headers.authorization ?? "")?.[1] ?? url.param("X-Amz-Credential");
  const [accessKeyId, , region] = (scope ?? "").split("/");
  return accessKeyId && region && /^[a-z0-9-]+$/.test(region) ? { accessKeyId, region } : undefined;
}
