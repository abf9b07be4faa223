import { describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { Pacer, pacedTime, type PaceOptions } from "../../client/src/pace.js";

const OPTIONS: PaceOptions = { dwellMs: 600, burstThreshold: 5, burstQuietMs: 1000 };
const queue = "interview-queue";
let seq = 0;
const event = (body: object) => ({ ...body, seq: ++seq, at: 0 }) as unknown as FlowEvent;
const sent = (taskId: number) => event({ type: "message.sent", queue, messageId: `m${taskId}`, taskId, body: "{}" });
const received = (taskId: number) => event({ type: "message.received", queue, messageId: `m${taskId}`, taskId, receiptHandle: "r", receiveCount: 1, visibleAt: 5000, consumer: "lambda-trigger" });
const call = () => event({ type: "sqs.call", call: {} });
const types = (events: FlowEvent[]) => events.map((e) => e.type);

describe("the lesson pace", () => {
  it("shows the first step at once", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive([sent(1), received(1)], 0);
    expect(types(pacer.tick(0).events)).toEqual(["message.sent"]);
  });

  it("shows a world reset at once, with everything before it: the steps it wiped are not played after it", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive([sent(1), received(1), event({ type: "world.reset" }), sent(2), received(2)], 0);
    expect(types(pacer.tick(0).events)).toEqual(["message.sent", "message.received", "world.reset"]);
    expect(types(pacer.tick(0).events)).toEqual(["message.sent"]);
    expect(pacer.tick(599).events).toEqual([]);
    expect(types(pacer.tick(600).events)).toEqual(["message.received"]);
  });

  it("shows one PurgeQueue's deletions as one step, then the step after it a dwell later", () => {
    const pacer = new Pacer(OPTIONS);
    const purged = (taskId: number) => event({ type: "message.deleted", queue, messageId: `m${taskId}`, taskId, purgedBy: "other-client" });
    pacer.arrive([purged(1), purged(2), purged(3), sent(4)], 0);
    expect(pacer.stepsBehind).toBe(2);
    expect(types(pacer.tick(0).events)).toEqual(["message.deleted", "message.deleted", "message.deleted"]);
    expect(pacer.tick(599).events).toEqual([]);
    expect(types(pacer.tick(600).events)).toEqual(["message.sent"]);
  });

  it("keeps each step on screen for the dwell before showing the next", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive([sent(1), received(1)], 0);
    pacer.tick(0);
    expect(pacer.tick(599).events).toEqual([]);
    expect(types(pacer.tick(600).events)).toEqual(["message.received"]);
  });

  it("lets events that are not steps through with the step that follows them", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive([call(), sent(1), call()], 0);
    expect(types(pacer.tick(0).events)).toEqual(["sqs.call", "message.sent"]);
    expect(types(pacer.tick(600).events)).toEqual(["sqs.call"]);
  });

  it("says whether every event up to a sequence number has been shown (a check's ✓ waits for it)", () => {
    const pacer = new Pacer(OPTIONS);
    const first = sent(1);
    const second = received(1);
    pacer.arrive([first, second], 0);
    expect(pacer.shownThrough(first.seq)).toBe(false);
    pacer.tick(0);
    expect(pacer.shownThrough(first.seq)).toBe(true);
    expect(pacer.shownThrough(second.seq)).toBe(false);
    pacer.tick(600);
    expect(pacer.shownThrough(second.seq)).toBe(true);
  });

  it("counts the events still to be shown", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive([sent(1), call(), received(1)], 0);
    pacer.tick(0);
    expect(pacer.behind).toBe(2);
  });

  it("counts the steps of the flow still to be shown apart from the events riding along", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive([sent(1), call(), received(1), call()], 0);
    pacer.tick(0);
    expect(pacer.stepsBehind).toBe(1);
  });

  it("shows a burst at once, in real time, and says so", () => {
    const pacer = new Pacer(OPTIONS);
    const burst = Array.from({ length: 6 }, (_, i) => sent(i));
    pacer.arrive(burst, 0);
    const released = pacer.tick(0);
    expect(released).toEqual({ events: burst, burst: true });
    expect(pacer.burstSize).toBe(6);
  });

  it("keeps showing a burst's next events at once until it has been quiet for a while", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive(Array.from({ length: 6 }, (_, i) => sent(i)), 0);
    pacer.tick(0);
    pacer.arrive([received(1), received(2)], 500);
    expect(pacer.tick(500).events).toHaveLength(2);
    pacer.arrive([received(3), received(4)], 1600);
    expect(types(pacer.tick(1600).events)).toEqual(["message.received"]);
  });

  it("lets everything through at once in real time", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.realTime = true;
    pacer.arrive([sent(1), received(1)], 0);
    expect(pacer.tick(0).events).toHaveLength(2);
  });

  it("hands over everything waiting when flushed", () => {
    const pacer = new Pacer(OPTIONS);
    pacer.arrive([sent(1), received(1)], 0);
    expect(pacer.flush()).toHaveLength(2);
    expect(pacer.behind).toBe(0);
  });
});

describe("the paced drawing's clock", () => {
  it("runs on from the last event shown at the wall clock's pace", () => {
    expect(pacedTime({ at: 10_000, wall: 500_000 }, 502_000, null)).toBe(12_000);
  });

  it("stops at the first event still waiting, so a countdown never runs past what the world did next", () => {
    // Received at 10 s with a 5 s visibility timeout; deleted at 11 s, still waiting its turn 8 s later.
    expect(pacedTime({ at: 10_000, wall: 500_000 }, 508_000, 11_000)).toBe(11_000);
  });
});
