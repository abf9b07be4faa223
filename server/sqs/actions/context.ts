import { errors } from "../errors.js";
import type { SqsEngine } from "../model/engine.js";
import type { Queue } from "../model/queue.js";
import { requireString, type Input } from "./validate.js";

/** What an action gets besides its input. */
export interface ActionContext {
  engine: SqsEngine;
  /** The label reported as the receiver in `message.received` (who is calling). */
  consumer: string;
  /** `http://host:port` as the client addressed us, so queue URLs in replies work from where it runs. */
  baseUrl: string;
  /** The region the request was signed for (its credential scope), or the engine's. */
  region: string;
  /** The X-Amzn-Trace-Id header of the request, which SendMessage stores as AWSTraceHeader. */
  traceHeader?: string;
  /** ReceiveMessage's: a signal aborted when the client's connection closes before the reply (ends its long poll), made when asked. */
  callerGone?: () => AbortSignal;
  /** Reported as SenderId: the account id, as LocalStack reports it for its test credentials. */
  senderId: string;
}

/** An SQS action: validated input in (JSON protocol shape), result out, SqsError on any refusal. */
export type Action = (input: Input, context: ActionContext) => unknown;

/** The queue URL a client should use, on the host it used to reach us. */
export function queueUrl(context: ActionContext, queue: Queue): string {
  return context.engine.urlOf(queue.name, queue.region, context.baseUrl);
}

/**
 * The queue named by a QueueUrl parameter: any URL whose path ends `/<account>/<name>` (whatever its
 * host or port; the region is the one in its path `/queue/<region>/…` or host `sqs.<region>.…` if
 * it names one, else the request's), or a
 * bare queue name, which SQS also accepts. QueueDoesNotExist otherwise.
 */
export function queueOf(input: Input, context: ActionContext): Queue {
  const reference = requireString(input, "QueueUrl");
  // A client names its queue the same way on every call: its URL is read once.
  const key = `${context.region} ${reference}`;
  let named = queueNames.get(key);
  if (!named) {
    named = nameOf(reference, context.region);
    if (queueNames.size >= 1024) queueNames.clear();
    if (reference.length <= 512) queueNames.set(key, named);
  }
  if (named.account !== undefined && named.account !== context.engine.options.accountId) throw errors.queueDoesNotExist();
  const queue = named.name ? context.engine.queue(named.name, named.region) : undefined;
  if (!queue) throw errors.queueDoesNotExist();
  return queue;
}

/** Queue references already read, by region and reference. Bounded in count and size: the references are the clients' to choose. */
const queueNames = new Map<string, { name: string | undefined; account: string | undefined; region: string }>();

/** The queue name, account and region a QueueUrl parameter names (see `queueOf`); QueueDoesNotExist for a URL that does not parse. */
function nameOf(reference: string, requestRegion: string): { name: string | undefined; account: string | undefined; region: string } {
  let segments: string[];
  let region = requestRegion;
  try {
    if (reference.includes("/")) {
      const url = new URL(reference);
      segments = url.pathname.split("/").filter(Boolean);
      region =
        (segments[0] === "queue" && segments.length === 4 ? segments[1] : undefined) ??
        /^sqs\.([a-z0-9-]+)\./.exec(url.hostname)?.[1] ??
        /^([a-z]{2}(?:-[a-z]+)+-\d)\.queue\./.exec(url.hostname)?.[1] ??
        region;
    } else {
      segments = [reference];
    }
  } catch {
    throw errors.queueDoesNotExist();
  }
  return { name: segments.at(-1), account: segments.length >= 2 ? segments.at(-2) : undefined, region };
}
