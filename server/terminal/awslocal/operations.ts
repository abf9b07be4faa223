import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type MessageSystemAttributeName,
  type QueueAttributeName,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Invocation } from "./args.js";

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
      const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: v["message-body"], DelaySeconds: v["delay-seconds"] }));
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
    case "get-queue-attributes": {
      const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: v["attribute-names"] as QueueAttributeName[] | undefined }));
      return shape(attributes, ["Attributes"]);
    }
    case "list-queues":
      return shape(await client.send(new ListQueuesCommand({ QueueNamePrefix: v["queue-name-prefix"] })), ["QueueUrls", "NextToken"]);
    case "purge-queue":
      await client.send(new PurgeQueueCommand({ QueueUrl }));
      return undefined;
    case "get-queue-url":
      return shape(await client.send(new GetQueueUrlCommand({ QueueName: v["queue-name"] })), ["QueueUrl"]);
  }
}
