import { LambdaClient } from "@aws-sdk/client-lambda";
import type { SqsCall } from "../../common/events.js";
import type { Config } from "../config.js";
import type { InvocationReports } from "./invocationReports.js";
import { TaskQueue } from "../queue/taskQueue.js";
import type { Backend } from "./backend.js";
import type { BackendDeps } from "./embedded.js";
import { handlerZip } from "./handlerBundle.js";
import { EventSourceMapping } from "./eventSourceMapping.js";
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
  // Set once queues exist: the API's sends go to the watch at once rather than at its next poll.
  let watch: QueueWatch | undefined;
  const onCall = (call: SqsCall) => {
    deps.onCall(call);
    if (!call.error && watch) for (const sent of sentBy(call)) watch.noteSent(sent.messageId, sent.body);
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
  const created = await mapping.ensure(functionName, queues.queueArn, deps.triggerSettings);
  const trigger = new MappingTrigger({
    mapping,
    uuid: created.UUID ?? "",
    fn,
    functionName,
    settings: deps.triggerSettings,
    functionTimeoutSeconds: config.FUNCTION_TIMEOUT_SECONDS,
    reports,
    publish,
    log,
  });

  let visibilityTimeout = config.VISIBILITY_TIMEOUT_SECONDS;
  watch = localstack
    ? new QueueWatch({
        endpoint: endpoint ?? "",
        queue: { name: config.QUEUE_NAME, url: queues.queueUrl },
        deadLetterQueue: { name: config.DLQ_NAME, url: queues.deadLetterQueueUrl },
        publish,
        visibilityTimeoutSeconds: () => visibilityTimeout,
      })
    : undefined;
  // Its own client, unrecorded: polling twice a second would otherwise fill the wire inspector and the event log.
  const observer = new TaskQueue(connections.sqs, deps.queueSettings, { userAgent: OBSERVER_USER_AGENT });
  const attributes = new AttributeWatch(observer, [
    { name: config.QUEUE_NAME, url: queues.queueUrl },
    { name: config.DLQ_NAME, url: queues.deadLetterQueueUrl },
  ]);
  const watching = watch;
  const unsubscribe = reports.onStarted((report) => watching?.noteInvoked(report.messageIds, report.receiveCounts));
  const timers = [
    watching && every(WATCH_INTERVAL_MS, () => watching.poll(), (e) => log("watching LocalStack's queues:", errorText(e))),
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
    sqsEndpoint: endpoint ?? `https://sqs.${config.AWS_REGION}.amazonaws.com`,
    capabilities: {
      stepMode: false,
      messageDetail: localstack,
      note: localstack
        ? "LocalStack: queue contents come from its /_aws/sqs/messages endpoint every 250 ms, so a message that comes and goes faster may show only its start and end; visibility countdowns are estimated."
        : "AWS: SQS shows counts only (GetQueueAttributes, every second, approximate); per-message visibility and receive counts are not observable without receiving, which would change the queue.",
    },
    inspect: () => watching?.views() ?? attributes.views(),
    visibilityTimeoutSeconds: () => visibilityTimeout,
    purgeAll: () => apiQueue.purge(),
    setSqsUnavailable: (unavailable) => apiQueue.setUnavailable(unavailable),
    onStepModeEnabled: () => {},
    stop: async () => {
      for (const timer of timers) if (timer) clearInterval(timer);
      unsubscribe();
      await trigger.stop();
      apiQueue.destroy();
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

/** The messages a successful SendMessage or SendMessageBatch call put on the queue. */
function sentBy(call: SqsCall): { messageId: string; body: string }[] {
  if (call.operation === "SendMessage") {
    const messageId = (call.response as { MessageId?: string } | undefined)?.MessageId;
    return messageId ? [{ messageId, body: (call.request as { MessageBody?: string }).MessageBody ?? "" }] : [];
  }
  if (call.operation !== "SendMessageBatch") return [];
  const bodies = new Map(((call.request as { Entries?: { Id?: string; MessageBody?: string }[] }).Entries ?? []).map((entry) => [entry.Id, entry.MessageBody ?? ""]));
  const successful = (call.response as { Successful?: { Id?: string; MessageId?: string }[] } | undefined)?.Successful ?? [];
  return successful.flatMap((entry) => (entry.MessageId ? [{ messageId: entry.MessageId, body: bodies.get(entry.Id) ?? "" }] : []));
}
