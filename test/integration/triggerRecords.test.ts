// Records the trigger cannot expect: an attribute name SQS allows but JavaScript treats specially,
// and a record that cannot be built at all. Neither may end the process; each fails at most itself.
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { startTriggerHarness, type TriggerHarness } from "../helpers/triggerHarness.js";

let harness: TriggerHarness | undefined;
let sdk: SQSClient | undefined;
afterEach(async () => {
  sdk?.destroy();
  sdk = undefined;
  await harness?.stop();
  harness = undefined;
});

/** A harness whose handler keeps every event it is invoked with. */
async function recording() {
  const events: SQSEvent[] = [];
  harness = await startTriggerHarness({ handler: async (event) => void events.push(event) });
  harness.trigger.start();
  return { harness, events };
}

const received = (events: SQSEvent[], messageId: string) => events.flatMap((e) => e.Records).find((r) => r.messageId === messageId);
async function until<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("not within the time allowed");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a message attribute named __proto__ (SQS's name rules allow it)", () => {
  it("reaches the handler as a plain attribute when sent with the SDK (JSON protocol)", async () => {
    const { harness, events } = await recording();
    sdk = new SQSClient({ region: "us-east-1", endpoint: harness.sqs.endpoint, credentials: { accessKeyId: "t", secretAccessKey: "t" } });
    const { MessageId } = await sdk.send(
      new SendMessageCommand({ QueueUrl: harness.urls.queueUrl, MessageBody: "x", MessageAttributes: JSON.parse('{"__proto__": {"DataType": "String", "StringValue": "v"}, "b": {"DataType": "String", "StringValue": "w"}}') }),
    );
    const record = await until(() => received(events, MessageId ?? ""));
    expect(Object.getOwnPropertyNames(record.messageAttributes).sort()).toEqual(["__proto__", "b"]);
    expect(Object.getOwnPropertyDescriptor(record.messageAttributes, "__proto__")?.value).toEqual({ stringValue: "v", stringListValues: [], binaryListValues: [], dataType: "String" });
    expect(Object.getPrototypeOf(record.messageAttributes)).toBe(Object.prototype);
    expect(record.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reaches the handler when sent as an HTML form would (query protocol)", async () => {
    const { harness, events } = await recording();
    const params = new URLSearchParams({ Action: "SendMessage", QueueUrl: harness.urls.queueUrl, MessageBody: "y", "MessageAttribute.1.Name": "__proto__", "MessageAttribute.1.Value.DataType": "Binary", "MessageAttribute.1.Value.BinaryValue": "AQID" });
    const answer = await fetch(`${harness.sqs.endpoint}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: params });
    expect(answer.status).toBe(200);
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(await answer.text())?.[1] ?? "";
    const record = await until(() => received(events, messageId));
    expect(Object.getOwnPropertyDescriptor(record.messageAttributes, "__proto__")?.value).toEqual({ binaryValue: "AQID", stringListValues: [], binaryListValues: [], dataType: "Binary" });
  });
});

describe("a record that cannot be built", () => {
  it("fails alone (its batch's other records are handled) and the process lives on (a receive result doctored to throw, since no real message can)", async () => {
    const events: SQSEvent[] = [];
    const errors: unknown[] = [];
    harness = await startTriggerHarness({ handler: async (event) => void events.push(event), onError: (error) => void errors.push(error), visibilityTimeoutSeconds: 1, settings: { BatchSize: 10, MaximumBatchingWindowInSeconds: 0 } });
    const consumer = (harness.trigger as unknown as { options: { queue: { receive: (...args: unknown[]) => Promise<Record<string, unknown>[]> } } }).options.queue;
    const receive = consumer.receive.bind(consumer);
    let doctored: string | undefined;
    consumer.receive = async (...args) => {
      const messages = await receive(...args);
      const first = messages[0];
      if (!doctored && first) {
        doctored = String(first.MessageId);
        Object.defineProperty(first, "MessageAttributes", { get: () => { throw new Error("unreadable attributes"); } });
      }
      return messages;
    };
    const sent = await harness.send("first", "second", "third");
    harness.trigger.start();

    const bad = await until(() => doctored);
    const good = sent.filter((id) => id !== bad);
    for (const id of good) await until(() => received(events, id));
    const invoked = harness.events.recent().filter((e): e is Extract<FlowEvent, { type: "lambda.invoked" }> => e.type === "lambda.invoked");
    // The batch the bad record was received with went on without it.
    expect(invoked[0]?.messageIds.length).toBeGreaterThan(0);
    expect(invoked[0]?.messageIds).not.toContain(bad);
    expect(String((errors[0] as Error | undefined)?.message)).toMatch(/could not be built/);
    // Left out, never deleted: it comes back once its visibility timeout has run out, and is handled then.
    await until(() => received(events, bad));
  });
});
