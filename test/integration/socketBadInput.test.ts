import { io, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import type { Reply } from "../../common/events.js";
import { playgroundPerFile } from "../helpers/playground.js";

// Untyped on purpose: these tests send what the contract forbids.
const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });

const sockets: Socket[] = [];
afterAll(() => {
  for (const socket of sockets) socket.disconnect();
});
async function connect(): Promise<Socket> {
  const socket = io(playground().url, { transports: ["websocket"], forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

const world = () => ({ faults: playground().controls.faults(), trigger: playground().trigger.settings, stepMode: playground().gate.isEnabled, seq: playground().events.lastSeq });
const errorOf = (reply: Reply<unknown>) => ("error" in reply ? reply.error : null);

describe("Socket.IO bad input", () => {
  it("answers an unknown event with UnknownEvent, naming the events there are", async () => {
    const socket = await connect();
    const before = world();
    const reply = (await socket.timeout(5000).emitWithAck("tasks:delete-all", { all: true })) as Reply<unknown>;
    expect(errorOf(reply)).toEqual({ code: "UnknownEvent", message: expect.stringContaining("faults:set") });
    expect(world()).toEqual(before);
  });

  it.each([
    ["trigger:update", [{ BatchSize: "ten" }], "ValidationException"],
    ["trigger:update", [{ BatchSize: 100 }], "InvalidParameterValueException"],
    ["trigger:update", [[1, 2]], null],
    ["trigger:update", [null], null],
    ["faults:set", [{ failRate: 2 }], "InvalidFaults"],
    ["faults:set", ["failRate=1"], "InvalidFaults"],
    ["faults:set", [{ explode: true }], "InvalidFaults"],
    ["step-mode:set", [{ enabled: "yes" }], "InvalidStepMode"],
    ["step-mode:set", [42], "InvalidStepMode"],
    ["step-mode:next", [{ step: "insert" }], "StepModeOff"],
    ["snapshot:get", ["please"], null],
  ])("answers %s with %j by a clear {error} and changes nothing", async (event, args, code) => {
    const socket = await connect();
    const before = world();
    const reply = (await socket.timeout(5000).emitWithAck(event, ...args)) as Reply<unknown>;
    if (event === "snapshot:get") {
      expect("data" in reply).toBe(true);
    } else {
      const error = errorOf(reply);
      expect(error?.message.length).toBeGreaterThan(10);
      if (code) expect(error?.code).toBe(code);
    }
    expect(world()).toEqual(before);
  });

  it.each(["trigger:update", "faults:set", "step-mode:set"])("answers %s sent without its body with InvalidPayload", async (event) => {
    const socket = await connect();
    const before = world();
    const reply = (await socket.timeout(5000).emitWithAck(event)) as Reply<unknown>;
    expect(errorOf(reply)).toEqual({ code: "InvalidPayload", message: expect.stringContaining(`emit("${event}", body, callback)`) });
    expect(world()).toEqual(before);
  });

  it("survives events without a callback, with a non-function callback, or with binary payloads, and keeps serving", async () => {
    const socket = await connect();
    const before = world();
    socket.emit("faults:set");
    socket.emit("faults:set", { failRate: "x" }, "not a function");
    socket.emit("trigger:update", Buffer.from([1, 2, 3]));
    socket.emit("no-such-event");
    socket.emit("step-mode:set", { enabled: true, extra: 1 });
    const reply = (await socket.timeout(5000).emitWithAck("faults:get")) as Reply<unknown>;
    expect(reply).toEqual({ data: before.faults });
    expect(world()).toEqual(before);
  });

  it("rate-limits a flood on one connection with RateLimited, and only what it let through changed anything", async () => {
    const flooder = await connect();
    const seq = playground().events.lastSeq;
    const replies = (await Promise.all(
      Array.from({ length: 300 }, (_, i) => flooder.timeout(10_000).emitWithAck("faults:set", { delayMs: i + 1 })),
    )) as Reply<unknown>[];
    const refused = replies.filter((r) => errorOf(r)?.code === "RateLimited");
    const applied = replies.filter((r) => "data" in r);
    expect(refused.length).toBeGreaterThan(0);
    expect(applied.length + refused.length).toBe(300);
    expect(errorOf(refused[0] as Reply<unknown>)?.message).toMatch(/too many requests on this connection/);
    const changes = playground().events.recent().filter((e) => e.seq > seq && e.type === "faults.changed");
    expect(changes).toHaveLength(applied.length);

    // Another connection is not held back by the flooder.
    const other = await connect();
    expect(await other.timeout(5000).emitWithAck("faults:set", {})).toMatchObject({ data: { delayMs: 0 } });
  });
});
