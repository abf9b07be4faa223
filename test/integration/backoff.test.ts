// Backoff by receive count: the function sets a failed message's visibility itself, longer on each
// receive (retryBackoffSeconds), with ChangeMessageVisibility as a consumer on AWS would.
import { describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { visibilityTimeoutSet } from "../../common/heartbeat.js";
import { isType, playgroundPerTest } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();

describe("retryBackoffSeconds", () => {
  it("with every record failing, the function sets its message's visibility to 1, 2 and 4 s on receives 1, 2 and 3", { timeout: 30_000 }, async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { failRate: 1, retryBackoffSeconds: 1 });
    const task = (await (await playground.post("/tasks", { title: "backs off" })).json()) as Task;
    await playground.waitForEvent(isType("message.dead-lettered", (e) => e.messageId === task.messageId), 25_000);
    const changes = playground.events.recent().filter(isType("sqs.call", (e) => e.call.caller === "function" && e.call.operation === "ChangeMessageVisibility"));
    expect(changes.map((e) => visibilityTimeoutSet(e.call))).toEqual([1, 2, 4]);
    expect(changes.map((e) => e.call.messageIds)).toEqual([[task.messageId], [task.messageId], [task.messageId]]);
    expect(changes.map((e) => e.call.error)).toEqual([null, null, null]);
  });

  it("left off, the function does not change a failed message's visibility", async () => {
    const playground = await playgrounds.start();
    await playground.send("PUT", "/api/faults", { failRate: 1 });
    const task = (await (await playground.post("/tasks", { title: "fails plainly" })).json()) as Task;
    await playground.waitForEvent(isType("lambda.completed", (e) => e.failedMessageIds.includes(task.messageId ?? "")));
    expect(playground.events.recent().filter(isType("sqs.call", (e) => e.call.caller === "function" && e.call.operation.startsWith("ChangeMessageVisibility")))).toEqual([]);
  });

  it("refuses a value ChangeMessageVisibility could not take (0, a fraction, over 12 hours), changing nothing", async () => {
    const playground = await playgrounds.start();
    for (const bad of [0, 1.5, 43_201, "2"]) {
      const response = await playground.send("PUT", "/api/faults", { retryBackoffSeconds: bad });
      expect(response.status).toBe(400);
    }
    expect(playground.controls.faults().retryBackoffSeconds).toBeNull();
  });
});
