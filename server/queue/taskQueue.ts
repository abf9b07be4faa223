import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  QueueAttributeName,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SqsCall } from "../../common/events.js";
import { SendBatcher, type BatchEntryResult } from "./sendBatcher.js";
import { recordCalls, type OnSqsCall, type RecordOptions } from "./wireRecorder.js";

/** How to reach SQS. `endpoint` is passed in code: with only the env var the SDK follows the queue URL's host. */
export interface SqsConnection {
  endpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface TaskQueueSettings {
  queueName: string;
  deadLetterQueueName: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

export interface QueueAddresses {
  queueUrl: string;
  queueArn: string;
  deadLetterQueueUrl: string;
  deadLetterQueueArn: string;
}

/** An SQS call failed; `code` is AWS's error name without its legacy prefix. */
export class QueueError extends Error {
  override readonly name = "QueueError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// The SDK names an error after AWS's modelled name (QueueDoesNotExist, PurgeQueueInProgress);
// its Code keeps the query protocol's legacy code (AWS.SimpleQueueService.NonExistentQueue). The
// name is what is matched, once, here.
function translate(operation: string, error: unknown): QueueError {
  if (error instanceof QueueError) return error;
  const raw = error as { name?: string; Code?: string; message?: string };
  const code = raw.name ?? raw.Code ?? "UnknownError";
  return new QueueError(code, `${operation} failed: ${code}: ${raw.message ?? String(error)}`, { cause: error });
}

/**
 * The one owner of the task queue and its dead-letter queue: it alone holds an SQS client for
 * them. The API sends through one instance; the Lambda trigger consumes through another with its
 * own User-Agent, so observers can tell the trigger's receives from anyone else's.
 */
/**
 * Retention periods the playground provisions (seconds): the queue keeps SQS's default, 4 days;
 * the dead-letter queue the maximum, 14 days, longer than the queue's as AWS advises ("the
 * expiration of a message is always based on its original enqueue timestamp").
 * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 */
export const QUEUE_RETENTION_SECONDS = 345_600;
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

export class TaskQueue {
  private readonly client: SQSClient;
  private addresses: QueueAddresses | undefined;
  private unavailable = false;
  private readonly sends = new SendBatcher(
    (body) => this.sendMessage(body),
    (bodies) => this.sendMessageBatch(bodies),
  );

  constructor(
    connection: SqsConnection,
    readonly settings: TaskQueueSettings,
    /** `record`: how the wire inspector links and orders this client's calls (wireRecorder.ts). */
    options: { userAgent?: string; caller?: string; onCall?: OnSqsCall; record?: RecordOptions } = {},
  ) {
    this.client = new SQSClient({
      region: connection.region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      ...(connection.credentials ? { credentials: connection.credentials } : {}),
      ...(options.userAgent ? { customUserAgent: options.userAgent } : {}),
    });
    if (options.onCall) recordCalls(this.client, options.caller ?? "playground", options.onCall, options.record);
  }

  /**
   * The `sqsUnavailable` fault where SQS itself cannot be told to fail (LocalStack, AWS): this
   * client's calls fail as if SQS answered 503, before anything is sent.
   */
  setUnavailable(unavailable: boolean): void {
    this.unavailable = unavailable;
  }

  /** Empty both queues (PurgeQueue: AWS allows one per queue per 60 s). */
  async purge(): Promise<void> {
    for (const QueueUrl of [this.urls.queueUrl, this.urls.deadLetterQueueUrl]) {
      try {
        await this.call("PurgeQueue", () => this.client.send(new PurgeQueueCommand({ QueueUrl })));
      } catch (error) {
        // A purge within the last minute is still emptying the queue: that is what we asked for.
        if (!(error instanceof QueueError) || error.code !== "PurgeQueueInProgress") throw error;
      }
    }
  }

  /** A queue's approximate counts and visibility timeout, as GetQueueAttributes reports them. */
  async attributes(queueUrl: string): Promise<Record<string, string>> {
    const command = new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [QueueAttributeName.All] });
    return (await this.call("GetQueueAttributes", () => this.client.send(command))).Attributes ?? {};
  }

  get urls(): QueueAddresses {
    if (!this.addresses) throw new QueueError("NotProvisioned", "the task queue has not been provisioned or resolved yet");
    return this.addresses;
  }

  /** Whether these are FIFO queues: SQS decides by the `.fifo` name, and so do we. */
  get fifo(): boolean {
    return this.settings.queueName.endsWith(".fifo");
  }

  /**
   * Create the DLQ, then the queue with its redrive policy; on a re-run, bring attributes back in
   * line. FIFO queues (a `.fifo` name) are created with FifoQueue and ContentBasedDeduplication, so a
   * learner's `send-message` in the terminal needs only a group id; a FIFO queue's DLQ must be FIFO too.
   */
  async provision(): Promise<QueueAddresses> {
    const { queueName, deadLetterQueueName, visibilityTimeoutSeconds, maxReceiveCount } = this.settings;
    // FifoQueue can only be given at creation: SetQueueAttributes refuses it on a re-run.
    const fifo: Record<string, string> | undefined = this.fifo ? { FifoQueue: "true" } : undefined;
    const deduplication: Record<string, string> = this.fifo ? { ContentBasedDeduplication: "true" } : {};
    // Retention is set on both so a reset brings back what a lesson changed: the DLQ keeps messages
    // longer than the queue, since a standard queue's message keeps its first enqueue time there.
    const deadLetterQueueUrl = await this.createOrUpdate(deadLetterQueueName, { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS), ...deduplication }, fifo);
    const deadLetterQueueArn = await this.arnOf(deadLetterQueueUrl);
    const queueUrl = await this.createOrUpdate(queueName, {
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(QUEUE_RETENTION_SECONDS),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount }),
      ...deduplication,
    }, fifo);
    this.addresses = { queueUrl, queueArn: await this.arnOf(queueUrl), deadLetterQueueUrl, deadLetterQueueArn };
    return this.addresses;
  }

  /** Look up queues someone else provisioned. */
  async resolve(): Promise<QueueAddresses> {
    const urlOf = async (QueueName: string) =>
      (await this.call("GetQueueUrl", () => this.client.send(new GetQueueUrlCommand({ QueueName })))).QueueUrl ?? "";
    const queueUrl = await urlOf(this.settings.queueName);
    const deadLetterQueueUrl = await urlOf(this.settings.deadLetterQueueName);
    this.addresses = {
      queueUrl,
      queueArn: await this.arnOf(queueUrl),
      deadLetterQueueUrl,
      deadLetterQueueArn: await this.arnOf(deadLetterQueueUrl),
    };
    return this.addresses;
  }

  /**
   * Send one message; resolves with its MessageId. On its own it goes as SendMessage; while other
   * sends are on the wire (a burst), it leaves with them in one SendMessageBatch (sendBatcher.ts).
   */
  send(body: string): Promise<string> {
    return this.sends.send(body);
  }

  /**
   * Send one message to a FIFO queue in `groupId` with `deduplicationId` (both 1–128 alphanumeric
   * or punctuation characters, checked by the caller). Resolves with its MessageId; a duplicate
   * within SQS's five-minute deduplication interval resolves with the MessageId of the message
   * first sent with that id, and nothing new is queued.
   * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html
   */
  async sendToGroup(body: string, groupId: string, deduplicationId: string): Promise<string> {
    const command = new SendMessageCommand({ QueueUrl: this.urls.queueUrl, MessageBody: body, MessageGroupId: groupId, MessageDeduplicationId: deduplicationId });
    const result = await this.call("SendMessage", () => this.client.send(command));
    if (!result.MessageId) throw new QueueError("NoMessageId", "SendMessage returned no MessageId");
    return result.MessageId;
  }

  private async sendMessage(body: string): Promise<string> {
    const result = await this.call("SendMessage", () => this.client.send(new SendMessageCommand({ QueueUrl: this.urls.queueUrl, MessageBody: body })));
    if (!result.MessageId) throw new QueueError("NoMessageId", "SendMessage returned no MessageId");
    return result.MessageId;
  }

  /** Up to ten messages in one call; SQS answers for each entry, so one refused body fails only its own send. */
  private async sendMessageBatch(bodies: string[]): Promise<BatchEntryResult[]> {
    const Entries = bodies.map((MessageBody, i) => ({ Id: `m${i}`, MessageBody }));
    const result = await this.call("SendMessageBatch", () => this.client.send(new SendMessageBatchCommand({ QueueUrl: this.urls.queueUrl, Entries })));
    const sent = new Map((result.Successful ?? []).map((entry) => [entry.Id, entry.MessageId]));
    const refused = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
    return Entries.map(({ Id }) => {
      const messageId = sent.get(Id);
      if (messageId) return { messageId };
      const failure = refused.get(Id);
      const code = failure?.Code ?? "NoMessageId";
      return { error: new QueueError(code, `SendMessageBatch failed for this message: ${code}: ${failure?.Message ?? "no MessageId returned"}`) };
    });
  }

  /**
   * Set one received message's visibility timeout to `seconds` from now (ChangeMessageVisibility),
   * as a function backing a failed record off does. Raises QueueError (e.g. ReceiptHandleIsInvalid).
   * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
   */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    const command = new ChangeMessageVisibilityCommand({ QueueUrl: this.urls.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds });
    await this.call("ChangeMessageVisibility", () => this.client.send(command));
  }

  /**
   * Redrive the dead-letter queue as AWS's console does: StartMessageMoveTask sends each message
   * back to the queue it was dead-lettered from, as a new message (new MessageId), then
   * ListMessageMoveTasks is read every `pollMs` until the task is no longer RUNNING. Resolves with
   * the number of messages moved. Raises QueueError: SQS's own code (e.g. UnsupportedOperation when
   * the DLQ has no source queue, or a task already running), or MessageMoveTaskFailed/…Cancelled.
   * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
   */
  async redrive(pollMs = 100): Promise<number> {
    const SourceArn = this.urls.deadLetterQueueArn;
    const started = await this.call("StartMessageMoveTask", () => this.client.send(new StartMessageMoveTaskCommand({ SourceArn })));
    for (;;) {
      const listed = await this.call("ListMessageMoveTasks", () => this.client.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults: 10 })));
      const task = listed.Results?.find((t) => t.TaskHandle === started.TaskHandle) ?? listed.Results?.[0];
      if (task?.Status === "COMPLETED") return task.ApproximateNumberOfMessagesMoved ?? 0;
      if (task && task.Status !== "RUNNING" && task.Status !== "CANCELLING") {
        throw new QueueError(`MessageMoveTask${task.Status === "FAILED" ? "Failed" : "Cancelled"}`, `the redrive stopped (${task.Status}): ${task.FailureReason ?? "no reason given"}`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Delete both queues (teardown); a queue already gone is not an error. Returns the names deleted. */
  async remove(): Promise<string[]> {
    const removed: string[] = [];
    for (const QueueName of [this.settings.queueName, this.settings.deadLetterQueueName]) {
      try {
        const { QueueUrl } = await this.call("GetQueueUrl", () => this.client.send(new GetQueueUrlCommand({ QueueName })));
        await this.call("DeleteQueue", () => this.client.send(new DeleteQueueCommand({ QueueUrl })));
        removed.push(QueueName);
      } catch (error) {
        if (!(error instanceof QueueError) || !/QueueDoesNotExist|NonExistentQueue/.test(error.code)) throw error;
      }
    }
    return removed;
  }

  destroy(): void {
    this.client.destroy();
  }

  private async createOrUpdate(QueueName: string, Attributes: Record<string, string>, atCreation: Record<string, string> = {}): Promise<string> {
    try {
      const result = await this.call("CreateQueue", () => this.client.send(new CreateQueueCommand({ QueueName, Attributes: { ...atCreation, ...Attributes } })));
      return result.QueueUrl ?? "";
    } catch (error) {
      if (!(error instanceof QueueError) || error.code !== "QueueNameExists") throw error;
      const queueUrl = (await this.call("GetQueueUrl", () => this.client.send(new GetQueueUrlCommand({ QueueName })))).QueueUrl ?? "";
      await this.call("SetQueueAttributes", () => this.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes })));
      return queueUrl;
    }
  }

  private async arnOf(QueueUrl: string): Promise<string> {
    const command = new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [QueueAttributeName.QueueArn] });
    const arn = (await this.call("GetQueueAttributes", () => this.client.send(command))).Attributes?.QueueArn;
    if (!arn) throw new QueueError("NoQueueArn", `no QueueArn for ${QueueUrl}`);
    return arn;
  }

  private async call<Out>(operation: string, send: () => Promise<Out>): Promise<Out> {
    if (this.unavailable) throw new QueueError("ServiceUnavailable", `${operation} failed: ServiceUnavailable: SQS is unreachable (fault injection: sqsUnavailable)`);
    try {
      return await send();
    } catch (error) {
      throw translate(operation, error);
    }
  }
}
