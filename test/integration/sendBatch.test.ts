import { describe, expect, it } from "vitest";
import type { FlowEvent, SqsCall, Task } from "../../common/events.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();

const apiCalls = (playground: TestPlayground): SqsCall[] =>
  playground.events
    .recent()
    .filter(isType("sqs.call", (e) => e.call.caller === "api"))
    .map((e) => e.call);

const completedCount = (ids: Set<number>) => {
  const done = new Set<number>();
  return (event: FlowEvent) => event.type === "task.updated" && event.task.status === "completed" && ids.has(event.task.id) && done.add(event.task.id).size === ids.size;
};

describe("the API's sends in a burst (SendMessageBatch)", () => {
  it("sends a lone task's message with SendMessage, as lesson 2 shows", async () => {
    const playground = await playgrounds.start();
    const task = (await (await playground.post("/tasks", { title: "alone" })).json()) as Task;
    expect(apiCalls(playground).filter((c) => c.messageIds.includes(task.messageId ?? "")).map((c) => c.operation)).toEqual(["SendMessage"]);
  });

  it("sends the messages of concurrent tasks together, each task with its own message", async () => {
    const playground = await playgrounds.start();
    const before = apiCalls(playground).length;
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => playground.post("/tasks", { title: `together ${i}` })));
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
    const tasks = (await Promise.all(responses.map((r) => r.json()))) as Task[];
    expect(new Set(tasks.map((t) => t.messageId)).size).toBe(40);

    const sends = apiCalls(playground).slice(before).filter((c) => c.operation.startsWith("SendMessage"));
    expect(sends.some((c) => c.operation === "SendMessageBatch")).toBe(true);
    expect(sends.length).toBeLessThan(40);
    // Every message id the API answered with is one SQS gave back, in exactly one call.
    expect(sends.flatMap((c) => c.messageIds).sort()).toEqual(tasks.map((t) => t.messageId).sort());
    const batch = sends.find((c) => c.operation === "SendMessageBatch");
    const entries = (batch?.request as { Entries: { Id: string; MessageBody: string }[] }).Entries;
    expect(entries.length).toBeGreaterThan(1);
    expect(entries.length).toBeLessThanOrEqual(10);
    expect(entries.map((e) => JSON.parse(e.MessageBody) as { task_id: number }).every((b) => tasks.some((t) => t.id === b.task_id))).toBe(true);

    await playground.waitForEvent(completedCount(new Set(tasks.map((t) => t.id))));
  });

  it("keeps every task of a failed batch with its own send error, and sends them all once SQS is back", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { sqsUnavailable: true });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => playground.post("/tasks", { title: `refused ${i}` })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    const tasks = (await Promise.all(responses.map((r) => r.json()))) as Task[];
    expect(tasks.every((t) => t.messageId === null && /ServiceUnavailable/.test(t.sendError ?? ""))).toBe(true);
    expect(apiCalls(playground).some((c) => c.operation === "SendMessageBatch" && c.error?.code.includes("ServiceUnavailable"))).toBe(true);

    await playground.send("PUT", "/api/faults", {});
    await playground.waitForEvent(completedCount(new Set(tasks.map((t) => t.id))), 20_000);
    const stored = (await (await playground.get("/tasks")).json()) as Task[];
    expect(stored.filter((t) => t.status === "completed" && t.attempts === 1)).toHaveLength(20);
  });
});
