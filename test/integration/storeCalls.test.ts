// Several store calls in one request (/internal/store/calls) and the link that uses it: the lesson's
// function defers a task's completion to its next call, so a record costs one request, not two.
import { describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { loopbackFetch } from "../../lambda/loopbackFetch.js";
import { PlaygroundLink } from "../../lambda/playgroundLink.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { rawRequest } from "../helpers/rawHttp.js";

// The trigger is off: the tasks below are claimed and completed by these calls only.
const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });
const newTask = async (title: string) => (await (await playground().post("/tasks", { title })).json()) as Task;
const endpoint = () => playground().functionEndpointUrl ?? "";
const calls = (body: unknown) =>
  rawRequest(endpoint(), {
    method: "POST",
    path: "/internal/store/calls",
    headers: { host: new URL(endpoint()).host, authorization: `Bearer ${playground().internalToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const link = () => new PlaygroundLink(endpoint(), playground().internalToken, loopbackFetch, { deferCompletions: true });

describe("/internal/store/calls", () => {
  it("runs the calls in order and answers each as its own route would", async () => {
    const a = await newTask("a");
    const b = await newTask("b");
    const answer = await calls({
      calls: [
        { call: "claim", taskId: a.id, invocationId: "inv/1", leaseMs: 60_000 },
        { call: "complete", taskId: a.id, invocationId: "inv/1" },
        { call: "complete", taskId: b.id, invocationId: "inv/2" },
        { call: "claim", taskId: b.id, invocationId: "inv/2", leaseMs: 60_000 },
      ],
    });
    expect(answer.status).toBe(200);
    const { results } = answer.json as { results: unknown[] };
    expect(results).toMatchObject([{ outcome: "claimed" }, { completed: true }, { completed: false }, { outcome: "claimed" }]);
    expect(playground().store.get(a.id)?.status).toBe("completed");
    expect(playground().store.get(b.id)?.status).toBe("processing");
  });

  it("refuses the whole request when one call is malformed, before any call runs", async () => {
    const task = await newTask("untouched");
    const answer = await calls({ calls: [{ call: "claim", taskId: task.id, invocationId: "inv/3", leaseMs: 60_000 }, { call: "complete", taskId: -1, invocationId: "inv/3" }] });
    expect(answer.status).toBe(400);
    expect((answer.json as { error: { code: string } }).error.code).toBe("InvalidInternalRequest");
    expect(playground().store.get(task.id)?.status).toBe("pending");
    expect((await calls({ calls: [] })).status).toBe(400);
    expect((await calls({ calls: [{ call: "delete", taskId: task.id, invocationId: "inv/3" }] })).status).toBe(400);
  });
});

describe("PlaygroundLink with deferred completions", () => {
  it("sends a completion with the next claim, and settle() sends the last one", async () => {
    const store = link();
    const [first, second] = [await newTask("first"), await newTask("second")];
    expect((await store.claim(first.id, "inv/a", 60_000)).outcome).toBe("claimed");
    expect(await store.complete(first.id, "inv/a")).toBe(true);
    // Not sent yet: it goes with the next call.
    expect(playground().store.get(first.id)?.status).toBe("processing");
    expect((await store.claim(second.id, "inv/b", 60_000)).outcome).toBe("claimed");
    expect(playground().store.get(first.id)?.status).toBe("completed");
    expect(await store.complete(second.id, "inv/b")).toBe(true);
    expect(await store.settle()).toEqual([]);
    expect(playground().store.get(second.id)?.status).toBe("completed");
  });

  it("settle() names a task whose deferred completion the playground refused (the claim was not this invocation's)", async () => {
    const store = link();
    const task = await newTask("someone else's");
    expect((await store.claim(task.id, "inv/owner", 60_000)).outcome).toBe("claimed");
    await store.complete(task.id, "inv/not-the-owner");
    expect(await store.settle()).toEqual([task.id]);
    expect(playground().store.get(task.id)?.status).toBe("processing");
    expect(await store.settle()).toEqual([]);
  });

  it("sends a waiting completion before a step-mode pause or another service call", async () => {
    const store = link();
    const task = await newTask("before the charge");
    await store.claim(task.id, "inv/c", 60_000);
    await store.complete(task.id, "inv/c");
    await store.charge(task.id);
    expect(playground().store.get(task.id)?.status).toBe("completed");
  });
});
