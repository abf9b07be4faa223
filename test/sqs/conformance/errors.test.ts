import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, describe, expect } from "vitest";
import { awsCliError, rule, sdkFailure, useConformance } from "./clients.js";

// aws-semantics.md §3, errors: each code in both protocols. The JSON protocol puts the modelled
// name in `__type` (the SDK's error name) and the legacy code in `x-amzn-query-error` (the SDK's
// `Code`; an error the SDK has no model for, such as InvalidParameterValue, it names by that code
// too). The query protocol's XML carries the legacy code (what the aws-cli prints).
const world = useConformance();
const both: ["sdk", "aws-cli"] = ["sdk", "aws-cli"];
const files = mkdtempSync(join(tmpdir(), "sqs-errors-"));
afterAll(() => rmSync(files, { recursive: true, force: true }));

/** `n` entries as the aws-cli's --entries takes them (JSON), ids `m0`, `m1`, … unless given. */
const entries = (n: number, id = (i: number) => `m${i}`) => Array.from({ length: n }, (_, i) => ({ Id: id(i), MessageBody: "x" }));

describe("§3 errors, JSON and query protocols", () => {
  rule("A missing queue is QueueDoesNotExist (JSON) / AWS.SimpleQueueService.NonExistentQueue (query)", both, async () => {
    const json = await sdkFailure(world.sdk.send(new GetQueueUrlCommand({ QueueName: "no-such-queue" })));
    expect([json.name, json.Code, json.message]).toEqual(["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."]);
    // The query protocol words it as the old WSDL API did, on AWS too.
    const query = awsCliError(await world.aws("get-queue-url", "--queue-name", "no-such-queue"));
    expect(query).toEqual({ code: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist for this wsdl version." });
  });

  rule("A bad value is InvalidParameterValue", both, async () => {
    const QueueUrl = await world.queue();
    const message = "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.";
    const json = await sdkFailure(world.sdk.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })));
    expect([json.name, json.Code, json.message]).toEqual(["InvalidParameterValue", "InvalidParameterValue", message]);
    const query = awsCliError(await world.aws("receive-message", "--queue-url", QueueUrl, "--max-number-of-messages", "11"));
    expect(query).toEqual({ code: "InvalidParameterValue", message });
  });

  rule("A body over 1 MiB is InvalidParameterValue: Message must be shorter than 1048576 bytes", both, async () => {
    const QueueUrl = await world.queue();
    const body = "x".repeat(1_048_577);
    const message = "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.";
    const json = await sdkFailure(world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: body })));
    expect([json.Code, json.message]).toEqual(["InvalidParameterValue", message]);
    // 1 MiB does not fit in one command-line argument (Linux caps one at 128 KiB): the aws-cli reads it from a file.
    writeFileSync(join(files, "body.txt"), body);
    const query = awsCliError(await world.aws("send-message", "--queue-url", QueueUrl, "--message-body", `file://${join(files, "body.txt")}`));
    expect(query).toEqual({ code: "InvalidParameterValue", message });
  });

  rule("A message without a body is MissingParameter", both, async () => {
    const QueueUrl = await world.queue();
    const message = "The request must contain the parameter MessageBody.";
    const json = await sdkFailure(world.sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: undefined as unknown as string })));
    expect([json.name, json.Code, json.message]).toEqual(["MissingParameter", "MissingParameter", message]);
    // The aws-cli checks required parameters itself; an empty body is what it lets through.
    expect(awsCliError(await world.aws("send-message", "--queue-url", QueueUrl, "--message-body", ""))).toEqual({ code: "MissingParameter", message });
  });

  rule("A garbage receipt handle is ReceiptHandleIsInvalid", both, async () => {
    const QueueUrl = await world.queue();
    const message = 'The input receipt handle "garbage" is not a valid receipt handle.';
    const json = await sdkFailure(world.sdk.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "garbage" })));
    expect([json.name, json.Code, json.message]).toEqual(["ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", message]);
    const query = awsCliError(await world.aws("delete-message", "--queue-url", QueueUrl, "--receipt-handle", "garbage"));
    expect(query).toEqual({ code: "ReceiptHandleIsInvalid", message });
  });

  rule("More than 10 entries in a batch is TooManyEntriesInBatchRequest", both, async () => {
    const QueueUrl = await world.queue();
    const message = "Maximum number of entries per request are 10. You have sent 11.";
    const json = await sdkFailure(world.sdk.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(11) })));
    expect([json.name, json.Code, json.message]).toEqual(["TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", message]);
    const query = awsCliError(await world.aws("send-message-batch", "--queue-url", QueueUrl, "--entries", JSON.stringify(entries(11))));
    expect(query).toEqual({ code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", message });
  });

  rule("A batch entry id that is not 1–80 letters, digits, - or _ is InvalidBatchEntryId", both, async () => {
    const QueueUrl = await world.queue();
    const message = "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.";
    const json = await sdkFailure(world.sdk.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(1, () => "a".repeat(81)) })));
    expect([json.name, json.Code, json.message]).toEqual(["InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", message]);
    const query = awsCliError(await world.aws("send-message-batch", "--queue-url", QueueUrl, "--entries", JSON.stringify(entries(1, () => "bad id!"))));
    expect(query).toEqual({ code: "AWS.SimpleQueueService.InvalidBatchEntryId", message });
  });
});
