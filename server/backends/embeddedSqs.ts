import type { SqsCall } from "../../common/events.js";
import type { Publish } from "../events/eventLog.js";
import { foreignCaller } from "../queue/sqsGuard.js";
import { callRecord } from "../queue/wireRecorder.js";
import { parseReceiptHandle } from "../sqs/model/receiptHandle.js";
import type { ServedCall } from "../sqs/server.js";
import { HostRule, splitHost } from "../security/hostRule.js";
import type { SqsFsync } from "../sqs/durable/sqsDisk.js";
import { startEmbeddedEngine, type EmbeddedEngine } from "../sqs/embedded.js";
import { flowEventsOf } from "./sqsFlowEvents.js";

export interface PlaygroundSqsOptions {
  /** Interface to listen on; loopback unless the user asks otherwise. */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  region: string;
  publish: Publish;
  /** PUBLIC_HOST: its name (with this port) is a name this endpoint may be called by too. */
  publicHost?: string;
  /** Whether an Origin is the playground's own page; by default no browser page may call this endpoint. */
  pageOrigin?: (origin: string) => boolean;
  /** DATA_DIR: queues and messages survive a restart there (see server/sqs/durable/). */
  dataDir?: string;
  fsync?: SqsFsync;
  log?: (message: string) => void;
  /** When our trigger's in-process call may be recorded: the API's calls begun before it come first (default: at once). */
  triggerCallsAfter?: (record: () => void) => void;
}

/**
 * The playground's embedded SQS: our engine (server/sqs/) on loopback, queue URLs on `localhost`
 * as LocalStack writes them, behind the API's Host/Origin rule, with every engine event passed on
 * as a flow event and each receive labelled with who made it: our trigger (its in-process calls,
 * engineQueue.ts) or any other client (over the port).
 */
export async function startEmbeddedSqs(options: PlaygroundSqsOptions): Promise<EmbeddedEngine> {
  let port = options.port;
  const publicName = options.publicHost ? splitHost(options.publicHost)?.name : undefined;
  const hosts = new HostRule({ port: () => port, bindHost: options.host, classroom: false, ...(publicName ? { publicHost: publicName } : {}) });
  const rules = { hosts, pageOrigin: options.pageOrigin ?? (() => false) };
  const sqs = await startEmbeddedEngine({
    host: options.host,
    port: options.port,
    urlHost: "localhost",
    region: options.region,
    refuse: (request) => foreignCaller(request.headers, rules),
    // The playground's own SDK clients record their calls themselves (server/queue/wireRecorder.ts);
    // the trigger's in-process calls (no User-Agent) and every other client's are recorded here.
    onCall: (call) => {
      if (call.userAgent.includes(PLAYGROUND_USER_AGENT)) return;
      const record = () => options.publish({ type: "sqs.call", call: servedCallRecord(call) });
      if (call.consumer === "lambda-trigger" && options.triggerCallsAfter) options.triggerCallsAfter(record);
      else record();
    },
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.fsync ? { fsync: options.fsync } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  port = sqs.port;
  let resetting = false;
  sqs.subscribe(flowEventsOf(options.publish, sqs.messageBody, () => resetting));
  return {
    ...sqs,
    purgeAll: () => {
      resetting = true;
      try {
        sqs.purgeAll();
      } finally {
        resetting = false;
      }
    },
  };
}

/** What every SQS client of the playground itself puts in its User-Agent (server/backends/names.ts). */
const PLAYGROUND_USER_AGENT = "queue-flow-playground/";

/**
 * A call the engine answered, by its consumer: our trigger's in-process calls, or another client's
 * (a terminal's awslocal, a script), as the wire inspector records the playground's own SDK calls: the learner's empty receives and visibility changes are counted from these.
 * Receipt handles of this engine name their message, so a call by receipt is linked to it too.
 */
function servedCallRecord(call: ServedCall): SqsCall {
  const output = call.output ?? {};
  const ids = new Set<string>();
  if (typeof output.MessageId === "string") ids.add(output.MessageId);
  for (const m of Array.isArray(output.Messages) ? (output.Messages as { MessageId?: unknown }[]) : []) if (typeof m.MessageId === "string") ids.add(m.MessageId);
  const entries = Array.isArray(call.input.Entries) ? (call.input.Entries as { ReceiptHandle?: unknown }[]) : [call.input];
  for (const entry of entries) {
    const handle = typeof entry.ReceiptHandle === "string" ? parseReceiptHandle(entry.ReceiptHandle) : undefined;
    if (handle) ids.add(handle.messageId);
  }
  return callRecord({ caller: call.consumer, operation: call.action, input: call.input, response: call.output, error: call.error, durationMs: call.durationMs, messageIds: [...ids] });
}
