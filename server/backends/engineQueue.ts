import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { Consumer } from "../../common/events.js";
import { QueueError, type QueueAddresses, type TaskQueueSettings } from "../queue/taskQueue.js";
import { SqsError } from "../sqs/errors.js";
import type { EmbeddedEngine } from "../sqs/embedded.js";
import type { BatchEntries, TriggerQueue } from "../trigger/triggerQueue.js";

/** A message as the JSON protocol carries it: binary values in base64. */
type WireMessage = Omit<Message, "MessageAttributes"> & { MessageAttributes?: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: string }> };

const abortError = () => Object.assign(new Error("The operation was aborted"), { name: "AbortError" });

/**
 * The Lambda trigger's queue in embedded mode: our engine's actions called in this process with
 * the JSON protocol's input and output, as the SDK would send and read them, minus HTTP, SigV4
 * and the SDK's middleware (about a millisecond of this process's time per call, two calls per
 * batch, on the path of every task). The engine checks, answers, fails (the sqsUnavailable
 * fault) and reports each call to the wire inspector exactly as for a request on its port.
 * AWS's pollers are part of Lambda, not a client application of SQS.
 */
export class EngineQueue implements TriggerQueue {
  constructor(
    private readonly sqs: Pick<EmbeddedEngine, "call">,
    readonly settings: TaskQueueSettings,
    readonly urls: QueueAddresses,
    private readonly consumer: Consumer = "lambda-trigger",
  ) {}

  get fifo(): boolean {
    return this.settings.queueName.endsWith(".fifo");
  }

  async receive(options: { maxMessages: number; waitSeconds: number; signal?: AbortSignal }): Promise<Message[]> {
    const { signal } = options;
    // As an SDK call does: an aborted receive takes nothing, and one aborted while it waited is
    // answered with an AbortError, whatever the engine had left to say.
    if (signal?.aborted) throw abortError();
    const input = { QueueUrl: this.urls.queueUrl, MaxNumberOfMessages: options.maxMessages, WaitTimeSeconds: options.waitSeconds, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] };
    const output = await this.call("ReceiveMessage", input, signal);
    if (signal?.aborted) throw abortError();
    return ((output.Messages ?? []) as WireMessage[]).map(sdkShaped);
  }

  async deleteBatch(entries: BatchEntries): Promise<{ id: string; reason: string }[]> {
    const failed: { id: string; reason: string }[] = [];
    for (let i = 0; i < entries.length; i += 10) {
      const chunk = entries.slice(i, i + 10).map(({ id, receiptHandle }) => ({ Id: id, ReceiptHandle: receiptHandle }));
      try {
        const output = await this.call("DeleteMessageBatch", { QueueUrl: this.urls.queueUrl, Entries: chunk });
        failed.push(...((output.Failed ?? []) as { Id?: string; Code?: string; Message?: string }[]).map((f) => ({ id: f.Id ?? "", reason: `${f.Code ?? "Failed"}: ${f.Message ?? ""}` })));
      } catch (error) {
        const reason = error instanceof QueueError ? `${error.code}: ${error.message}` : String(error);
        failed.push(...chunk.map((entry) => ({ id: entry.Id, reason })));
      }
    }
    return failed;
  }

  async changeVisibilityBatch(entries: BatchEntries, seconds: number): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < entries.length; i += 10) {
      const chunk = entries.slice(i, i + 10).map(({ id, receiptHandle }) => ({ Id: id, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
      const output = await this.call("ChangeMessageVisibilityBatch", { QueueUrl: this.urls.queueUrl, Entries: chunk });
      failed.push(...((output.Failed ?? []) as { Id?: string }[]).map((f) => f.Id ?? ""));
    }
    return failed;
  }

  /** One action; SQS's refusal becomes a QueueError named by its code, as TaskQueue names the SDK's. */
  private async call(action: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    try {
      return await this.sqs.call(action, input, { consumer: this.consumer, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      // The SDK names an error by the JSON reply's `__type` (QueueDoesNotExist), not the legacy code.
      const code = error.type.split("#").pop() ?? error.code;
      throw new QueueError(code, `${action} failed: ${code}: ${error.message}`, { cause: error });
    }
  }
}

/** The message as the SDK hands it over: binary attribute values as bytes. */
function sdkShaped(message: WireMessage): Message {
  if (!message.MessageAttributes) return message as Message;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes)) {
    const { BinaryValue, ...rest } = value;
    // Defined, not assigned: an attribute named `__proto__` (SQS allows it) stays a plain key.
    Object.defineProperty(attributes, name, { value: BinaryValue === undefined ? rest : { ...rest, BinaryValue: Buffer.from(BinaryValue, "base64") }, enumerable: true, writable: true, configurable: true });
  }
  return { ...message, MessageAttributes: attributes };
}
