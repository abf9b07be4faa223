// The embedded SQS port under the rules of README "Security": the same Host rule as the API,
// no page but the playground's own, and input that can neither crash, freeze nor pollute it.
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { isType, playgroundPerFile, removeDataDir, startTestPlayground } from "../helpers/playground.js";
import { rawRequest, type RawAnswer } from "../helpers/rawHttp.js";
import { readWorld, sqsCall } from "../helpers/sqsWorld.js";

// The trigger is off: queues hold what they hold, so every change seen here is the request's own.
const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });
let sqsPort: string;
let queueUrl: string;
beforeAll(async () => {
  sqsPort = new URL(playground().sqsEndpoint).port;
  queueUrl = playground().queues.queueUrl;
  await playground().post("/tasks", { title: "waiting in the queue" });
});
const world = () => readWorld(playground().url, playground().sqsEndpoint);

const json = (action: string, body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(playground().sqsEndpoint, {
    method: "POST",
    path: "/",
    headers: { host: `localhost:${sqsPort}`, "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const form = (params: string, headers: Record<string, string> = {}, path = "/") =>
  rawRequest(playground().sqsEndpoint, { method: "POST", path, headers: { host: `localhost:${sqsPort}`, "content-type": "application/x-www-form-urlencoded", ...headers }, body: params });
const xmlError = (answer: RawAnswer) => (new XMLParser().parse(answer.text) as { ErrorResponse: { Error: { Code: string; Message: string; Type: string } } }).ErrorResponse.Error;

const CHANGES: [string, (headers: Record<string, string>) => Promise<RawAnswer>][] = [
  ["a JSON-protocol DeleteQueue", (h) => json("DeleteQueue", { QueueUrl: queueUrl }, h)],
  ["a JSON-protocol SendMessage", (h) => json("SendMessage", { QueueUrl: queueUrl, MessageBody: "x" }, h)],
  ["a query-protocol PurgeQueue", (h) => form(`Action=PurgeQueue&QueueUrl=${encodeURIComponent(queueUrl)}`, h)],
  ["a query-protocol DeleteQueue to the queue's URL", (h) => form(`Action=DeleteQueue&QueueUrl=${encodeURIComponent(queueUrl)}`, h, "/000000000000/interview-queue")],
];

describe("who may call the SQS port", () => {
  it.each(CHANGES)("refuses %s from a page on another site (Origin) with 403 AccessDenied and changes nothing", async (_name, send) => {
    const before = await world();
    const answer = await send({ origin: "https://evil.example" });
    expect(answer.status).toBe(403);
    if (answer.headers["content-type"]?.toString().includes("json")) {
      expect(answer.json).toEqual({ __type: "com.amazon.coral.service#AccessDeniedException", message: expect.stringContaining("https://evil.example") });
      expect(answer.headers["x-amzn-query-error"]).toBe("AccessDenied;Sender");
    } else {
      expect(xmlError(answer)).toMatchObject({ Code: "AccessDenied", Type: "Sender" });
    }
    expect(await world()).toEqual(before);
  });

  it.each(CHANGES)("refuses %s under a foreign Host (DNS rebinding) and changes nothing", async (_name, send) => {
    const before = await world();
    const answer = await send({ host: `evil.example:${sqsPort}` });
    expect(answer.status).toBe(403);
    expect(answer.text).toMatch(/does not name this SQS endpoint/);
    expect(await world()).toEqual(before);
  });

  it("refuses a cross-site navigation (Sec-Fetch-Site without an Origin)", async () => {
    const before = await world();
    const answer = await form(`Action=PurgeQueue&QueueUrl=${encodeURIComponent(queueUrl)}`, { "sec-fetch-site": "cross-site" });
    expect(answer.status).toBe(403);
    expect(await world()).toEqual(before);
  });

  it("refuses the developer endpoint to another site's page too", async () => {
    const answer = await rawRequest(playground().sqsEndpoint, { path: `/_aws/sqs/messages?QueueUrl=${encodeURIComponent(queueUrl)}`, headers: { origin: "https://evil.example" } });
    expect(answer.status).toBe(403);
    expect(answer.text).not.toContain("waiting in the queue");
  });

  it("answers SDKs and CLIs (no Origin), by any loopback name with its port", async () => {
    for (const host of [`localhost:${sqsPort}`, `127.0.0.1:${sqsPort}`, `[::1]:${sqsPort}`]) {
      const answer = await json("GetQueueUrl", { QueueName: "interview-queue" }, { host });
      expect(answer.status).toBe(200);
    }
  });

  it("answers the playground's own page, and refuses a loopback name with another port", async () => {
    const page = `http://localhost:${new URL(playground().url).port}`;
    expect((await json("GetQueueUrl", { QueueName: "interview-queue" }, { origin: page })).status).toBe(200);
    expect((await json("GetQueueUrl", { QueueName: "interview-queue" }, { host: "localhost:1" })).status).toBe(403);
  });
});

describe("the SQS port with PUBLIC_HOST set", () => {
  it("answers to PUBLIC_HOST's name with the SQS port, and to a page served under that name", async () => {
    const other = await startTestPlayground({ TRIGGER_ENABLED: "false", PUBLIC_HOST: "queues.example" });
    try {
      const port = new URL(other.sqsEndpoint).port;
      const ask = (headers: Record<string, string>) => rawRequest(other.sqsEndpoint, { method: "POST", path: "/", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues", ...headers }, body: "{}" });
      expect((await ask({ host: `queues.example:${port}` })).status).toBe(200);
      expect((await ask({ host: "queues.example:1" })).status).toBe(403);
      expect((await ask({ host: `other.example:${port}` })).status).toBe(403);
      expect((await ask({ origin: `http://queues.example:${new URL(other.url).port}` })).status).toBe(200);
    } finally {
      await other.stop();
      await removeDataDir(other.dataDir);
    }
  });
});

describe("query-protocol names that would reach an object's prototype", () => {
  it.each(["__proto__.polluted", "constructor.prototype.polluted", "MessageAttribute.1.__proto__", "Attribute.1.prototype"])("refuses %s with InvalidParameterValue and pollutes nothing", async (name) => {
    const answer = await form(`Action=ListQueues&${name}=yes`);
    expect(answer.status).toBe(400);
    expect(xmlError(answer)).toMatchObject({ Code: "InvalidParameterValue", Type: "Sender" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("still takes tasks afterwards (a polluted prototype made every POST /tasks a 400)", async () => {
    await form("Action=ListQueues&__proto__.polluted=yes");
    const response = await playground().post("/tasks", { title: "after the attempt" });
    expect(response.status).toBe(201);
  });
});

describe("query-protocol list indices", () => {
  it("refuses a batch entry numbered 4294967295 at once with TooManyEntriesInBatchRequest", async () => {
    const before = await world();
    const answer = await form(`Action=SendMessageBatch&QueueUrl=${encodeURIComponent(queueUrl)}&SendMessageBatchRequestEntry.4294967295.Id=a&SendMessageBatchRequestEntry.4294967295.MessageBody=b`);
    expect(answer.status).toBe(400);
    expect(xmlError(answer)).toMatchObject({ Code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", Message: "Maximum number of entries per request are 10. You have sent 4294967295." });
    expect(await world()).toEqual(before);
  });

  it("refuses an eleventh message attribute as SQS does", async () => {
    const attributes = Array.from({ length: 11 }, (_, i) => `&MessageAttribute.${i + 1}.Name=a${i}&MessageAttribute.${i + 1}.Value.DataType=String&MessageAttribute.${i + 1}.Value.StringValue=v`).join("");
    const answer = await form(`Action=SendMessage&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=x${attributes}`);
    expect(xmlError(answer)).toMatchObject({ Code: "InvalidParameterValue", Message: "Number of message attributes [11] exceeds the allowed maximum [10]." });
  });

  it.each(["SendMessageBatchRequestEntry.0.Id", "SendMessageBatchRequestEntry.01.Id", "AttributeName.99999999"])("refuses the index in %s", async (name) => {
    const answer = await form(`Action=SendMessageBatch&QueueUrl=${encodeURIComponent(queueUrl)}&${name}=a`);
    expect(answer.status).toBe(400);
    expect(xmlError(answer).Code).toBe("InvalidParameterValue");
  });
});

describe("a POST that names no action", () => {
  it.each([
    ["a form without Action", "application/x-www-form-urlencoded", `QueueUrl=x`],
    ["a text/plain body (what a form with enctype text/plain sends)", "text/plain", "Action=PurgeQueue"],
    ["a multipart body", "multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="Action"\r\n\r\nPurgeQueue\r\n--b--\r\n'],
  ])("answers %s with SQS's MissingAction in XML and changes nothing", async (_name, type, body) => {
    const before = await world();
    const answer = await rawRequest(playground().sqsEndpoint, { method: "POST", path: "/", headers: { host: `localhost:${sqsPort}`, "content-type": type }, body });
    expect(answer.status).toBe(400);
    expect(xmlError(answer)).toMatchObject({ Code: "MissingAction", Type: "Sender" });
    expect(await world()).toEqual(before);
  });
});

describe("the JSON protocol's bad input", () => {
  const cases: [string, string, unknown, number, string, string | undefined][] = [
    ["a body of null", "SendMessage", "null", 400, "com.amazon.coral.service#SerializationException", undefined],
    ["a body that is not JSON", "SendMessage", "{bad", 400, "com.amazon.coral.service#SerializationException", undefined],
    ["MessageBody as an object", "SendMessage", { QueueUrl: "Q", MessageBody: { a: 1 } }, 400, "com.amazon.coral.service#SerializationException", undefined],
    ["Entries as an object", "SendMessageBatch", { QueueUrl: "Q", Entries: { a: 1 } }, 400, "com.amazon.coral.service#SerializationException", undefined],
    ["a null message attribute", "SendMessage", { QueueUrl: "Q", MessageBody: "x", MessageAttributes: { a: null } }, 400, "com.amazonaws.sqs#InvalidParameterValueException", "InvalidParameterValue;Sender"],
    ["no MessageBody", "SendMessage", { QueueUrl: "Q" }, 400, "com.amazonaws.sqs#MissingRequiredParameterException", "MissingParameter;Sender"],
    ["eleven entries", "SendMessageBatch", { QueueUrl: "Q", Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" })) }, 400, "com.amazonaws.sqs#TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender"],
    ["a batch entry that is not an object", "DeleteMessageBatch", { QueueUrl: "Q", Entries: [7] }, 400, "com.amazon.coral.service#SerializationException", undefined],
    ["VisibilityTimeout as text", "ChangeMessageVisibility", { QueueUrl: "Q", ReceiptHandle: "r", VisibilityTimeout: "5" }, 400, "com.amazon.coral.service#SerializationException", undefined],
  ];

  it.each(cases)("answers %s with SQS's 400 error, no internals, and changes nothing", async (_name, action, input, status, type, queryError) => {
    const before = await world();
    const body = typeof input === "string" ? input : JSON.stringify(input).replaceAll('"Q"', JSON.stringify(queueUrl));
    const answer = await json(action, body);
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual({ __type: type, message: expect.any(String) });
    expect(answer.headers["x-amzn-query-error"]).toBe(queryError);
    expect(answer.text).not.toMatch(/Cannot read|is not iterable|argument must be|\bat \w|\.js:\d/);
    expect(await world()).toEqual(before);
  });
});

describe("POST /api/reset after the queues were deleted", () => {
  it("re-creates every queue (standard and FIFO) with its attributes and redrive policy, and a new task completes", { timeout: 30_000 }, async () => {
    const before = await world();
    const { fifo } = playground().backend;
    for (const url of [playground().queues.queueUrl, playground().queues.deadLetterQueueUrl, fifo.queues.queueUrl, fifo.queues.deadLetterQueueUrl]) {
      expect((await sqsCall(playground().sqsEndpoint, "DeleteQueue", { QueueUrl: url })).status).toBe(200);
    }
    expect((await sqsCall(playground().sqsEndpoint, "ListQueues", {})).json.QueueUrls ?? []).toEqual([]);

    expect((await playground().post("/api/reset", undefined)).status).toBe(200);
    const after = await world();
    const comparable = (queues: typeof before.queues) => queues.map(({ url, attributes }) => ({ url, attributes: { ...attributes, CreatedTimestamp: 0, LastModifiedTimestamp: 0, ApproximateNumberOfMessages: 0 } }));
    expect(comparable(after.queues)).toEqual(comparable(before.queues));

    await playground().send("PATCH", "/api/trigger", { Enabled: true });
    try {
      const task = (await (await playground().post("/tasks", { title: "after the reset" })).json()) as Task;
      await playground().waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "completed"));
    } finally {
      await playground().send("PATCH", "/api/trigger", { Enabled: false });
    }
  });
});
