import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useEngine } from "./engineHarness.js";

// The two wire protocols as clients other than the SDK speak them: the query protocol (form POST
// and GET, at / and at a queue URL's path) with its XML replies, raw JSON, and Debian's aws-cli.
const sqs = useEngine();
const form = (params: Record<string, string>) => new URLSearchParams({ Version: "2012-11-05", ...params }).toString();
const post = (path: string, params: Record<string, string>) =>
  fetch(`${sqs.engine.endpoint}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(params) });
const pathOf = (url: string) => new URL(url).pathname;
const run = promisify(execFile);

describe("SQS wire protocols (engine)", () => {
  it("answers a query ReceiveMessage on an empty queue with an empty <ReceiveMessageResult/>", async () => {
    const url = await sqs.queue();
    const text = await (await post("/", { Action: "ReceiveMessage", QueueUrl: url })).text();
    expect(text).toContain("<ReceiveMessageResult/>");
  });

  it("answers a query request sent as GET to the queue URL's path", async () => {
    const url = await sqs.queue();
    const response = await fetch(`${sqs.engine.endpoint}${pathOf(url)}?Action=GetQueueAttributes&AttributeName.1=QueueArn`);
    expect(await response.text()).toContain("<Name>QueueArn</Name>");
  });

  it("answers a JSON request posted to the queue URL's path", async () => {
    const url = await sqs.queue();
    const response = await fetch(`${sqs.engine.endpoint}${pathOf(url)}`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" },
      body: JSON.stringify({ MessageBody: "x" }),
    });
    expect(Object.keys((await response.json()) as object)).toContain("MessageId");
  });

  it("writes a query error in AWS's XML shape with the legacy code", async () => {
    const text = await (await post("/", { Action: "GetQueueUrl", QueueName: "missing" })).text();
    expect(text).toMatch(/<Error><Type>Sender<\/Type><Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code>/);
  });

  it("puts the legacy code in x-amzn-query-error and the modelled name in __type", async () => {
    const response = await fetch(sqs.engine.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.GetQueueUrl" },
      body: JSON.stringify({ QueueName: "missing" }),
    });
    expect(response.headers.get("x-amzn-query-error")).toBe("AWS.SimpleQueueService.NonExistentQueue;Sender");
    expect(((await response.json()) as { __type: string }).__type).toBe("com.amazonaws.sqs#QueueDoesNotExist");
  });

  it("answers each error of aws-semantics §3 with the modelled name in __type and the legacy code in x-amzn-query-error", async () => {
    const QueueUrl = await sqs.queue();
    const json = async (action: string, body: object) => {
      const response = await fetch(sqs.engine.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
        body: JSON.stringify(body),
      });
      return [((await response.json()) as { __type: string }).__type.replace(/^.*#/, ""), response.headers.get("x-amzn-query-error")];
    };
    const entries = (n: number, Id = (i: number) => `m${i}`) => Array.from({ length: n }, (_, i) => ({ Id: Id(i), MessageBody: "x" }));
    expect([
      await json("GetQueueUrl", { QueueName: "missing" }),
      await json("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 11 }),
      await json("SendMessage", { QueueUrl, MessageBody: "x".repeat(1_048_577) }),
      await json("SendMessage", { QueueUrl }),
      await json("DeleteMessage", { QueueUrl, ReceiptHandle: "garbage" }),
      await json("SendMessageBatch", { QueueUrl, Entries: entries(11) }),
      await json("SendMessageBatch", { QueueUrl, Entries: entries(1, () => "a".repeat(81)) }),
    ]).toEqual([
      ["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue;Sender"],
      ["InvalidParameterValueException", "InvalidParameterValue;Sender"],
      ["InvalidParameterValueException", "InvalidParameterValue;Sender"],
      ["MissingRequiredParameterException", "MissingParameter;Sender"],
      ["ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid;Sender"],
      ["TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender"],
      ["InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId;Sender"],
    ]);
  });

  it("refuses a query parameter named __proto__", async () => {
    const response = await post("/", { Action: "CreateQueue", QueueName: "q-proto", "Attribute.1.__proto__": "x" });
    expect(response.status).toBe(400);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("refuses a query list index beyond AWS's limit", async () => {
    const url = await sqs.queue();
    const text = await (await post("/", { Action: "SendMessage", QueueUrl: url, MessageBody: "x", "MessageAttribute.11.Name": "a" })).text();
    expect(text).toContain("<Code>InvalidParameterValue</Code>");
  });

  it.skipIf(!existsSync("/usr/bin/aws"))("lets Debian's aws-cli receive from an empty queue (query protocol) without an error", async () => {
    const url = await sqs.queue();
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" };
    const { stdout } = await run("/usr/bin/aws", ["--endpoint-url", sqs.engine.endpoint, "sqs", "receive-message", "--queue-url", url], { env });
    expect(stdout.trim()).toBe("");
  });
});
