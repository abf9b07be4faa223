import { LambdaClient } from "@aws-sdk/client-lambda";
import { maxReceiveCountOf } from "../../common/redrivePolicy.js";
import type { SqsCall } from "../../common/events.js";
import type { Config } from "../config.js";
import type { InvocationReports } from "./invocationReports.js";
import { TaskQueue } from "../queue/taskQueue.js";
import type { Backend } from "./backend.js";
import type { BackendDeps } from "./embedded.js";
import { handlerZip } from "./handlerBundle.js";
import { EventSourceMapping } from "./eventSourceMapping.js";
import { FunctionConcurrency } from "../trigger/functionConcurrency.js";
import { LambdaFunction } from "./lambdaFunction.js";
import { MappingTrigger } from "./mappingTrigger.js";
import { API_USER_AGENT, functionNameFor, OBSERVER_USER_AGENT } from "./names.js";
import { FUNCTION_ENV } from "../../common/internalApi.js";
import { QueueWatch } from "./queueWatch.js";
import { AttributeWatch } from "./attributeWatch.js";
import { BackendError } from "./provisioningError.js";
import { remoteConnections } from "./connections.js";

export interface ProvisioningOptions {
  /** Where the Lambda API is; by default the same endpoint as SQS (LocalStack) or AWS's own. */
  lambdaEndpoint?: string;
  /** Seconds between checks while waiting for a function or mapping to settle. */
  pollSeconds?: number;
}

export interface RemoteDeps extends BackendDeps {
  reports: InvocationReports;
  internalToken: string;
  provisioning?: ProvisioningOptions | undefined;
}

/** LocalStack accepts any role; AWS needs a real one (README: how to create it). */
const LOCALSTACK_ROLE = "arn:aws:iam::000000000000:role/queue-flow-playground-lambda";
const WATCH_INTERVAL_MS = 250;
const ATTRIBUTES_INTERVAL_MS = 1000;

/**
 * LocalStack or AWS: the same provisioning through the AWS APIs (queues with their redrive policy,
 * the handler zipped and deployed, the event source mapping), then observation without receiving
 * and control through the Lambda API.
 */
export async function startRemoteBackend(deps: RemoteDeps): Promise<Backend> {
  try {
    return await provisionAndWatch(deps);
  } catch (error) {
    const where = deps.config.mode === "localstack" ? `LocalStack at ${deps.config.AWS_ENDPOINT_URL_SQS ?? deps.config.AWS_ENDPOINT_URL}` : `AWS (${deps.config.AWS_REGION})`;
    const hint =
      deps.config.mode === "localstack"
        ? "is LocalStack running and healthy? `docker compose up` starts it; check /_localstack/health"
        : "check the credentials, the region and LAMBDA_ROLE_ARN";
    throw new BackendError(`could not set up ${where}: ${error instanceof Error ? error.message : String(error)}\n  ${hint}`, { cause: error });
  }
}

async function provisionAndWatch(deps: RemoteDeps): Promise<Backend> {
  const { config, publish, log, reports } = deps;
  const localstack = config.mode === "localstack";
  const connections = remoteConnections(config, deps.provisioning?.lambdaEndpoint);
  const endpoint = connections.sqs.endpoint;
  // One per source queue, keyed by its URL, set once the queues exist: the API's sends go to the
  // watch at once rather than at its next poll.
  const watchByUrl = new Map<string, QueueWatch>();
  const onCall = (call: SqsCall, raw: { request: unknown; response: unknown }) => {
    deps.onCall(call);
    // From the call's own request: the record's bodies are cut, and the task id is read from the whole body.
    const watch = watchByUrl.get(String((raw.request as { QueueUrl?: unknown } | undefined)?.QueueUrl ?? ""));
    if (!call.error && watch) for (const sent of sentBy(call.operation, raw)) watch.noteSent(sent.messageId, sent.body, sent.groupId);
  };
  const apiQueue = new TaskQueue(connections.sqs, deps.queueSettings, { userAgent: API_USER_AGENT, caller: "api", onCall });
  const queues = await apiQueue.provision();

  const lambda = new LambdaClient(connections.lambda);
  const pollSeconds = deps.provisioning?.pollSeconds ?? 1;
  const fn = new LambdaFunction(lambda, pollSeconds);
  const mapping = new EventSourceMapping(lambda, pollSeconds * 1000);
  const functionName = functionNameFor(config);
  log(`deploying the handler as Lambda function ${functionName} (the first time, ${config.mode} may pull a runtime image)…`);
  await fn.deploy({
    name: functionName,
    zip: await handlerZip(),
    runtime: "nodejs22.x",
    roleArn: config.LAMBDA_ROLE_ARN ?? LOCALSTACK_ROLE,
    timeoutSeconds: config.FUNCTION_TIMEOUT_SECONDS,
    memoryMb: 128,
    environment: { [FUNCTION_ENV.url]: internalUrl(config), [FUNCTION_ENV.token]: deps.internalToken },
  });
  // A reservation left by an earlier run would throttle unseen: start with none, as the embedded function does.
  await fn.setReservedConcurrency(functionName, null);
  const created = await mapping.ensure(functionName, queues.queueArn, deps.triggerSettings);
  const mappingDeps = { mapping, fn, functionName, functionTimeoutSeconds: config.FUNCTION_TIMEOUT_SECONDS, reports, publish, log, concurrency: new FunctionConcurrency() };
  const trigger = new MappingTrigger({ ...mappingDeps, uuid: created.UUID ?? "", settings: deps.triggerSettings });
  // The FIFO queue and a second mapping on it, to the same function.
  const fifoApiQueue = new TaskQueue(connections.sqs, deps.fifoQueueSettings, { userAgent: API_USER_AGENT, caller: "api", onCall });
  const fifoQueues = await fifoApiQueue.provision();
  const fifoCreated = await mapping.ensure(functionName, fifoQueues.queueArn, deps.fifoTriggerSettings);
  const fifoTrigger = new MappingTrigger({ ...mappingDeps, uuid: fifoCreated.UUID ?? "", settings: deps.fifoTriggerSettings, fifo: true });
  reports.setFifoSource(fifoQueues.queueArn);

  let visibilityTimeout = config.VISIBILITY_TIMEOUT_SECONDS;
  // Each source queue with its DLQ: the standard pair, then the FIFO pair.
  const pairs = [
    { queue: { name: config.QUEUE_NAME, url: queues.queueUrl }, deadLetterQueue: { name: config.DLQ_NAME, url: queues.deadLetterQueueUrl } },
    { queue: { name: deps.fifoQueueSettings.queueName, url: fifoQueues.queueUrl }, deadLetterQueue: { name: deps.fifoQueueSettings.deadLetterQueueName, url: fifoQueues.deadLetterQueueUrl } },
  ];
  // Each queue's own VisibilityTimeout as last polled (a learner may change either from the terminal).
  const visibilityOf = (name: string) => Number(attributes.attribute(name, "VisibilityTimeout") ?? config.VISIBILITY_TIMEOUT_SECONDS);
  // A stopped or disabled mapping polls no more: a receive then is another client's at once.
  const windowOf = (mappingTrigger: MappingTrigger) => () =>
    mappingTrigger.state === "enabled" || mappingTrigger.state === "stopping" ? mappingTrigger.settings.MaximumBatchingWindowInSeconds * 1000 : null;
  const triggers = [trigger, fifoTrigger];
  const watches = localstack
    ? pairs.map((pair, i) => new QueueWatch({ endpoint: endpoint ?? "", ...pair, publish, visibilityTimeoutSeconds: () => visibilityOf(pair.queue.name), triggerWindowMs: windowOf(triggers[i] ?? trigger) }))
    : [];
  watches.forEach((watch, i) => watchByUrl.set(pairs[i]?.queue.url ?? "", watch));
  // Its own client, unrecorded: polling twice a second would otherwise fill the wire inspector and the event log.
  const observer = new TaskQueue(connections.sqs, deps.queueSettings, { userAgent: OBSERVER_USER_AGENT });
  const attributes = new AttributeWatch(observer, pairs.flatMap((pair) => [pair.queue, pair.deadLetterQueue]));
  // Each watch acts only on the messages its queue holds.
  const unsubscribe = reports.onStarted((report) => watches.forEach((watch) => watch.noteInvoked(report.messageIds, report.receiveCounts)));
  const timers = [
    watches.length > 0 && every(WATCH_INTERVAL_MS, async () => void (await Promise.all(watches.map((watch) => watch.poll()))), (e) => log("watching LocalStack's queues:", errorText(e))),
    every(ATTRIBUTES_INTERVAL_MS, async () => {
      await attributes.poll();
      visibilityTimeout = Number(attributes.attribute(config.QUEUE_NAME, "VisibilityTimeout") ?? visibilityTimeout);
    }, (e) => log("reading queue attributes:", errorText(e))),
  ];

  return {
    mode: config.mode,
    queues,
    apiQueue,
    trigger,
    fifo: { queues: fifoQueues, apiQueue: fifoApiQueue, trigger: fifoTrigger },
    sqsEndpoint: endpoint ?? `https://sqs.${config.AWS_REGION}.amazonaws.com`,
    capabilities: {
      stepMode: false,
      messageDetail: localstack,
      note: localstack
        ? "LocalStack: queue contents come from its /_aws/sqs/messages endpoint every 250 ms, so a message that comes and goes faster may show only its start and end; visibility countdowns are estimated."
        : "AWS: SQS shows counts only (GetQueueAttributes, every second, approximate); per-message visibility and receive counts are not observable without receiving, which would change the queue.",
    },
    inspect: () => (watches.length > 0 ? watches.flatMap((watch) => watch.views()) : attributes.views()),
    messageBody: (messageId) => watches.map((watch) => watch.messageBody(messageId)).find((found) => found !== undefined),
    visibilityTimeoutSeconds: () => visibilityTimeout,
    maxReceiveCount: (queue) => maxReceiveCountOf(attributes.attribute(queue, "RedrivePolicy")) ?? config.MAX_RECEIVE_COUNT,
    purgeAll: async () => {
      await apiQueue.purge();
      await fifoApiQueue.purge();
    },
    setSqsUnavailable: (unavailable) => {
      apiQueue.setUnavailable(unavailable);
      fifoApiQueue.setUnavailable(unavailable);
    },
    onStepModeEnabled: () => {},
    stop: async () => {
      for (const timer of timers) if (timer) clearInterval(timer);
      unsubscribe();
      await Promise.all([trigger.stop(), fifoTrigger.stop()]);
      apiQueue.destroy();
      fifoApiQueue.destroy();
      observer.destroy();
      lambda.destroy();
    },
  };
}

/** How the deployed function reaches the playground's internal routes. */
function internalUrl(config: Config): string {
  if (config.PLAYGROUND_INTERNAL_URL) return config.PLAYGROUND_INTERNAL_URL;
  // LocalStack's Lambda containers reach the host through Docker's host gateway (README: networking).
  return `http://host.docker.internal:${config.PORT}`;
}

function every(ms: number, work: () => Promise<void>, onError: (error: unknown) => void): NodeJS.Timeout {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    work().catch(onError).finally(() => (busy = false));
  }, ms);
  timer.unref();
  return timer;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface SentEntry {
  Id?: string;
  MessageBody?: string;
  MessageGroupId?: string;
}

/** The messages a successful SendMessage or SendMessageBatch call put on the queue (with their MessageGroupId on a FIFO queue). */
function sentBy(operation: string, call: { request: unknown; response: unknown }): { messageId: string; body: string; groupId?: string }[] {
  const sent = (messageId: string, entry: SentEntry | undefined) => ({ messageId, body: entry?.MessageBody ?? "", ...(entry?.MessageGroupId === undefined ? {} : { groupId: entry.MessageGroupId }) });
  if (operation === "SendMessage") {
    const messageId = (call.response as { MessageId?: string } | undefined)?.MessageId;
    return messageId ? [sent(messageId, call.request as SentEntry)] : [];
  }
  if (operation !== "SendMessageBatch") return [];
  const entries = new Map(((call.request as { Entries?: SentEntry[] }).Entries ?? []).map((entry) => [entry.Id, entry]));
  const successful = (call.response as { Successful?: { Id?: string; MessageId?: string }[] } | undefined)?.Successful ?? [];
  return successful.flatMap((entry) => (entry.MessageId ? [sent(entry.MessageId, entries.get(entry.Id))] : []));
}
