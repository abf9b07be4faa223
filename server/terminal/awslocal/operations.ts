import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  type MessageAttributeValue,
  type MessageSystemAttributeName,
  type QueueAttributeName,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { UsageError, type Invocation } from "./args.js";

/** What the aws CLI prints for a call, before JSON; undefined when it prints nothing. */
export type CliOutput = Record<string, unknown> | undefined;

/**
 * The fields of `source` the aws CLI prints, in the order it prints them (the order of its
 * service model), leaving out absent ones; an empty result prints nothing, as in the CLI.
 */
function shape<T extends object>(source: T, keys: readonly (keyof T & string)[]): CliOutput {
  const entries = keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]] as const);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

function attributeValue(value: MessageAttributeValue) {
  return shape(
    {
      StringValue: value.StringValue,
      BinaryValue: value.BinaryValue && base64(value.BinaryValue),
      StringListValues: value.StringListValues,
      BinaryListValues: value.BinaryListValues?.map(base64),
      DataType: value.DataType,
    },
    ["StringValue", "BinaryValue", "StringListValues", "BinaryListValues", "DataType"],
  );
}

/** Run one invocation against SQS; SDK errors propagate for main to print the CLI's way. */
export async function perform(client: SQSClient, { operation, values: v }: Invocation): Promise<CliOutput> {
  const QueueUrl = v["queue-url"] ?? "";
  switch (operation) {
    case "send-message": {
      const sent = await client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: v["message-body"],
          DelaySeconds: v["delay-seconds"],
          MessageGroupId: v["message-group-id"],
          MessageDeduplicationId: v["message-deduplication-id"],
        }),
      );
      return shape(sent, ["MD5OfMessageBody", "MD5OfMessageAttributes", "MD5OfMessageSystemAttributes", "MessageId", "SequenceNumber"]);
    }
    case "receive-message": {
      const received = await client.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MessageSystemAttributeNames: v["attribute-names"] as MessageSystemAttributeName[] | undefined,
          MessageAttributeNames: v["message-attribute-names"],
          MaxNumberOfMessages: v["max-number-of-messages"],
          VisibilityTimeout: v["visibility-timeout"],
          WaitTimeSeconds: v["wait-time-seconds"],
        }),
      );
      const messages = (received.Messages ?? []).map((message) => {
        const attributes = message.MessageAttributes && Object.fromEntries(Object.entries(message.MessageAttributes).map(([name, value]) => [name, attributeValue(value)]));
        return shape({ ...message, MessageAttributes: attributes }, ["MessageId", "ReceiptHandle", "MD5OfBody", "Body", "Attributes", "MD5OfMessageAttributes", "MessageAttributes"]);
      });
      return messages.length > 0 ? { Messages: messages } : undefined;
    }
    case "delete-message":
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: v["receipt-handle"] }));
      return undefined;
    case "change-message-visibility":
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: v["receipt-handle"], VisibilityTimeout: v["visibility-timeout"] }));
      return undefined;
    case "delete-message-batch": {
      const Entries = batchEntries(v.entries ?? "");
      return shape(await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries })), ["Successful", "Failed"]);
    }
    case "get-queue-attributes": {
      const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: v["attribute-names"] as QueueAttributeName[] | undefined }));
      return shape(attributes, ["Attributes"]);
    }
    case "set-queue-attributes":
      await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: queueAttributes(v.attributes ?? "") }));
      return undefined;
    case "list-queues":
      return shape(await client.send(new ListQueuesCommand({ QueueNamePrefix: v["queue-name-prefix"] })), ["QueueUrls", "NextToken"]);
    case "purge-queue":
      await client.send(new PurgeQueueCommand({ QueueUrl }));
      return undefined;
    case "get-queue-url":
      return shape(await client.send(new GetQueueUrlCommand({ QueueName: v["queue-name"] })), ["QueueUrl"]);
    case "start-message-move-task": {
      const started = await client.send(
        new StartMessageMoveTaskCommand({ SourceArn: v["source-arn"], DestinationArn: v["destination-arn"], MaxNumberOfMessagesPerSecond: v["max-number-of-messages-per-second"] }),
      );
      return shape(started, ["TaskHandle"]);
    }
    case "list-message-move-tasks":
      return shape(await client.send(new ListMessageMoveTasksCommand({ SourceArn: v["source-arn"], MaxResults: v["max-results"] })), ["Results"]);
  }
}

/**
 * `--attributes` as the aws CLI reads it: a JSON object of strings, or the shorthand
 * `VisibilityTimeout=30,DelaySeconds=0` (a value holding a comma, such as a RedrivePolicy, needs
 * the JSON form; an empty value, `RedrivePolicy=`, removes that attribute, as on AWS).
 */
function queueAttributes(text: string): Record<string, string> {
  if (text.trim().startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UsageError('argument --attributes: not valid JSON; give {"Name": "value"} or Name=value,Name=value');
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((value) => typeof value === "string")) {
      throw new UsageError('argument --attributes: expected a JSON object of strings, like {"VisibilityTimeout": "30"}');
    }
    return parsed as Record<string, string>;
  }
  const pairs = text.split(",").map((pair) => /^([A-Za-z]+)=(.*)$/.exec(pair.trim()));
  if (pairs.length === 0 || pairs.some((pair) => pair === null)) throw new UsageError("argument --attributes: expected Name=value,Name=value or a JSON object");
  return Object.fromEntries(pairs.map((pair) => [pair?.[1] ?? "", pair?.[2] ?? ""]));
}

/**
 * `--entries` in the aws CLI's JSON form: a list of `{"Id", "ReceiptHandle"}`. The CLI's shorthand
 * (`Id=0,ReceiptHandle=…`) is not read here: a receipt handle may hold `=` and `,`.
 */
function batchEntries(text: string): { Id: string; ReceiptHandle: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('argument --entries: give the entries as JSON, like [{"Id": "0", "ReceiptHandle": "…"}] (awslocal does not read the shorthand form)');
  }
  const entries = Array.isArray(parsed) ? parsed : [];
  if (entries.length === 0 || !entries.every((e) => typeof e === "object" && e !== null && typeof e.Id === "string" && typeof e.ReceiptHandle === "string")) {
    throw new UsageError('argument --entries: expected a JSON list of {"Id": "…", "ReceiptHandle": "…"}');
  }
  return entries.map((e: { Id: string; ReceiptHandle: string }) => ({ Id: e.Id, ReceiptHandle: e.ReceiptHandle }));
}
