import { describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { RedrivePolicies } from "../../client/src/redrivePolicies.js";
import { narrationLine } from "../../client/src/stepWords.js";

const base = "http://localhost:4566/000000000000";
const urls = { queueUrl: `${base}/interview-queue`, deadLetterQueueUrl: `${base}/interview-queue-dlq`, fifoQueueUrl: `${base}/interview-queue.fifo`, fifoDeadLetterQueueUrl: `${base}/interview-queue-dlq.fifo` };
const visibleAgain = (queue: string, receiveCount: number) =>
  ({ type: "message.visible-again", queue, messageId: "m1", taskId: null, receiveCount, seq: 1, at: 0 }) as unknown as FlowEvent;

describe("each queue's redrive policy on the page", () => {
  it("keeps the FIFO queue's apart from the standard queue's, and a dead-letter queue's messages count against their source's", () => {
    const policies = new RedrivePolicies();
    policies.know(urls, 3, null);
    expect(policies.of("interview-queue")).toBe(3);
    expect(policies.of("interview-queue-dlq")).toBe(3);
    expect(policies.of("interview-queue.fifo")).toBeNull();
    policies.apply({ type: "queue.redrive-policy", queue: "interview-queue.fifo", maxReceiveCount: 5, seq: 2, at: 0 });
    expect(policies.of("interview-queue-dlq.fifo")).toBe(5);
    expect(policies.of("interview-queue")).toBe(3);
  });

  it("never tells of a next receive that moves a message to a dead-letter queue its queue does not have (lab 2)", () => {
    const policies = new RedrivePolicies();
    policies.know(urls, 3, null);
    const line = narrationLine(visibleAgain("interview-queue.fifo", 44), policies.of("interview-queue.fifo"));
    expect(line).not.toContain("dead-letter");
    expect(line).toContain("waiting for receive 45");
  });
});
