import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody } from "../../common/events.js";
import { flowEventsOf } from "../../server/backends/sqsFlowEvents.js";
import type { SqsEvent, SqsEventBody } from "../../server/sqs/model/events.js";

// The engine's events as the playground's flow events: a pure mapping, fed engine events by hand.
function mapper(options: { quiet?: boolean; bodies?: Record<string, string> } = {}) {
  const published: FlowEventBody[] = [];
  const publish = (body: FlowEventBody) => (published.push(body), { ...body, seq: published.length, at: 0 }) as FlowEvent;
  const map = flowEventsOf(publish, (_queue, id) => options.bodies?.[id], () => options.quiet ?? false);
  return { published, map: (event: SqsEventBody) => map({ ...event, at: 1 } as SqsEvent) };
}
const TASK = '{"task_id":7,"title":"t"}';

describe("the engine's events as flow events", () => {
  it("announces a delayed send as message.sent followed by message.delayed", () => {
    const { published, map } = mapper();
    map({ type: "message.sent", queue: "q", messageId: "m", body: TASK, visibleAt: 5000 });
    expect(published.map((e) => e.type)).toEqual(["message.sent", "message.delayed"]);
    expect(published[1]).toMatchObject({ taskId: 7, visibleAt: 5000 });
  });

  it("labels a later receive with the task id read from the body at send time", () => {
    const { published, map } = mapper();
    map({ type: "message.sent", queue: "q", messageId: "m", body: TASK, visibleAt: null });
    map({ type: "message.received", queue: "q", messageId: "m", receiptHandle: "r", receiveCount: 1, visibleAt: 9, consumer: "lambda-trigger" });
    expect(published[1]).toMatchObject({ type: "message.received", taskId: 7, consumer: "lambda-trigger" });
  });

  it("carries a preview of a long body with its full length", () => {
    const { published, map } = mapper();
    map({ type: "message.sent", queue: "q", messageId: "m", body: "x".repeat(1000), visibleAt: null });
    expect(published[0]).toMatchObject({ bodyLength: 1000, truncated: true });
  });

  it("announces a redriven message as gone from the dead-letter queue and sent, under its new id, to its destination", () => {
    const { published, map } = mapper({ bodies: { n: TASK } });
    map({ type: "message.sent", queue: "q", messageId: "m", body: TASK, visibleAt: null });
    map({ type: "message.moved", queue: "q-dlq", destinationQueue: "q", messageId: "m", newMessageId: "n" });
    expect(published.slice(1)).toMatchObject([
      { type: "message.deleted", queue: "q-dlq", messageId: "m", taskId: 7 },
      { type: "message.sent", queue: "q", messageId: "n", taskId: 7, movedFrom: "q-dlq", body: TASK },
    ]);
  });

  it("announces a message whose retention period ended as message.expired, not as a consumer's delete", () => {
    const { published, map } = mapper();
    map({ type: "message.sent", queue: "q", messageId: "m", body: TASK, visibleAt: null });
    map({ type: "message.expired", queue: "q", messageId: "m", sentAt: 500, retentionSeconds: 60 });
    expect(published.slice(1)).toEqual([{ type: "message.expired", queue: "q", messageId: "m", taskId: 7, sentAt: 500, retentionSeconds: 60 }]);
  });

  it("says nothing of a purge made by resetting the world", () => {
    const { published, map } = mapper({ quiet: true });
    map({ type: "queue.purged", queue: "q", messageIds: ["a", "b"] });
    expect(published).toEqual([]);
  });

  it("announces each message a terminal's PurgeQueue removed as deleted, purged by that client", () => {
    const { published, map } = mapper();
    map({ type: "message.sent", queue: "q", messageId: "a", body: TASK, visibleAt: null });
    map({ type: "queue.purged", queue: "q", messageIds: ["a", "b"], consumer: "other-client" });
    expect(published.slice(1)).toEqual([
      { type: "message.deleted", queue: "q", messageId: "a", taskId: 7, purgedBy: "other-client" },
      { type: "message.deleted", queue: "q", messageId: "b", taskId: null, purgedBy: "other-client" },
    ]);
  });

  it("tells a consumer's DeleteMessage without a purger", () => {
    const { published, map } = mapper();
    map({ type: "message.deleted", queue: "q", messageId: "a" });
    expect(published).toEqual([{ type: "message.deleted", queue: "q", messageId: "a", taskId: null }]);
  });
});
