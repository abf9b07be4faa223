import { describe, expect, it } from "vitest";
import { defaultAttributes } from "../../server/sqs/actions/queueAttributes.js";
import { lineOf } from "../../server/sqs/durable/records.js";
import type { EngineChange } from "../../server/sqs/model/changes.js";
import { SqsEngine } from "../../server/sqs/model/engine.js";
import { countingRandomness, FakeScheduler } from "./fakeScheduler.js";

// The journal lines of the most frequent changes are put together by hand (server/sqs/durable/
// records.ts) rather than by JSON.stringify of one object: they must read back exactly as that
// object's JSON would, names and values that need escaping included.
function journaled() {
  const changes: EngineChange[] = [];
  const lines: string[] = [];
  const engine = new SqsEngine({ region: "us-east-1", accountId: "000000000000", scheduler: new FakeScheduler(), random: countingRandomness() });
  engine.durability = {
    record: (change) => {
      changes.push(change);
      lines.push(lineOf(change));
    },
    committed: () => undefined,
  };
  return { engine, changes, lines };
}

describe("the embedded SQS's journal lines", () => {
  it("read back a send, a receive and a delete as the JSON of their fields, escapes and all", () => {
    const { engine, lines } = journaled();
    const queue = engine.createQueue('q"\\\u2028', defaultAttributes(false));
    const sent = queue.send({ body: 'a "body"\n\u2028', senderId: "000000000000", attributes: { 'n"': { DataType: "String", StringValue: "v\\" } } });
    const [received] = queue.receive({ max: 1, consumer: "test" });
    queue.delete(received!.receiptHandle!);
    const where = { region: "us-east-1", queue: 'q"\\\u2028' };
    const { version: _version, ...message } = sent;
    expect(lines.slice(1).map((line) => JSON.parse(line))).toEqual([
      { op: "message", ...where, message: { ...message, state: "visible", visibleAt: null, receiveCount: 0, firstReceivedAt: null, receiptHandle: null } },
      { op: "message-state", ...where, id: sent.id, state: "in-flight", visibleAt: received!.visibleAt, receiveCount: 1, firstReceivedAt: received!.firstReceivedAt, receiptHandle: received!.receiptHandle },
      { op: "message-gone", ...where, id: sent.id },
    ]);
    expect(lines.every((line) => line.endsWith("}\n") && !line.slice(0, -1).includes("\n"))).toBe(true);
  });

  it("carries a FIFO send's deduplication key", () => {
    const { engine, lines } = journaled();
    const queue = engine.createQueue("q.fifo", defaultAttributes(true));
    queue.send({ body: "b", senderId: "000000000000", groupId: "g", deduplicationId: 'd"1' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ op: "message", deduplicationKey: 'd"1' });
  });
});
