// The function's reserved concurrency (PutFunctionConcurrency's ReservedConcurrentExecutions) and
// how Lambda throttles an SQS trigger's batches past it: real playground, real SQS, real HTTP.
import { GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import type { FlowEvent, FunctionSettings, Task } from "../../common/events.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const body = async <T>(response: Response) => (await response.json()) as T;
type FunctionView = FunctionSettings & { warnings: string[] };
type ErrorBody = { error: { code: string; message: string } };

/** The most invocations that ran at once, counted from the event log. */
function mostAtOnce(events: FlowEvent[]): number {
  let running = 0;
  let most = 0;
  for (const event of events) {
    if (event.type === "lambda.invoked") most = Math.max(most, ++running);
    if (event.type === "lambda.completed" || event.type === "lambda.failed") running -= 1;
  }
  return most;
}

async function createTasks(playground: TestPlayground, count: number): Promise<Task[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => playground.post("/tasks", { title: `reserved ${i}` }).then((r) => body<Task>(r))));
}

describe("the function's reserved concurrency at /api/function", () => {
  it("starts with none reserved, as a new function does", async () => {
    const playground = await playgrounds.start();
    expect(await body<FunctionView>(await playground.get("/api/function"))).toMatchObject({ Timeout: 3, ReservedConcurrentExecutions: null });
  });

  it("sets ReservedConcurrentExecutions, announces it, and removes it with null", async () => {
    const playground = await playgrounds.start();
    expect(await body<FunctionView>(await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: 1 }))).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 3 });
    expect(playground.events.recent().findLast(isType("function.updated"))?.settings).toEqual({ Timeout: 3, ReservedConcurrentExecutions: 1 });
    expect(await body<FunctionView>(await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: null }))).toMatchObject({ ReservedConcurrentExecutions: null });
  });

  it("refuses more than the default account can reserve with AWS's message, and changes nothing", async () => {
    const playground = await playgrounds.start();
    const answer = await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: 901 });
    expect(answer.status).toBe(400);
    expect((await body<ErrorBody>(answer)).error).toEqual({
      code: "InvalidParameterValueException",
      message: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    });
    expect((await body<FunctionView>(await playground.get("/api/function"))).ReservedConcurrentExecutions).toBeNull();
  });

  it.each([[-1], [1.5], ["2"]])("refuses %j as a ValidationException", async (value) => {
    const playground = await playgrounds.start();
    const answer = await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: value });
    expect(answer.status).toBe(400);
    expect((await body<ErrorBody>(answer)).error.code).toBe("ValidationException");
  });

  it("warns when the trigger may run more batches than the function may run at once", async () => {
    const playground = await playgrounds.start();
    await playground.send("PATCH", "/api/trigger", { ScalingConfig: { MaximumConcurrency: 3 } });
    const view = await body<FunctionView>(await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: 2 }));
    expect(view.warnings.some((w) => /reserved concurrency \(2\) is below .*MaximumConcurrency is 3.*throttles/.test(w))).toBe(true);
    const enough = await body<FunctionView>(await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: 3 }));
    expect(enough.warnings.some((w) => /reserved concurrency/.test(w))).toBe(false);
  });
});

describe("throttling an SQS trigger past the reserved concurrency", () => {
  it("never runs more invocations at once than the reserved concurrency, and announces each throttle", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "20", MAX_RECEIVE_COUNT: "10" });
    await playground.send("PATCH", "/api/trigger", { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 3 } });
    await playground.send("PUT", "/api/faults", { delayMs: 400 });
    await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: 1 });
    await createTasks(playground, 4);
    const throttled = await playground.waitForEvent(isType("lambda.throttled"));
    expect(throttled).toMatchObject({ functionName: "process-task", reserved: 1, running: 1, attempt: 1, retrying: true });
    await waitUntil(() => playground.store.list().filter((t) => t.status === "completed").length === 4, 30_000);
    expect(mostAtOnce(playground.events.recent())).toBe(1);
  });

  it("with 0 reserved, invokes nothing: each throttled batch comes back and counts a receive, until SQS dead-letters it", async () => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "1", FUNCTION_TIMEOUT_SECONDS: "1" });
    await playground.send("PATCH", "/api/function", { ReservedConcurrentExecutions: 0 });
    const [task] = await createTasks(playground, 1);
    const dead = await playground.waitForEvent(isType("message.dead-lettered", (e) => e.taskId === task?.id), 20_000);
    expect(dead.receiveCount).toBe(3);
    const events = playground.events.recent();
    expect(events.filter(isType("lambda.throttled", (e) => e.taskIds.includes(task?.id ?? -1) && !e.retrying))).toHaveLength(3);
    expect(events.some((e) => e.type === "lambda.invoked")).toBe(false);
  });
});

describe("retention periods the playground provisions", () => {
  it("are set back by a reset: 4 days on the queue, 14 days on its dead-letter queue", async () => {
    const playground = await playgrounds.start();
    const sqs = new SQSClient({ endpoint: playground.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
    try {
      for (const QueueUrl of [playground.queues.queueUrl, playground.queues.deadLetterQueueUrl]) {
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MessageRetentionPeriod: "60" } }));
      }
      await playground.send("POST", "/api/reset", {});
      const retention = async (QueueUrl: string) =>
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["MessageRetentionPeriod"] }))).Attributes?.MessageRetentionPeriod;
      expect(await retention(playground.queues.queueUrl)).toBe("345600");
      expect(await retention(playground.queues.deadLetterQueueUrl)).toBe("1209600");
    } finally {
      sqs.destroy();
    }
  });
});

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
