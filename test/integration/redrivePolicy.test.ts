// The page draws "after n receives" on the dead-letter arrow from the queue's redrive policy as SQS
// holds it: lab 1 sets maxReceiveCount to 10 from the terminal, and the drawing still said 3.
import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
type Policy = Extract<FlowEvent, { type: "queue.redrive-policy" }>;

async function setMaxReceiveCount(playground: TestPlayground, count: string | null, fifo = false): Promise<void> {
  const sqs = new SQSClient({ endpoint: playground.sqsEndpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  try {
    const [queueUrl, deadLetterUrl] = fifo ? [playground.queues.queueUrl.replace(/$/, ".fifo"), playground.queues.deadLetterQueueUrl.replace(/$/, ".fifo")] : [playground.queues.queueUrl, playground.queues.deadLetterQueueUrl];
    const deadLetterTargetArn = `arn:aws:sqs:us-east-1:000000000000:${deadLetterUrl.split("/").at(-1)}`;
    // As the aws CLI sends it in lab 1: the count as a string; lab 2 takes the FIFO queue's away ("").
    const RedrivePolicy = count === null ? "" : JSON.stringify({ deadLetterTargetArn, maxReceiveCount: count });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy } }));
  } finally {
    sqs.destroy();
  }
}

const queuesOf = async (playground: TestPlayground) => ((await (await playground.get("/health")).json()) as { queues: { maxReceiveCount: number; fifoMaxReceiveCount: number | null } }).queues;
const health = async (playground: TestPlayground) => (await queuesOf(playground)).maxReceiveCount;

describe("the queue's redrive policy on the page", () => {
  it("is announced when a client changes maxReceiveCount, and /health reports it", { timeout: 30_000 }, async () => {
    const playground = await playgrounds.start();
    expect(await health(playground)).toBe(3);
    await setMaxReceiveCount(playground, "10");
    const changed = (await playground.waitForEvent(isType("queue.redrive-policy"))) as Policy;
    expect(changed).toMatchObject({ queue: "interview-queue", maxReceiveCount: 10 });
    expect(await health(playground)).toBe(10);
  });

  it("is announced back at 3 when a reset restores the queue's own policy", { timeout: 30_000 }, async () => {
    const playground = await playgrounds.start();
    await setMaxReceiveCount(playground, "10");
    const first = (await playground.waitForEvent(isType("queue.redrive-policy"))) as Policy;
    expect((await playground.send("POST", "/api/reset")).status).toBe(200);
    const back = (await playground.waitForEvent(isType("queue.redrive-policy", (e) => e.seq > first.seq))) as Policy;
    expect(back.maxReceiveCount).toBe(3);
    expect(await health(playground)).toBe(3);
  });

  it("is not announced when nothing about it changed", { timeout: 30_000 }, async () => {
    const playground = await playgrounds.start();
    expect((await playground.send("POST", "/api/reset")).status).toBe(200);
    await setMaxReceiveCount(playground, "3");
    await playground.waitForEvent(isType("sqs.call", (e) => e.call.operation === "SetQueueAttributes" && e.call.caller === "other-client"));
    await new Promise((r) => setTimeout(r, 200));
    expect(playground.events.recent().filter((e) => e.type === "queue.redrive-policy")).toEqual([]);
  });

  it("is the FIFO queue's own: taken away there, it is announced for that queue alone and /health reports both", { timeout: 30_000 }, async () => {
    const playground = await playgrounds.start();
    expect(await queuesOf(playground)).toMatchObject({ maxReceiveCount: 3, fifoMaxReceiveCount: 3 });
    await setMaxReceiveCount(playground, null, true);
    const changed = (await playground.waitForEvent(isType("queue.redrive-policy"))) as Policy;
    expect(changed).toMatchObject({ queue: "interview-queue.fifo", maxReceiveCount: null });
    expect(await queuesOf(playground)).toMatchObject({ maxReceiveCount: 3, fifoMaxReceiveCount: null });
  });
});

