import { describe, expect, it } from "vitest";
import { defaultAttributes } from "../../server/sqs/actions/queueAttributes.js";
import { SqsEngine } from "../../server/sqs/model/engine.js";
import type { SqsEvent } from "../../server/sqs/model/events.js";
import { md5OfAttributes } from "../../server/sqs/model/md5.js";
import { countingRandomness, FakeScheduler } from "./fakeScheduler.js";

// The queue model alone, with time driven by hand: every deadline is checked to the millisecond.
function setup() {
  const clock = new FakeScheduler();
  const engine = new SqsEngine({ region: "us-east-1", accountId: "000000000000", scheduler: clock, random: countingRandomness() });
  const events: SqsEvent[] = [];
  engine.subscribe((event) => events.push(event));
  const standard = (name: string, attributes: Record<string, string> = {}) => engine.createQueue(name, { ...defaultAttributes(false), ...attributes });
  const fifo = (name: string, attributes: Record<string, string> = {}) => engine.createQueue(name, { ...defaultAttributes(true), ...attributes });
  return { clock, engine, events, standard, fifo, types: () => events.map((e) => e.type) };
}
const consumer = "test";
const send = (body: string) => ({ body, senderId: "test" });

describe("the queue model (fake clock)", () => {
  it("makes an in-flight message visible again at the moment its visibility timeout ends, without a receive", () => {
    const { clock, standard, events } = setup();
    const queue = standard("q", { VisibilityTimeout: "30" });
    queue.send(send("a"));
    queue.receive({ max: 1, consumer });
    clock.advance(29_999);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    clock.advance(1);
    expect(events.at(-1)).toMatchObject({ type: "message.visible-again", receiveCount: 1, at: clock.now() });
    expect(queue.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it("ends a message's delay at its moment and says so", () => {
    const { clock, standard, types } = setup();
    const queue = standard("q");
    queue.send({ ...send("a"), delaySeconds: 5 });
    expect(queue.counts().delayed).toBe(1);
    clock.advance(5_000);
    expect(types().at(-1)).toBe("message.delay-ended");
    expect(queue.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it("deletes a message when its retention period ends", () => {
    const { clock, standard, types } = setup();
    const queue = standard("q", { MessageRetentionPeriod: "60" });
    queue.send(send("a"));
    clock.advance(60_000);
    expect(types().at(-1)).toBe("message.expired");
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("still ends a visibility timeout when its timer fires a millisecond early, as Node's timers may against Date.now()", () => {
    /** Fires each moment's first timer 1 ms before it; a timer set again for the same moment fires on time. */
    class EarlyScheduler extends FakeScheduler {
      private readonly early = new Set<number>();
      override at(at: number, fire: () => void): () => void {
        if (this.early.has(at)) return super.at(at, fire);
        this.early.add(at);
        return super.at(at - 1, fire);
      }
    }
    const clock = new EarlyScheduler();
    const engine = new SqsEngine({ region: "us-east-1", accountId: "000000000000", scheduler: clock, random: countingRandomness() });
    const events: SqsEvent[] = [];
    engine.subscribe((event) => events.push(event));
    const queue = engine.createQueue("q", { ...defaultAttributes(false), VisibilityTimeout: "30" });
    queue.send(send("a"));
    queue.receive({ max: 1, consumer });
    clock.advance(30_000);
    expect(events.at(-1)).toMatchObject({ type: "message.visible-again", at: clock.now() });
  });

  it("keeps one timer per queue however many messages are in flight", () => {
    const { clock, standard } = setup();
    const queue = standard("q", { MessageRetentionPeriod: "60" });
    for (let i = 0; i < 50; i += 1) queue.send(send(`m${i}`));
    queue.receive({ max: 10, consumer });
    expect(clock.pending).toBe(1);
  });

  it("counts a receive on each delivery and records the first receive time", () => {
    const { clock, standard } = setup();
    const queue = standard("q", { VisibilityTimeout: "1" });
    queue.send(send("a"));
    const first = queue.receive({ max: 1, consumer })[0]!;
    clock.advance(1_000);
    const second = queue.receive({ max: 1, consumer })[0]!;
    expect(second.receiveCount).toBe(2);
    expect(second.firstReceivedAt).toBe(first.firstReceivedAt);
  });

  it("reports who received a message and until when it is hidden", () => {
    const { clock, standard, events } = setup();
    const queue = standard("q", { VisibilityTimeout: "10" });
    queue.send(send("a"));
    queue.receive({ max: 1, consumer: "lambda-trigger" });
    expect(events.at(-1)).toMatchObject({ type: "message.received", consumer: "lambda-trigger", visibleAt: clock.now() + 10_000 });
  });

  it("moves a message to the dead-letter queue once received maxReceiveCount times, keeping its SentTimestamp and receive count", () => {
    const { clock, engine, standard, events } = setup();
    const dlq = standard("dlq");
    const queue = standard("q", { VisibilityTimeout: "0", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    const sent = queue.send(send("poison"));
    clock.advance(1_000);
    queue.receive({ max: 1, consumer });
    queue.receive({ max: 1, consumer });
    expect(queue.receive({ max: 1, consumer })).toEqual([]);
    expect(events.find((e) => e.type === "message.dead-lettered")).toMatchObject({ queue: "q", deadLetterQueue: "dlq", receiveCount: 2 });
    const moved = engine.queue("dlq")!.messages()[0]!;
    expect(moved).toMatchObject({ id: sent.id, sentAt: sent.sentAt, receiveCount: 2, deadLetterSourceArn: queue.arn });
  });

  it("wakes a long poll as soon as a delayed message becomes visible", async () => {
    const { clock, standard } = setup();
    const queue = standard("q");
    const poll = queue.receiveWaiting({ max: 1, consumer }, 20);
    queue.send({ ...send("late"), delaySeconds: 3 });
    clock.advance(3_000);
    expect((await poll).map((m) => m.body)).toEqual(["late"]);
  });

  it("ends a long poll empty when its wait time runs out", async () => {
    const { clock, standard } = setup();
    const poll = standard("q").receiveWaiting({ max: 1, consumer }, 20);
    clock.advance(20_000);
    expect(await poll).toEqual([]);
  });

  it("refuses a second PurgeQueue within 60 seconds", () => {
    const { clock, standard } = setup();
    const queue = standard("q");
    queue.purge();
    clock.advance(59_999);
    expect(() => queue.purge()).toThrow(/Only one PurgeQueue operation on q is allowed every 60 seconds/);
    clock.advance(1);
    expect(() => queue.purge()).not.toThrow();
  });

  it("computes AWS's MD5 of message attributes", () => {
    // The value AWS returned for these attributes in LocalStack's recorded snapshot.
    expect(md5OfAttributes({ MyAttribute: { DataType: "String", StringValue: "foobar" } })).toBe("adb59cd4678ea5a855436b949cd07ab6");
  });
});

describe("the engine's event stream (fake clock)", () => {
  it("tells a message's life as it happens: sent, received, visibility changed, visible again, received, deleted", () => {
    const { clock, standard, types } = setup();
    const queue = standard("q", { VisibilityTimeout: "30" });
    queue.send(send("a"));
    const first = queue.receive({ max: 1, consumer })[0]!;
    queue.changeVisibility(first.receiptHandle!, 5);
    clock.advance(5_000);
    const second = queue.receive({ max: 1, consumer })[0]!;
    queue.delete(second.receiptHandle!);
    expect(types()).toEqual(["queue.created", "message.sent", "message.received", "message.visibility-changed", "message.visible-again", "message.received", "message.deleted"]);
  });

  it("names the messages a purge deleted", () => {
    const { standard, events } = setup();
    const queue = standard("q");
    const ids = [queue.send(send("a")).id, queue.send(send("b")).id];
    queue.purge();
    expect(events.at(-1)).toMatchObject({ type: "queue.purged", queue: "q", messageIds: ids });
  });

  it("names who called PurgeQueue, and no one when the engine emptied the queue itself", () => {
    const { standard, events } = setup();
    const queue = standard("q");
    queue.purge({ consumer: "other-client" });
    expect(events.at(-1)).toMatchObject({ type: "queue.purged", consumer: "other-client" });
    queue.purge({ force: true });
    expect(events.at(-1)).not.toHaveProperty("consumer");
  });

  it("reports a message move task's moves", () => {
    const { engine, standard, events } = setup();
    const dlq = standard("dlq");
    const source = standard("q", { VisibilityTimeout: "0", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    source.send(send("a"));
    source.receive({ max: 1, consumer });
    source.receive({ max: 1, consumer });
    engine.moveTasks.start(dlq, undefined, undefined, "task-1");
    expect(events.at(-1)).toMatchObject({ type: "message.moved", queue: "dlq", destinationQueue: "q" });
    expect(source.messages()[0]).toMatchObject({ body: "a", receiveCount: 0 });
  });
});

describe("FIFO queues in the model", () => {
  const fifoSend = (body: string, groupId: string) => ({ ...send(body), groupId, deduplicationId: body });

  it("delivers a group's messages in order and holds the rest back while the first is in flight", () => {
    const { fifo } = setup();
    const queue = fifo("q.fifo");
    for (const body of ["g1-a", "g1-b", "g2-a"]) queue.send(fifoSend(body, body.slice(0, 2)));
    expect(queue.receive({ max: 1, consumer }).map((m) => m.body)).toEqual(["g1-a"]);
    expect(queue.receive({ max: 10, consumer }).map((m) => m.body)).toEqual(["g2-a"]);
  });

  it("drops a message with a deduplication id seen in the last five minutes, and accepts it after", () => {
    const { clock, fifo } = setup();
    const queue = fifo("q.fifo");
    const first = queue.send(fifoSend("a", "g"));
    expect(queue.send(fifoSend("a", "g")).id).toBe(first.id);
    expect(queue.counts().visible).toBe(1);
    clock.advance(5 * 60_000);
    queue.send(fifoSend("a", "g"));
    expect(queue.counts().visible).toBe(2);
  });

  it("gives each message a larger SequenceNumber than the one before", () => {
    const { fifo } = setup();
    const queue = fifo("q.fifo");
    const a = queue.send(fifoSend("a", "g")).sequenceNumber!;
    const b = queue.send(fifoSend("b", "g")).sequenceNumber!;
    expect(a).toMatch(/^\d{20}$/);
    expect(BigInt(b)).toBeGreaterThan(BigInt(a));
  });
});
