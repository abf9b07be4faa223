import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { describe, expect } from "vitest";
import { awsCliError, rule, sdkFailure, useConformance } from "./clients.js";

// aws-semantics.md §3, the settings table: each row's default and range, one test per row.
const world = useConformance();

/** A queue attribute as boto3 reads it back. */
async function boto3Attribute(protocol: "own" | "query", QueueUrl: string, name: string): Promise<string | undefined> {
  const reply = await world.boto3(protocol, "GetQueueAttributes", { QueueUrl, AttributeNames: [name] });
  return (reply.result?.Attributes as Record<string, string> | undefined)?.[name];
}

/** The error codes boto3 answers when setting `name` to each of `values`, in order ("ok" when accepted). */
async function boto3Verdicts(protocol: "own" | "query", QueueUrl: string, name: string, values: string[]): Promise<string[]> {
  const verdicts: string[] = [];
  for (const value of values) {
    const reply = await world.boto3(protocol, "SetQueueAttributes", { QueueUrl, Attributes: { [name]: value } });
    verdicts.push(reply.error ? reply.error.code : "ok");
  }
  return verdicts;
}

describe("§3 settings: defaults and ranges", () => {
  rule("VisibilityTimeout defaults to 30 s and takes 0 to 43,200 s", ["aws-cli"], async () => {
    const name = world.name();
    const created = await world.aws("create-queue", "--queue-name", name);
    const url = created.json!.QueueUrl as string;
    const read = await world.aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "VisibilityTimeout");
    expect(read.json).toEqual({ Attributes: { VisibilityTimeout: "30" } });
    for (const value of ["0", "43200"]) {
      expect((await world.aws("set-queue-attributes", "--queue-url", url, "--attributes", `VisibilityTimeout=${value}`)).status).toBe(0);
    }
    const refused = await world.aws("set-queue-attributes", "--queue-url", url, "--attributes", "VisibilityTimeout=43201");
    expect(awsCliError(refused)).toEqual({ code: "InvalidAttributeValue", message: "Invalid value for the parameter VisibilityTimeout." });
  });

  rule("MessageRetentionPeriod defaults to 4 days and takes 60 s to 14 days", ["boto3 query"], async () => {
    const QueueUrl = await world.queue();
    expect(await boto3Attribute("query", QueueUrl, "MessageRetentionPeriod")).toBe("345600");
    const verdicts = await boto3Verdicts("query", QueueUrl, "MessageRetentionPeriod", ["59", "60", "1209600", "1209601"]);
    expect(verdicts).toEqual(["InvalidAttributeValue", "ok", "ok", "InvalidAttributeValue"]);
  });

  rule("DelaySeconds defaults to 0 and takes 0 to 900 s, on the queue and on a message", ["boto3"], async () => {
    const QueueUrl = await world.queue();
    expect(await boto3Attribute("own", QueueUrl, "DelaySeconds")).toBe("0");
    expect(await boto3Verdicts("own", QueueUrl, "DelaySeconds", ["900", "901"])).toEqual(["ok", "InvalidAttributeValue"]);
    const accepted = await world.boto3("own", "SendMessage", { QueueUrl, MessageBody: "x", DelaySeconds: 900 });
    expect(accepted.error).toBeUndefined();
    const refused = await world.boto3("own", "SendMessage", { QueueUrl, MessageBody: "x", DelaySeconds: 901 });
    expect(refused.error).toMatchObject({ code: "InvalidParameterValue", message: "Value 901 for parameter DelaySeconds is invalid. Reason: Must be >= 0 and <= 900, if provided." });
  });

  rule("ReceiveMessageWaitTimeSeconds defaults to 0 and WaitTimeSeconds takes 0 to 20 s", ["sdk"], async () => {
    const QueueUrl = await world.queue();
    const { Attributes } = await world.sdk.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ReceiveMessageWaitTimeSeconds"] }));
    expect(Attributes).toEqual({ ReceiveMessageWaitTimeSeconds: "0" });
    const tooLong = await sdkFailure(world.sdk.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { ReceiveMessageWaitTimeSeconds: "21" } })));
    expect(tooLong.name).toBe("InvalidAttributeValue");
    await world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    expect((await world.sdk.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }))).Messages).toHaveLength(1);
    const refused = await sdkFailure(world.sdk.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 })));
    expect(refused.message).toBe("Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
  });

  rule("MaxNumberOfMessages defaults to 1 and takes 1 to 10", ["boto3"], async () => {
    const QueueUrl = await world.queue();
    const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `${i}` }));
    await world.boto3("own", "SendMessageBatch", { QueueUrl, Entries });
    const one = await world.boto3("own", "ReceiveMessage", { QueueUrl });
    expect(one.result!.Messages).toHaveLength(1);
    const rest = await world.boto3("own", "ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 10 });
    expect(rest.result!.Messages).toHaveLength(9);
    for (const MaxNumberOfMessages of [0, 11]) {
      const refused = await world.boto3("own", "ReceiveMessage", { QueueUrl, MaxNumberOfMessages });
      expect(refused.error).toMatchObject({
        code: "InvalidParameterValue",
        message: `Value ${MaxNumberOfMessages} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      });
    }
  });

  rule("A batch call takes at most 10 entries and a message at most 10 message attributes", ["sdk"], async () => {
    const QueueUrl = await world.queue();
    const attributes = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]));
    const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: "x", MessageAttributes: attributes(10) }));
    expect((await world.sdk.send(new SendMessageBatchCommand({ QueueUrl, Entries }))).Successful).toHaveLength(10);
    const refused = await sdkFailure(world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageAttributes: attributes(11) })));
    expect(refused).toMatchObject({ Code: "InvalidParameterValue", message: "Number of message attributes [11] exceeds the allowed maximum [10]." });
  });

  rule("MaximumMessageSize defaults to 1 MiB (1,048,576 B) and takes 1,024 B to 1 MiB", ["boto3 query"], async () => {
    const QueueUrl = await world.queue();
    expect(await boto3Attribute("query", QueueUrl, "MaximumMessageSize")).toBe("1048576");
    const verdicts = await boto3Verdicts("query", QueueUrl, "MaximumMessageSize", ["1023", "1048577", "1024"]);
    expect(verdicts).toEqual(["InvalidAttributeValue", "InvalidAttributeValue", "ok"]);
    expect((await world.boto3("query", "SendMessage", { QueueUrl, MessageBody: "x".repeat(1024) })).error).toBeUndefined();
    const tooBig = await world.boto3("query", "SendMessage", { QueueUrl, MessageBody: "x".repeat(1025) });
    expect(tooBig.error).toMatchObject({ code: "InvalidParameterValue", message: "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes." });
  });
});
