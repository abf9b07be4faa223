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
import { startEmbeddedSqs } from "../../server/backends/embeddedSqs.js";
import type { EmbeddedSqs } from "../../server/sqs/embedded.js";
import { buildSqsEvent } from "../../server/trigger/sqsEvent.js";
import { invokeBundle } from "../helpers/invokeBundle.js";
import { startLambdaStub, type LambdaStub } from "../helpers/lambdaStub.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

/**
 * How long the flow's events may take to be seen: in this mode the queue watch reads the queue by
 * polling, as it reads LocalStack's, and on a loaded machine (the whole suite on two cores) its
 * polls and the bundle's own process run late; 15 s was missed there.
 */
const SEEN_WITHIN_MS = 45_000;

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
    sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, region: "us-east-1", publish: new EventLog(100).publish });
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

  /** One turn of the Lambda service on one queue (the standard one unless told): receive a batch, invoke the bundle, delete what succeeded. */
  async function actAsLambda(playground: TestPlayground, queues = playground.queues) {
    const { queueUrl, queueArn } = queues;
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], WaitTimeSeconds: 1 }));
    const messages = received.Messages ?? [];
    const outcome = await invokeBundle(buildSqsEvent(messages, { queueArn, region: "us-east-1" }), { url: playground.url, token: playground.internalToken });
    if (!outcome.ok) return outcome;
    const failed = new Set(outcome.result.batchItemFailures.map((f) => f.itemIdentifier));
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ""));
    if (done.length) await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })) }));
    return outcome;
  }

  it("provisions the queues (standard and FIFO) and deploys the bundled handler with a trigger on each through the Lambda API", async () => {
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
      expect.objectContaining({ EventSourceArn: playground.backend.fifo.queues.queueArn, BatchSize: 10, MaximumBatchingWindowInSeconds: 0, Enabled: true, State: "Enabled" }),
    ]);
    expect(playground.backend.fifo.queues.queueUrl).toMatch(/\/000000000000\/interview-queue\.fifo$/);
    expect(playground.queues.queueUrl).toMatch(/\/000000000000\/interview-queue$/);
    // The page is told what this backend cannot show, and says so beside the queues.
    expect(playground.snapshot().backend).toEqual({ mode: "localstack", stepMode: false, messageDetail: true, note: expect.stringContaining("/_aws/sqs/messages") });
  });

  it("updates the function and its trigger on a re-run instead of failing, and disables the trigger while stopped", async () => {
    const first = await start();
    await first.stop();
    expect([...stub.mappings.values()]).toEqual([expect.objectContaining({ Enabled: false }), expect.objectContaining({ Enabled: false })]);
    stub.requests.length = 0;
    await start(first.dataDir);
    expect(stub.operations()).toEqual(expect.arrayContaining(["PUT /2015-03-31/functions/process-task/code", "PUT /2015-03-31/functions/process-task/configuration", "PUT /2015-03-31/event-source-mappings/{UUID}"]));
    expect(stub.operations()).not.toContain("POST /2015-03-31/functions");
    expect(stub.functions.size).toBe(1);
    expect([...stub.mappings.values()]).toEqual([expect.objectContaining({ Enabled: true }), expect.objectContaining({ Enabled: true })]);
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
    // Filters go to Lambda as they are, and `{}` removes them there too.
    const FilterCriteria = { Filters: [{ Pattern: '{"body": {"title": [{"prefix": "urgent"}]}}' }] };
    expect((await playground.send("PATCH", "/api/trigger", { FilterCriteria })).status).toBe(200);
    await expect.poll(() => [...stub.mappings.values()][0]?.FilterCriteria).toEqual(FilterCriteria);
    expect((await playground.send("PATCH", "/api/trigger", { FilterCriteria: {} })).status).toBe(200);
    await expect.poll(() => [...stub.mappings.values()][0]?.FilterCriteria).toEqual({});
    const fn = await playground.send("PATCH", "/api/function", { Timeout: 4 });
    expect(fn.status).toBe(200);
    expect(stub.functions.get("process-task")?.Timeout).toBe(4);
  });

  it("maps reserved concurrency to PutFunctionConcurrency, and null to DeleteFunctionConcurrency", async () => {
    const playground = await start();
    expect((await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: 2 })).status).toBe(200);
    expect(stub.functions.get("process-task")?.ReservedConcurrentExecutions).toBe(2);
    expect((await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: null })).status).toBe(200);
    expect(stub.functions.get("process-task")?.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("refuses step mode with the reason, rather than ignoring it", async () => {
    const playground = await start();
    const response = await playground.send("PUT", "/api/step-mode", { enabled: true });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "StepModeUnavailable", message: expect.stringContaining("embedded") } });
  });

  it("completes a task through the deployed bundle, run in its own process with a real SQS event", { timeout: 120_000 }, async () => {
    const playground = await start();
    const created = (await (await playground.post("/tasks", { title: "through LocalStack mode" })).json()) as Task;
    const outcome = await actAsLambda(playground);
    expect(outcome).toEqual({ ok: true, result: { batchItemFailures: [] } });
    expect(((await (await playground.get(`/tasks/${created.id}`)).json()) as Task).status).toBe("completed");
    await playground.waitForEvent(isType("lambda.completed"), SEEN_WITHIN_MS);
    await playground.waitForEvent(isType("message.received", (e) => e.taskId === created.id && e.consumer === "lambda-trigger"), SEEN_WITHIN_MS);
    await playground.waitForEvent(isType("message.deleted", (e) => e.taskId === created.id), SEEN_WITHIN_MS);
  });

  it("completes a FIFO task through the deployed bundle, its messages watched in the FIFO queue with their group", { timeout: 120_000 }, async () => {
    const playground = await start();
    const created = (await (await playground.post("/tasks", { title: "in order", queue: "fifo", messageGroupId: "customer-1" })).json()) as Task;
    expect(created).toMatchObject({ queue: "fifo", messageGroupId: "customer-1" });
    const outcome = await actAsLambda(playground, playground.backend.fifo.queues);
    expect(outcome).toEqual({ ok: true, result: { batchItemFailures: [] } });
    expect(((await (await playground.get(`/tasks/${created.id}`)).json()) as Task).status).toBe("completed");
    await playground.waitForEvent(isType("message.sent", (e) => e.taskId === created.id && e.queue === "interview-queue.fifo" && e.groupId === "customer-1"), SEEN_WITHIN_MS);
    await playground.waitForEvent(isType("message.received", (e) => e.taskId === created.id && e.queue === "interview-queue.fifo" && e.consumer === "lambda-trigger"), SEEN_WITHIN_MS);
    await playground.waitForEvent(isType("message.deleted", (e) => e.taskId === created.id && e.queue === "interview-queue.fifo"), SEEN_WITHIN_MS);
    expect(playground.backend.inspect().map((q) => q.name)).toEqual(["interview-queue", "interview-queue-dlq", "interview-queue.fifo", "interview-queue-dlq.fifo"]);
  });

  it("maps the FIFO trigger's settings to its own mapping and refuses what AWS refuses for FIFO before calling Lambda", async () => {
    const playground = await start();
    const [standard, fifo] = [...stub.mappings.values()];
    expect((await playground.send("PATCH", "/api/trigger/fifo", { BatchSize: 3, FunctionResponseTypes: [] })).status).toBe(200);
    await expect.poll(() => stub.mappings.get(fifo?.UUID ?? "")).toMatchObject({ BatchSize: 3, FunctionResponseTypes: [] });
    expect(stub.mappings.get(standard?.UUID ?? "")).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] });
    stub.requests.length = 0;
    const tooBig = await playground.send("PATCH", "/api/trigger/fifo", { BatchSize: 11 });
    expect(await tooBig.json()).toMatchObject({ error: { code: "InvalidParameterValueException", message: "Batch size for FIFO queues must be between 1 and 10" } });
    const window = await playground.send("PATCH", "/api/trigger/fifo", { MaximumBatchingWindowInSeconds: 1 });
    expect(await window.json()).toMatchObject({ error: { code: "InvalidParameterValueException", message: "Batching window is not supported for FIFO queues" } });
    // Nothing was asked of Lambda but, perhaps, the last reads of the accepted update settling.
    expect(stub.operations().filter((op) => !op.startsWith("GET "))).toEqual([]);
  });

  it("has the deployed function read ReportBatchItemFailures from the mapping that invoked it, not the standard queue's", async () => {
    const playground = await start();
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    // The FIFO mapping without ReportBatchItemFailures, the standard one with it (the playground's default).
    expect((await playground.send("PATCH", "/api/trigger/fifo", { FunctionResponseTypes: [] })).status).toBe(200);
    const standard = (await (await playground.post("/tasks", { title: "standard fails" })).json()) as Task;
    await playground.post("/tasks", { title: "fifo fails", queue: "fifo", messageGroupId: "g" });
    // Without ReportBatchItemFailures a failing record fails the whole invocation; with it, it is reported.
    expect(await actAsLambda(playground, playground.backend.fifo.queues)).toEqual({ ok: false, error: expect.stringContaining("injected failure") });
    expect(await actAsLambda(playground)).toEqual({ ok: true, result: { batchItemFailures: [{ itemIdentifier: standard.messageId }] } });
  });

  it("counts running invocations per mapping: a FIFO invocation is the FIFO mapping's concurrency", async () => {
    const playground = await start();
    await playground.post("/tasks", { title: "one", queue: "fifo", messageGroupId: "g" });
    await actAsLambda(playground, playground.backend.fifo.queues);
    const reports = playground.events.recent().filter(isType("lambda.concurrency"));
    expect(reports.filter((e) => e.running > 0)).toEqual([expect.objectContaining({ mapping: "fifo", running: 1 })]);
    expect(playground.backend.fifo.trigger.concurrency.running).toBe(0);
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
    sqs = await startEmbeddedSqs({ host: "127.0.0.1", port: 0, region: "us-east-1", publish: new EventLog(100).publish });
  });

  it("tears down the mappings, the function and the queues, and a second teardown finds nothing", async () => {
    const playground = await start();
    await playground.stop();
    const config = parseConfig(env(), "test");
    const removed = await teardown(config, { lambdaEndpoint: stub.url });
    expect(removed).toEqual([
      expect.stringMatching(/^event source mapping /),
      expect.stringMatching(/^event source mapping /),
      "function process-task",
      "queue interview-queue",
      "queue interview-queue-dlq",
      "queue interview-queue.fifo",
      "queue interview-queue-dlq.fifo",
    ]);
    expect(stub.functions.size + stub.mappings.size).toBe(0);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: "interview-queue" }))).rejects.toThrow();
    expect(await teardown(config, { lambdaEndpoint: stub.url })).toEqual([]);
  });
});
