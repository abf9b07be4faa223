import { describe, expect, it } from "vitest";
import { SendBatcher, type BatchEntryResult } from "../../server/queue/sendBatcher.js";

/** A fake wire whose calls finish only when the test says so: shows what waits, and what leaves together. */
function controlledWire() {
  const calls: { bodies: string[]; finish: () => void }[] = [];
  const one = (body: string) => new Promise<string>((resolve) => calls.push({ bodies: [body], finish: () => resolve(`id-${body}`) }));
  const many = (bodies: string[]) =>
    new Promise<BatchEntryResult[]>((resolve) =>
      calls.push({ bodies, finish: () => resolve(bodies.map((body) => (body === "refused" ? { error: new Error("InvalidMessageContents") } : { messageId: `id-${body}` }))) }),
    );
  return { calls, one, many };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("SendBatcher (group commit for SendMessage)", () => {
  it("sends a lone message at once, on its own", async () => {
    const wire = controlledWire();
    const batcher = new SendBatcher(wire.one, wire.many, { maxInFlight: 1, maxEntries: 10, maxBytes: 1024 });
    const sent = batcher.send("a");
    expect(wire.calls.map((c) => c.bodies)).toEqual([["a"]]);
    wire.calls[0]?.finish();
    await expect(sent).resolves.toBe("id-a");
  });

  it("lets messages that arrive while the wire is busy leave together, at most ten per call", async () => {
    const wire = controlledWire();
    const batcher = new SendBatcher(wire.one, wire.many, { maxInFlight: 1, maxEntries: 10, maxBytes: 1024 });
    const bodies = Array.from({ length: 13 }, (_, i) => `m${i}`);
    const sent = bodies.map((body) => batcher.send(body));
    expect(wire.calls).toHaveLength(1);
    wire.calls[0]?.finish();
    await settle();
    expect(wire.calls.map((c) => c.bodies.length)).toEqual([1, 10]);
    wire.calls[1]?.finish();
    await settle();
    expect(wire.calls.map((c) => c.bodies.length)).toEqual([1, 10, 2]);
    wire.calls[2]?.finish();
    expect(await Promise.all(sent)).toEqual(bodies.map((body) => `id-${body}`));
  });

  it("keeps a call's bodies under the byte limit, but always sends an oversized one alone", async () => {
    const wire = controlledWire();
    const batcher = new SendBatcher(wire.one, wire.many, { maxInFlight: 1, maxEntries: 10, maxBytes: 10 });
    const sent = ["first", "aaaa", "bbbb", "cccc", "x".repeat(50)].map((body) => batcher.send(body));
    for (let i = 0; i < 4; i += 1) {
      wire.calls[i]?.finish();
      await settle();
    }
    expect(wire.calls.map((c) => c.bodies)).toEqual([["first"], ["aaaa", "bbbb"], ["cccc"], ["x".repeat(50)]]);
    wire.calls[3]?.finish();
    await Promise.all(sent);
  });

  it("fails only the refused entry of a batch, and every entry when the whole call fails", async () => {
    const wire = controlledWire();
    let failWhole = false;
    const many = (bodies: string[]) => (failWhole ? Promise.reject(new Error("ServiceUnavailable")) : wire.many(bodies));
    const batcher = new SendBatcher(wire.one, many, { maxInFlight: 1, maxEntries: 10, maxBytes: 1024 });
    const first = batcher.send("first");
    const partial = ["ok", "refused"].map((body) => batcher.send(body));
    wire.calls[0]?.finish();
    await settle();
    wire.calls[1]?.finish();
    await expect(partial[0]).resolves.toBe("id-ok");
    await expect(partial[1]).rejects.toThrow("InvalidMessageContents");
    await first;

    const busy = batcher.send("busy");
    failWhole = true;
    const whole = ["p", "q"].map((body) => batcher.send(body));
    wire.calls[2]?.finish();
    await busy;
    for (const send of whole) await expect(send).rejects.toThrow("ServiceUnavailable");
  });

  it("keeps up to maxInFlight calls on the wire before messages start to wait", () => {
    const wire = controlledWire();
    const batcher = new SendBatcher(wire.one, wire.many, { maxInFlight: 2, maxEntries: 10, maxBytes: 1024 });
    for (const body of ["a", "b", "c", "d"]) void batcher.send(body);
    expect(wire.calls.map((c) => c.bodies)).toEqual([["a"], ["b"]]);
  });
});
