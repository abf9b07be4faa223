import { appendFile, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultAttributes } from "../../server/sqs/actions/queueAttributes.js";
import { SQS_JOURNAL_FILE, SQS_STATE_FILE, SqsDisk } from "../../server/sqs/durable/sqsDisk.js";
import { SqsEngine } from "../../server/sqs/model/engine.js";
import { startSqsServer } from "../../server/sqs/server.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";
import { countingRandomness, FakeScheduler } from "./fakeScheduler.js";

// The engine's durability in DATA_DIR (server/sqs/durable/), on the queue model with a clock moved
// by hand: an engine is "stopped" (close: journal folded into sqs.jsonl) or "killed" (dropped with
// its journal as the last fsync left it), and a new one is opened on the same folder, later.
let dataDir = "";
beforeEach(async () => {
  dataDir = await makeDataDir();
});
afterEach(async () => {
  await removeDataDir(dataDir);
});

const T0 = 1_700_000_000_000;
const consumer = "test";

async function open(at = T0, fsync: "reply" | "background" = "reply") {
  const clock = new FakeScheduler(at);
  const engine = new SqsEngine({ region: "us-east-1", accountId: "000000000000", scheduler: clock, random: countingRandomness() });
  const disk = await SqsDisk.open(dataDir, engine, { now: at, log: () => {}, fsync });
  const standard = (name: string, attributes: Record<string, string> = {}) => engine.createQueue(name, { ...defaultAttributes(false), ...attributes });
  const fifo = (name: string, attributes: Record<string, string> = {}) => engine.createQueue(name, { ...defaultAttributes(true), ...attributes });
  /** As kill -9 leaves it: whatever was acknowledged is on disk, nothing is folded in. */
  const kill = async () => {
    await engine.durability?.committed();
    engine.close();
  };
  const stop = async () => {
    engine.close();
    await disk.close();
  };
  return { clock, engine, disk, standard, fifo, kill, stop };
}

describe("the embedded SQS across a restart", () => {
  it("brings back queues with their attributes, redrive policy and tags", async () => {
    const first = await open();
    const dlq = first.standard("dlq");
    const queue = first.standard("q", { VisibilityTimeout: "7", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    queue.tag({ team: "learners" });
    await first.stop();
    const second = await open(T0 + 1000);
    const restored = second.engine.queue("q")!;
    expect(restored.attributes).toMatchObject({ VisibilityTimeout: "7", RedrivePolicy: queue.attributes.RedrivePolicy });
    expect({ ...restored.tags }).toEqual({ team: "learners" });
    expect(restored.createdAt).toBe(T0);
    expect(second.engine.list().map((q) => q.name)).toEqual(["dlq", "q"]);
    await second.stop();
  });

  it("brings back every acknowledged message after a kill, with body, attributes, sent time and receive count", async () => {
    const first = await open();
    const queue = first.standard("q", { VisibilityTimeout: "10" });
    const sent = queue.send({ body: "héllo\r\n", attributes: { colour: { DataType: "String", StringValue: "blue" } }, senderId: "000000000000" });
    queue.send({ body: "second", senderId: "000000000000" });
    queue.receive({ max: 1, consumer });
    first.clock.advance(10_000);
    queue.receive({ max: 1, consumer });
    await first.kill();
    const second = await open(T0 + 10_500);
    const [message, other] = second.engine.queue("q")!.messages();
    expect(message).toMatchObject({ id: sent.id, body: "héllo\r\n", md5OfBody: sent.md5OfBody, attributes: sent.attributes, sentAt: T0, receiveCount: 2, firstReceivedAt: T0, state: "in-flight" });
    expect(other).toMatchObject({ body: "second", receiveCount: 0, state: "visible" });
    await second.stop();
  });

  it("keeps an in-flight message hidden until its visibility timeout ends, then makes it visible again", async () => {
    const first = await open();
    const queue = first.standard("q", { VisibilityTimeout: "30" });
    queue.send({ body: "a", senderId: "s" });
    queue.receive({ max: 1, consumer });
    await first.kill();
    const second = await open(T0 + 5000);
    const restored = second.engine.queue("q")!;
    expect(restored.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    second.clock.advance(24_999);
    expect(restored.counts().inFlight).toBe(1);
    second.clock.advance(1);
    expect(restored.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(restored.receive({ max: 1, consumer })[0]?.receiveCount).toBe(2);
    await second.stop();
  });

  it("makes a message visible at once when its visibility timeout ran out while the engine was down", async () => {
    const first = await open();
    const queue = first.standard("q", { VisibilityTimeout: "5" });
    queue.send({ body: "a", senderId: "s" });
    queue.receive({ max: 1, consumer });
    await first.kill();
    const second = await open(T0 + 60_000);
    expect(second.engine.queue("q")!.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    await second.stop();
  });

  it("lets the latest receipt handle of a message still in flight delete it after the restart", async () => {
    const first = await open();
    const queue = first.standard("q", { VisibilityTimeout: "30" });
    queue.send({ body: "a", senderId: "s" });
    const [received] = queue.receive({ max: 1, consumer });
    await first.kill();
    const second = await open(T0 + 1000);
    second.engine.queue("q")!.delete(received!.receiptHandle!);
    expect(second.engine.queue("q")!.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await second.stop();
  });

  it("keeps the dead-letter queue's messages with their receive count and source queue", async () => {
    const first = await open();
    const dlq = first.standard("dlq");
    const queue = first.standard("q", { VisibilityTimeout: "0", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    const sent = queue.send({ body: "poison", senderId: "s" });
    queue.receive({ max: 1, consumer });
    first.clock.advance(1);
    expect(queue.receive({ max: 1, consumer })).toEqual([]);
    await first.kill();
    const second = await open(T0 + 1000);
    expect(second.engine.queue("q")!.messages()).toEqual([]);
    expect(second.engine.queue("dlq")!.messages()).toEqual([expect.objectContaining({ id: sent.id, receiveCount: 1, deadLetterSourceArn: queue.arn })]);
    await second.stop();
  });

  it("keeps a FIFO queue's order, deduplication ids and growing sequence numbers", async () => {
    const first = await open();
    const queue = first.fifo("f.fifo");
    const a = queue.send({ body: "a", groupId: "g", deduplicationId: "d1", senderId: "s" });
    queue.send({ body: "b", groupId: "g", deduplicationId: "d2", senderId: "s" });
    await first.kill();
    const second = await open(T0 + 1000);
    const restored = second.engine.queue("f.fifo")!;
    expect(restored.send({ body: "again", groupId: "g", deduplicationId: "d1", senderId: "s" }).id).toBe(a.id);
    const c = restored.send({ body: "c", groupId: "g", deduplicationId: "d3", senderId: "s" });
    expect(BigInt(c.sequenceNumber!)).toBeGreaterThan(BigInt(a.sequenceNumber!) + 1n);
    expect(restored.receive({ max: 10, consumer }).map((m) => m.body)).toEqual(["a", "b", "c"]);
    await second.stop();
  });

  it("keeps deletes, purges and deleted queues", async () => {
    const first = await open();
    const queue = first.standard("q", { VisibilityTimeout: "30" });
    queue.send({ body: "a", senderId: "s" });
    const [received] = queue.receive({ max: 1, consumer });
    queue.delete(received!.receiptHandle!);
    const purged = first.standard("p");
    purged.send({ body: "b", senderId: "s" });
    purged.purge();
    first.standard("gone").send({ body: "c", senderId: "s" });
    first.engine.deleteQueue("gone");
    await first.kill();
    const second = await open(T0 + 1000);
    expect(second.engine.list().map((q) => [q.name, q.messages().length])).toEqual([
      ["q", 0],
      ["p", 0],
    ]);
    expect(() => second.engine.queue("p")!.purge()).toThrow(/Only one PurgeQueue/);
    await second.stop();
  });

  it("with the fsync in the background, still has every change written before its reply when killed", async () => {
    const first = await open(T0, "background");
    const queue = first.standard("q");
    for (let i = 0; i < 50; i += 1) {
      queue.send({ body: `m${i}`, senderId: "s" });
      if (i % 7 === 0) await first.engine.durability?.committed();
    }
    await first.kill();
    const second = await open(T0 + 1000);
    expect(second.engine.queue("q")!.messages()).toHaveLength(50);
    await second.stop();
  });

  it("drops a torn last journal line, which was never acknowledged", async () => {
    const first = await open();
    first.standard("q").send({ body: "kept", senderId: "s" });
    await first.kill();
    await appendFile(join(dataDir, SQS_JOURNAL_FILE), `{"op":"message","region":"us-east-1","queue":"q","message":{"id":"torn","bo`);
    const second = await open(T0 + 1000);
    expect(second.engine.queue("q")!.messages().map((m) => m.body)).toEqual(["kept"]);
    await second.stop();
  });

  it("refuses to start on a journal line that is not one of its own, naming the file and line", async () => {
    const first = await open();
    first.standard("q").send({ body: "kept", senderId: "s" });
    await first.kill();
    const journal = join(dataDir, SQS_JOURNAL_FILE);
    await appendFile(journal, `{"op":"message"}\n{"op":"purged","region":"us-east-1","queue":"q","at":null}\n`);
    await expect(open(T0 + 1000)).rejects.toThrow(/sqs\.journal\.jsonl line 3 is not a journal entry[\s\S]*sqs\.journal\.jsonl\.corrupt-/);
  });

  it("folds the journal into sqs.jsonl at a stop, so the next start reads one file", async () => {
    const first = await open();
    first.standard("q").send({ body: "a", senderId: "s" });
    await first.stop();
    expect(existsSync(join(dataDir, SQS_JOURNAL_FILE))).toBe(false);
    const lines = (await readFile(join(dataDir, SQS_STATE_FILE), "utf8")).trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { op: string }).op)).toEqual(["queue", "message"]);
  });

  it("ends in the same state when a crash in a compaction leaves lines the state file already holds", async () => {
    const first = await open();
    const queue = first.standard("q", { VisibilityTimeout: "30" });
    queue.send({ body: "a", senderId: "s" });
    queue.send({ body: "b", senderId: "s" });
    const [received] = queue.receive({ max: 1, consumer });
    queue.delete(received!.receiptHandle!);
    queue.send({ body: "c", senderId: "s" });
    await first.kill();
    const lines = await readFile(join(dataDir, SQS_JOURNAL_FILE), "utf8");
    // The stop writes sqs.jsonl from these lines; put them back as a compaction's moved-aside lines.
    await first.disk.close();
    await writeFile(join(dataDir, "sqs.journal.compacting.jsonl"), lines);
    const second = await open(T0 + 1000);
    expect(second.engine.queue("q")!.messages().map((m) => [m.body, m.state, m.receiveCount])).toEqual([
      ["b", "visible", 0],
      ["c", "visible", 0],
    ]);
    await second.stop();
  });
});

describe("the embedded SQS's replies", () => {
  it("answer only once the changes they acknowledge are on disk (a stub Durability stands in for the disk)", async () => {
    const engine = new SqsEngine({ region: "us-east-1", accountId: "000000000000" });
    const order: string[] = [];
    let release: () => void = () => {};
    const onDisk = new Promise<void>((resolve) => (release = resolve));
    let recorded: () => void = () => {};
    const changed = new Promise<void>((resolve) => (recorded = resolve));
    engine.durability = {
      record: () => {
        order.push("recorded");
        recorded();
      },
      committed: () => onDisk,
    };
    const server = await startSqsServer({ engine, host: "127.0.0.1", port: 0 });
    try {
      const reply = fetch(server.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.CreateQueue" },
        body: JSON.stringify({ QueueName: "q" }),
      }).then((response) => order.push(`answered ${response.status}`));
      // Once the change is made, the server has a moment in which a reply not waiting for the disk would arrive.
      await changed;
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push("on disk");
      release();
      await reply;
      expect(order).toEqual(["recorded", "on disk", "answered 200"]);
    } finally {
      await server.close();
    }
  });
});
