import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientToServerEvents, FlowEvent, ServerToClientEvents, Task, TriggerView } from "../../common/events.js";
import { parseConfig } from "../../server/config.js";
import { startPlayground } from "../../server/playground.js";
import { isType, makeDataDir, playgroundPerTest, removeDataDir } from "../helpers/playground.js";

const playgrounds = playgroundPerTest();
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

const body = async <T>(response: Response) => (await response.json()) as T;
type ErrorBody = { error: { code: string; message: string } };

describe("the trigger's settings at /api/trigger", () => {
  it("reads like GetEventSourceMapping, with the settings, state and warnings", async () => {
    const playground = await playgrounds.start();
    const view = await body<TriggerView>(await playground.get("/api/trigger"));
    expect(view).toMatchObject({
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: {},
      Enabled: true,
      State: "Enabled",
      EventSourceArn: playground.queues.queueArn,
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:process-task",
    });
    expect(view.UUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(view.warnings[0]).toMatch(/below AWS's recommended 6 × function timeout/);
  });

  it("says that ReportBatchItemFailures is the playground's default, not AWS's, until it is turned off", async () => {
    const playground = await playgrounds.start();
    const view = await body<TriggerView>(await playground.get("/api/trigger"));
    expect(view.playgroundDefaults).toEqual([expect.stringMatching(/set by the playground .* a new mapping on AWS starts with \[\]/)]);
    const off = await body<TriggerView>(await playground.send("PATCH", "/api/trigger", { FunctionResponseTypes: [] }));
    expect(off.playgroundDefaults).toEqual([]);
  });

  it("refuses BatchSize 100 without a window with AWS's error, and changes nothing", async () => {
    const playground = await playgrounds.start();
    const seq = playground.events.lastSeq;
    const response = await playground.send("PATCH", "/api/trigger", { BatchSize: 100 });
    expect(response.status).toBe(400);
    expect(await body<ErrorBody>(response)).toEqual({
      error: { code: "InvalidParameterValueException", message: "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10" },
    });
    expect((await body<TriggerView>(await playground.get("/api/trigger"))).BatchSize).toBe(10);
    expect(playground.events.lastSeq).toBe(seq);
  });

  it("applies a valid change, announces it, and the next batches follow it", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const view = await body<TriggerView>(await playground.send("PATCH", "/api/trigger", { BatchSize: 2, Enabled: true }));
    expect(view).toMatchObject({ BatchSize: 2, Enabled: true });
    expect(playground.events.recent().find(isType("trigger.updated"))?.settings.BatchSize).toBe(2);
    const created = await Promise.all(Array.from({ length: 6 }, (_, i) => playground.post("/tasks", { title: `t${i}` })));
    expect(created.every((r) => r.status === 201)).toBe(true);
    const done = new Set<number>();
    await playground.waitForEvent((e) => e.type === "task.updated" && e.task.status === "completed" && done.add(e.taskId).size === 6);
    expect(playground.events.recent().filter(isType("lambda.invoked")).every((e) => e.messageIds.length <= 2)).toBe(true);
  });

  it("gathers with a batching window set while its pollers were already long-polling", async () => {
    // Pollers running with no window (long polls of up to 20 s in progress), then the window set:
    // the messages that arrive next are gathered in one batch, not invoked as the first one comes.
    const playground = await playgrounds.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await playground.send("PATCH", "/api/trigger", { MaximumBatchingWindowInSeconds: 4 })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await playground.post("/tasks", { title: `gathered ${i}` })).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const done = new Set<number>();
    await playground.waitForEvent((e) => e.type === "task.updated" && e.task.status === "completed" && done.add(e.taskId).size === 3, 30_000);
    expect(playground.events.recent().filter(isType("lambda.invoked")).map((e) => e.messageIds.length)).toEqual([3]);
  });

  it("turns the trigger off and on: messages wait while it is off", async () => {
    const playground = await playgrounds.start();
    await playground.send("PATCH", "/api/trigger", { Enabled: false });
    await playground.waitForEvent(isType("trigger.state", (e) => e.state === "disabled"));
    const task = await body<Task>(await playground.post("/tasks", { title: "waits" }));
    await new Promise((r) => setTimeout(r, 200));
    expect(playground.snapshot().queues[0]?.visible).toBe(1);
    expect((await body<TriggerView>(await playground.get("/api/trigger"))).State).toBe("Disabled");
    await playground.send("PATCH", "/api/trigger", { Enabled: true });
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === task.id && e.task.status === "completed"));
  });

  it("refuses a body that is not JSON", async () => {
    const playground = await playgrounds.start();
    const response = await fetch(`${playground.url}/api/trigger`, { method: "PATCH", headers: { "content-type": "text/plain" }, body: "BatchSize=5" });
    expect(response.status).toBe(415);
  });

  it("answers the same over Socket.IO, and every client hears the change", async () => {
    const playground = await playgrounds.start();
    const connect = () => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(playground.url, { transports: ["websocket"], forceNew: true });
      sockets.push(socket);
      return socket;
    };
    const [controller, watcher] = [connect(), connect()];
    const heard = new Promise<FlowEvent>((resolve) => watcher.on("events", (batch) => batch.forEach((e) => e.type === "trigger.updated" && resolve(e))));
    const refused = await controller.emitWithAck("trigger:update", { BatchSize: 0 });
    expect(refused).toEqual({ error: { code: "ValidationException", message: expect.stringContaining("batchSize") } });
    const applied = await controller.emitWithAck("trigger:update", { ScalingConfig: { MaximumConcurrency: 4 } });
    expect("data" in applied && applied.data.ScalingConfig).toEqual({ MaximumConcurrency: 4 });
    expect(await heard).toMatchObject({ type: "trigger.updated", settings: { ScalingConfig: { MaximumConcurrency: 4 } } });
  });

  it("gives a bad filter pattern AWS's exact message over Socket.IO too, with the playground's reason in detail", async () => {
    const playground = await playgrounds.start();
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(playground.url, { transports: ["websocket"], forceNew: true });
    sockets.push(socket);
    const refused = await socket.emitWithAck("trigger:update", { FilterCriteria: { Filters: [{ Pattern: "{body" }] } });
    expect(refused).toEqual({ error: { code: "InvalidParameterValueException", message: "Invalid filter pattern definition.", detail: expect.stringContaining("not JSON") } });
  });
});

describe("the function's settings at /api/function", () => {
  it("accepts a timeout above the visibility timeout, as Lambda does, but warns that a new trigger would be refused", async () => {
    const playground = await playgrounds.start();
    const view = await body<{ Timeout: number; warnings: string[] }>(await playground.send("PATCH", "/api/function", { Timeout: 10 }));
    expect(view.Timeout).toBe(10);
    expect(view.warnings[0]).toMatch(/Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds/);
    expect(playground.events.recent().find(isType("function.updated"))?.settings).toEqual({ Timeout: 10, ReservedConcurrentExecutions: null });
  });

  it("refuses to start a trigger whose function timeout exceeds the queue's visibility timeout", async () => {
    const dataDir = await makeDataDir();
    try {
      const config = parseConfig({ PORT: "0", SQS_PORT: "0", DATA_DIR: dataDir, FUNCTION_TIMEOUT_SECONDS: "10" }, "test");
      await expect(startPlayground(config, { log: () => {} })).rejects.toThrow("InvalidParameterValueException: Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds");
    } finally {
      await removeDataDir(dataDir);
    }
  });
});
