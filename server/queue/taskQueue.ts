import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import type { SqsCall } from "../../common/events.js";
import { SendBatcher, type BatchEntryResult } from "./sendBatcher.js";
import { recordCalls } from "./wireRecorder.js";

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

const withoutPrefix = (code: string) => code.replace(/^AWS\.SimpleQueueService\./, "");

// fauxqs prefixes some error names with "AWS.SimpleQueueService.", so instanceof on the SDK's
// classes fails: errors are matched by name text, once, here.
function translate(operation: string, error: unknown): QueueError {
  if (error instanceof QueueError) return error;
  const raw = error as { name?: string; Code?: string; message?: string };
  const code = withoutPrefix(raw.Code ?? raw.name ?? "UnknownError");
  return new QueueError(code, `${operation} failed: ${code}: ${raw.message ?? String(error)}`, { cause: error });
}

/**
 * The one owner of the task queue and its dead-letter queue: it alone holds an SQS client for
 * them. The API sends through one instance; the Lambda trigger consumes through another with its
 * own User-Agent, so observers can tell the trigger's receives from anyone else's.
 */
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
    options: { userAgent?: string; caller?: string; onCall?: (call: SqsCall) => void } = {},
  ) {
    this.client = new SQSClient({
      region: connection.region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      ...(connection.credentials ? { credentials: connection.credentials } : {}),
      ...(options.userAgent ? { customUserAgent: options.userAgent } : {}),
    });
    if (options.onCall) recordCalls(this.client, options.caller ?? "playground", options.onCall);
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

  /** Create the DLQ, then the queue with its redrive policy; on a re-run, bring attributes back in line. */
  async provision(): Promise<QueueAddresses> {
    const { queueName, deadLetterQueueName, visibilityTimeoutSeconds, maxReceiveCount } = this.settings;
    const deadLetterQueueUrl = await this.createOrUpdate(deadLetterQueueName, {});
    const deadLetterQueueArn = await this.arnOf(deadLetterQueueUrl);
    const queueUrl = await this.createOrUpdate(queueName, {
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount }),
    });
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
      const code = withoutPrefix(failure?.Code ?? "NoMessageId");
      return { error: new QueueError(code, `SendMessageBatch failed for this message: ${code}: ${failure?.Message ?? "no MessageId returned"}`) };
    });
  }

  /** Long-poll the task queue, asking for every system and message attribute (a handler gets them all). */
  async receive(options: { maxMessages: number; waitSeconds: number; signal?: AbortSignal }): Promise<Message[]> {
    const command = new ReceiveMessageCommand({
      QueueUrl: this.urls.queueUrl,
      MaxNumberOfMessages: options.maxMessages,
      WaitTimeSeconds: options.waitSeconds,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    });
    const signal = options.signal;
    const result = await this.call("ReceiveMessage", () => this.client.send(command, signal ? { abortSignal: signal } : {}));
    return result.Messages ?? [];
  }

  /** Delete up to any number of messages, ten per call; returns the ids SQS refused to delete. */
  async deleteBatch(entries: { id: string; receiptHandle: string }[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < entries.length; i += 10) {
      const chunk = entries.slice(i, i + 10).map(({ id, receiptHandle }) => ({ Id: id, ReceiptHandle: receiptHandle }));
      const result = await this.call("DeleteMessageBatch", () => this.client.send(new DeleteMessageBatchCommand({ QueueUrl: this.urls.queueUrl, Entries: chunk })));
      failed.push(...(result.Failed ?? []).map((f) => f.Id ?? ""));
    }
    return failed;
  }

  /**
   * Move every message in the dead-letter queue back to the task queue, as a redrive tool does:
   * receive from the DLQ, send to the queue, then delete from the DLQ (so a crash in between
   * duplicates a message rather than losing one). Returns the bodies moved, with their new ids.
   */
  async redrive(): Promise<{ oldMessageId: string; newMessageId: string; body: string }[]> {
    const moved: { oldMessageId: string; newMessageId: string; body: string }[] = [];
    for (;;) {
      const received = await this.call("ReceiveMessage", () =>
        this.client.send(new ReceiveMessageCommand({ QueueUrl: this.urls.deadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 })),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) return moved;
      for (const message of messages) {
        const body = message.Body ?? "";
        const newMessageId = await this.send(body);
        await this.call("DeleteMessage", () => this.client.send(new DeleteMessageCommand({ QueueUrl: this.urls.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle ?? "" })));
        moved.push({ oldMessageId: message.MessageId ?? "", newMessageId, body });
      }
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

  private async createOrUpdate(QueueName: string, Attributes: Record<string, string>): Promise<string> {
    try {
      const result = await this.call("CreateQueue", () => this.client.send(new CreateQueueCommand({ QueueName, Attributes })));
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
