import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a runtime posts to `/invocation/{id}/error` or `/init/error`: Lambda's error shape. */
export interface RuntimeErrorPayload {
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

/** One invocation as `/invocation/next` hands it to the runtime. */
export interface RuntimeInvocation {
  requestId: string;
  /** The event, as JSON text. */
  event: string;
  /** The function timeout (ms). Its deadline (Lambda-Runtime-Deadline-Ms) is set when the runtime takes the event: init time does not count, as on Lambda. */
  timeoutMs: number;
  functionArn: string;
  traceId: string;
  /** Lambda-Runtime-Client-Context: what the invoker passed as the client context (JSON text), if anything. */
  clientContext?: string;
}

/** What the environment hears from its runtime. */
export interface RuntimeApiListener {
  /** The runtime asked for its first event: its init is over. */
  onReady(): void;
  onResponse(requestId: string, body: string): void;
  onError(requestId: string, payload: RuntimeErrorPayload): void;
  onInitError(payload: RuntimeErrorPayload): void;
}

const PREFIX = "/2018-06-01/runtime";
const NEXT = `${PREFIX}/invocation/next`;
const INIT_ERROR = `${PREFIX}/init/error`;
const RESULT = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;
/** A synchronous invocation's response may be at most 6 MB (Lambda quotas). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/**
 * The Lambda Runtime API (version 2018-06-01) for ONE execution environment, on its own loopback
 * port: the runtime inside the environment long-polls `GET /invocation/next`, then posts
 * `/invocation/{id}/response` or `/invocation/{id}/error`; `/init/error` when its handler cannot
 * be loaded. One endpoint per environment, and a response is taken only for the request id this
 * endpoint handed out, which no other environment has seen: one environment cannot answer
 * another's invocation. A browser page cannot use it either: requests carrying an Origin or
 * Sec-Fetch-Site header (browsers send one; runtimes do not), or a Host other than the endpoint's own address, are refused.
 * Source: docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html.
 */
export class RuntimeApi {
  private waiting: ServerResponse | null = null;
  private queued: { invocation: RuntimeInvocation; onSent: (deadlineMs: number) => void } | null = null;
  /** The request id handed out and not yet answered. */
  private current: string | null = null;
  private ready = false;

  private constructor(
    private readonly server: Server,
    private readonly listener: RuntimeApiListener,
  ) {}

  /** Listens on 127.0.0.1 on a free port. */
  static async listen(listener: RuntimeApiListener): Promise<RuntimeApi> {
    let api: RuntimeApi | undefined;
    const server = createServer((req, res) => api?.route(req, res));
    // /next is held open for as long as the environment stays warm.
    server.requestTimeout = 0;
    server.headersTimeout = 10_000;
    server.keepAliveTimeout = 0;
    api = new RuntimeApi(server, listener);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return api;
  }

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Hands an invocation to the runtime's waiting `/next`, or keeps it for the next one; `onSent` gets its deadline (epoch ms) once the runtime has it. */
  deliver(invocation: RuntimeInvocation, onSent: (deadlineMs: number) => void): void {
    this.queued = { invocation, onSent };
    if (this.waiting) {
      const res = this.waiting;
      this.waiting = null;
      this.send(res);
    }
  }

  close(): void {
    this.waiting?.destroy();
    this.waiting = null;
    this.server.closeAllConnections();
    this.server.close();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.origin !== undefined || req.headers["sec-fetch-site"] !== undefined || req.headers.host !== this.address) {
      return reply(res, 403, { errorType: "Forbidden", errorMessage: "the Runtime API answers only the runtime of its own execution environment" });
    }
    const path = req.url ?? "";
    if (req.method === "GET" && path === NEXT) return this.next(res);
    if (req.method === "POST" && path === INIT_ERROR) {
      return readBody(req, res, (body) => {
        if (this.ready) return reply(res, 403, { errorType: "InvalidStateTransition", errorMessage: "init/error after the runtime asked for an invocation" });
        this.listener.onInitError(errorPayload(body, req.headers["lambda-runtime-function-error-type"], "Runtime.Unknown"));
        reply(res, 202, { status: "OK" });
      });
    }
    const match = req.method === "POST" ? RESULT.exec(path) : null;
    if (!match) return reply(res, 404, { errorType: "NotFound", errorMessage: `no route for ${req.method ?? ""} ${path}` });
    const requestId = decodeURIComponent(match[1] ?? "");
    readBody(req, res, (body) => {
      if (requestId !== this.current) return reply(res, 400, { errorType: "InvalidRequestID", errorMessage: `no invocation ${requestId} is waiting for an answer here` });
      this.current = null;
      reply(res, 202, { status: "OK" });
      if (match[2] === "response") this.listener.onResponse(requestId, body);
      else this.listener.onError(requestId, errorPayload(body, req.headers["lambda-runtime-function-error-type"], "Runtime.Unknown"));
    });
  }

  private next(res: ServerResponse): void {
    if (!this.ready) {
      this.ready = true;
      this.listener.onReady();
    }
    if (this.queued) return this.send(res);
    this.waiting?.destroy();
    this.waiting = res;
  }

  private send(res: ServerResponse): void {
    if (!this.queued) return;
    const { invocation, onSent } = this.queued;
    this.queued = null;
    this.current = invocation.requestId;
    const deadlineMs = Date.now() + invocation.timeoutMs;
    res.writeHead(200, {
      "content-type": "application/json",
      "lambda-runtime-aws-request-id": invocation.requestId,
      "lambda-runtime-deadline-ms": String(deadlineMs),
      "lambda-runtime-invoked-function-arn": invocation.functionArn,
      "lambda-runtime-trace-id": invocation.traceId,
      ...(invocation.clientContext === undefined ? {} : { "lambda-runtime-client-context": invocation.clientContext }),
    });
    res.end(invocation.event);
    onSent(deadlineMs);
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Reads a body of at most 6 MB; a larger one is answered 413 (Lambda's RequestEntityTooLarge). */
function readBody(req: IncomingMessage, res: ServerResponse, then: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_RESPONSE_BYTES) return reply(res, 413, { errorType: "RequestEntityTooLarge", errorMessage: `the response is ${size} bytes; at most ${MAX_RESPONSE_BYTES}` });
    then(Buffer.concat(chunks).toString("utf8"));
  });
}

/** The runtime's error body, or what can be said when it sent none that reads. */
function errorPayload(body: string, typeHeader: string | string[] | undefined, fallback: string): RuntimeErrorPayload {
  const headerType = typeof typeHeader === "string" && typeHeader ? typeHeader : fallback;
  try {
    const parsed = JSON.parse(body) as Partial<RuntimeErrorPayload>;
    return {
      errorType: typeof parsed.errorType === "string" && parsed.errorType ? parsed.errorType : headerType,
      errorMessage: typeof parsed.errorMessage === "string" ? parsed.errorMessage : "",
      stackTrace: Array.isArray(parsed.stackTrace) ? parsed.stackTrace.filter((line): line is string => typeof line === "string") : [],
    };
  } catch {
    return { errorType: headerType, errorMessage: body.slice(0, 2000), stackTrace: [] };
  }
}
