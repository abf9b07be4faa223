import { readFile } from "node:fs/promises";
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { unzipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { FUNCTION_ENV } from "../../common/internalApi.js";
import { HANDLER_BUNDLE } from "../../server/backends/handlerBundle.js";
import { teardown } from "../../server/backends/teardown.js";
import { parseConfig } from "../../server/config.js";
import { EventLog } from "../../server/events/eventLog.js";
import { startEmbeddedSqs, type EmbeddedSqs } from "../../server/queue/embeddedSqs.js";
import { buildSqsEvent } from "../../server/trigger/sqsEvent.js";
import { invokeBundle } from "../helpers/invokeBundle.js";
import { startLambdaStub, type LambdaStub } from "../helpers/lambdaStub.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

// LocalStack mode as far as it runs here (no Docker): the embedded SQS stands in for LocalStack's
// SQS (same protocol, same /_aws/sqs/messages endpoint), the Lambda API is a recording STUB, and
// the test plays the Lambda service: it receives a batch, builds the real SQS event and runs the
// built handler bundle in its own Node process.
describe("LocalStack mode (embedded SQS in LocalStack's place, Lambda API stub)", () => {
  const playgrounds = playgroundPerTest();
  let sqs: EmbeddedSqs;
  let stub: LambdaStub;
  let client: SQSClient;

  beforeEach(async () => {
    sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, urlHost: "localhost", region: "us-east-1", publish: new EventLog(100).publish, triggerUserAgent: "none" });
    stub = await startLambdaStub();
    client = new SQSClient({ endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  afterEach(async () => {
    client.destroy();
    await stub.close();
    await sqs.stop();
  });

  const env = () => ({ AWS_ENDPOINT_URL: sqs.endpoint, PLAYGROUND_INTERNAL_URL: "http://app:8000" });
  const start = (dataDir?: string) => playgrounds.start(env(), dataDir, { provisioning: { lambdaEndpoint: stub.url, pollSeconds: 0.05 } });

  /** One turn of the Lambda service: receive a batch, invoke the bundle, delete what succeeded. */
  async function actAsLambda(playground: TestPlayground) {
    const { queueUrl, queueArn } = playground.queues;
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], WaitTimeSeconds: 1 }));
    const messages = received.Messages ?? [];
    const outcome = await invokeBundle(buildSqsEvent(messages, { queueArn, region: "us-east-1" }), { url: playground.url, token: playground.internalToken });
    if (!outcome.ok) return outcome;
    const failed = new Set(outcome.result.batchItemFailures.map((f) => f.itemIdentifier));
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ""));
    if (done.length) await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })) }));
    return outcome;
  }

  it("provisions both queues and deploys the bundled handler with its trigger through the Lambda API", async () => {
    const playground = await start();
    expect((await (await playground.get("/health")).json()) as object).toMatchObject({ mode: "localstack", capabilities: { stepMode: false, messageDetail: true } });
    const fn = stub.functions.get("process-task");
    expect(fn).toMatchObject({ Runtime: "nodejs22.x", Handler: "index.handler", Timeout: 3, MemorySize: 128 });
    expect(fn?.Environment.Variables).toEqual({ [FUNCTION_ENV.url]: "http://app:8000", [FUNCTION_ENV.token]: playground.internalToken });
    const zipped = unzipSync(Buffer.from(fn?.zip ?? "", "base64"));
    expect(Object.keys(zipped)).toEqual(["index.mjs"]);
    expect(Buffer.from(zipped["index.mjs"] ?? []).equals(await readFile(HANDLER_BUNDLE))).toBe(true);
    expect([...stub.mappings.values()]).toEqual([
      expect.objectContaining({ EventSourceArn: playground.queues.queueArn, BatchSize: 10, MaximumBatchingWindowInSeconds: 0, FunctionResponseTypes: ["ReportBatchItemFailures"], Enabled: true, State: "Enabled" }),
    ]);
    expect(playground.queues.queueUrl).toMatch(/\/000000000000\/interview-queue$/);
    // The page is told what this backend cannot show, and says so beside the queues.
    expect(playground.snapshot().backend).toEqual({ mode: "localstack", stepMode: false, messageDetail: true, note: expect.stringContaining("/_aws/sqs/messages") });
  });

  it("updates the function and its trigger on a re-run instead of failing, and disables the trigger while stopped", async () => {
    const first = await start();
    await first.stop();
    expect([...stub.mappings.values()][0]).toMatchObject({ Enabled: false });
    stub.requests.length = 0;
    await start(first.dataDir);
    expect(stub.operations()).toEqual(expect.arrayContaining(["PUT /2015-03-31/functions/process-task/code", "PUT /2015-03-31/functions/process-task/configuration", "PUT /2015-03-31/event-source-mappings/{UUID}"]));
    expect(stub.operations()).not.toContain("POST /2015-03-31/functions");
    expect(stub.functions.size).toBe(1);
    expect([...stub.mappings.values()]).toEqual([expect.objectContaining({ Enabled: true })]);
  });

  it("maps trigger and function settings to UpdateEventSourceMapping and UpdateFunctionConfiguration", async () => {
    const playground = await start();
    const trigger = await playground.send("PATCH", "/api/trigger", { BatchSize: 5, MaximumBatchingWindowInSeconds: 2, ScalingConfig: { MaximumConcurrency: 3 }, FunctionResponseTypes: [] });
    expect(trigger.status).toBe(200);
    await playground.waitForEvent(isType("trigger.updated"));
    await expect.poll(() => [...stub.mappings.values()][0]).toMatchObject({ BatchSize: 5, MaximumBatchingWindowInSeconds: 2, ScalingConfig: { MaximumConcurrency: 3 }, FunctionResponseTypes: [] });
    // A maximum is removed the way AWS wants it removed: with an empty ScalingConfig.
    expect((await playground.send("PATCH", "/api/trigger", { ScalingConfig: {} })).status).toBe(200);
    await expect.poll(() => [...stub.mappings.values()][0]?.ScalingConfig).toEqual({});
    const fn = await playground.send("PATCH", "/api/function", { Timeout: 4 });
    expect(fn.status).toBe(200);
    expect(stub.functions.get("process-task")?.Timeout).toBe(4);
  });

  it("refuses step mode with the reason, rather than ignoring it", async () => {
    const playground = await start();
    const response = await playground.send("PUT", "/api/step-mode", { enabled: true });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "StepModeUnavailable", message: expect.stringContaining("embedded") } });
  });

  it("completes a task through the deployed bundle, run in its own process with a real SQS event", async () => {
    const playground = await start();
    const created = (await (await playground.post("/tasks", { title: "through LocalStack mode" })).json()) as Task;
    const outcome = await actAsLambda(playground);
    expect(outcome).toEqual({ ok: true, result: { batchItemFailures: [] } });
    expect(((await (await playground.get(`/tasks/${created.id}`)).json()) as Task).status).toBe("completed");
    await playground.waitForEvent(isType("lambda.completed"));
    await playground.waitForEvent(isType("message.received", (e) => e.taskId === created.id && e.consumer === "lambda-trigger"));
    await playground.waitForEvent(isType("message.deleted", (e) => e.taskId === created.id));
  });

  it("announces at once every message the API sent in one SendMessageBatch, before the queue watch polls", async () => {
    const playground = await start();
    const tasks = (await Promise.all(Array.from({ length: 12 }, (_, i) => playground.post("/tasks", { title: `burst ${i}` }).then((r) => r.json())))) as Task[];
    const batch = playground.events.recent().find(isType("sqs.call", (e) => e.call.caller === "api" && e.call.operation === "SendMessageBatch"));
    expect(batch?.call.messageIds.length).toBeGreaterThan(1);
    for (const messageId of batch?.call.messageIds ?? []) {
      const sent = playground.events.recent().find(isType("message.sent", (e) => e.messageId === messageId));
      expect(tasks.map((t) => t.id)).toContain(sent?.taskId);
    }
  });

  it("reports a failing record back so only its message is retried, and the faults reach the function", async () => {
    const playground = await start();
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    const created = (await (await playground.post("/tasks", { title: "fails" })).json()) as Task;
    const outcome = await actAsLambda(playground);
    expect(outcome.ok && outcome.result.batchItemFailures).toEqual([{ itemIdentifier: created.messageId }]);
    const task = (await (await playground.get(`/tasks/${created.id}`)).json()) as Task;
    expect(task).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringContaining("injected failure") });
    await playground.waitForEvent(isType("lambda.completed", (e) => e.failedMessageIds.includes(created.messageId ?? "")));
  });

  it("refuses the internal routes without the token, so only the deployed function reaches the store", async () => {
    const playground = await start();
    const outcome = await invokeBundle({ Records: [] }, { url: playground.url, token: "wrong" });
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining("401") });
    const bad = await fetch(`${playground.url}/internal/store/claim`, { method: "POST", headers: { authorization: `Bearer ${playground.internalToken}`, "content-type": "application/json" }, body: JSON.stringify({ taskId: "one" }) });
    expect(bad.status).toBe(400);
  });

  it("stops start-up with what failed and what to check when LocalStack is not there", async () => {
    const closed = `http://127.0.0.1:${new URL(sqs.endpoint).port}`;
    await sqs.stop();
    const failed = playgrounds.start({ AWS_ENDPOINT_URL: closed }, undefined, { provisioning: { lambdaEndpoint: stub.url } });
    await expect(failed).rejects.toThrow(/could not set up LocalStack at .*ECONNREFUSED[\s\S]*docker compose up/);
    sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, urlHost: "localhost", region: "us-east-1", publish: new EventLog(100).publish, triggerUserAgent: "none" });
  });

  it("tears down the mapping, the function and both queues, and a second teardown finds nothing", async () => {
    const playground = await start();
    await playground.stop();
    const config = parseConfig(env(), "test");
    const removed = await teardown(config, { lambdaEndpoint: stub.url });
    expect(removed).toEqual([expect.stringMatching(/^event source mapping /), "function process-task", "queue interview-queue", "queue interview-queue-dlq"]);
    expect(stub.functions.size + stub.mappings.size).toBe(0);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: "interview-queue" }))).rejects.toThrow();
    expect(await teardown(config, { lambdaEndpoint: stub.url })).toEqual([]);
  });
});
