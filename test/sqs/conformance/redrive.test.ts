import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect } from "vitest";
import { rule, useConformance } from "./clients.js";

// aws-semantics.md §3: redrive (message move tasks) and the queues that use a dead-letter queue.
const world = useConformance();
const arnOf = async (QueueUrl: string) =>
  (await world.sdk.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
const bodiesIn = async (QueueUrl: string) =>
  ((await world.sdk.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? []).map((m) => m.Body).sort();

/** A source queue whose `bodies` were each received twice and so moved to its dead-letter queue. */
async function deadLettered(bodies: string[]): Promise<{ sourceUrl: string; dlqUrl: string; dlqArn: string }> {
  const dlqUrl = await world.queue({}, "dlq");
  const dlqArn = await arnOf(dlqUrl);
  const sourceUrl = await world.queue({ VisibilityTimeout: "0", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
  for (const MessageBody of bodies) await world.sdk.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody }));
  for (let round = 0; round < 2; round += 1) await world.sdk.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10 }));
  expect(world.engine.inspect(dlqUrl.split("/").pop()!)!.visible).toBe(bodies.length);
  return { sourceUrl, dlqUrl, dlqArn };
}

describe("§3 redrive", () => {
  rule("StartMessageMoveTask without a destination moves a dead-letter queue's messages back to their source queue", ["sdk"], async () => {
    const { sourceUrl, dlqArn } = await deadLettered(["a", "b"]);
    const { TaskHandle } = await world.sdk.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    expect(TaskHandle).toBeTruthy();
    expect(await bodiesIn(sourceUrl)).toEqual(["a", "b"]);
  });

  rule("StartMessageMoveTask moves to another queue at most MaxNumberOfMessagesPerSecond, and ListMessageMoveTasks reports its progress", ["sdk"], async () => {
    const { dlqArn } = await deadLettered(["a", "b", "c"]);
    const otherUrl = await world.queue({}, "other");
    const DestinationArn = await arnOf(otherUrl);
    await world.sdk.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn, MaxNumberOfMessagesPerSecond: 1 }));
    const progress = async () => {
      const [latest] = (await world.sdk.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results!;
      return [latest!.Status, latest!.ApproximateNumberOfMessagesMoved, latest!.DestinationArn, latest!.MaxNumberOfMessagesPerSecond];
    };
    expect(await progress()).toEqual(["RUNNING", 1, DestinationArn, 1]);
    world.advance(2_000);
    expect(await progress()).toEqual(["COMPLETED", 3, DestinationArn, 1]);
    expect(await bodiesIn(otherUrl)).toEqual(["a", "b", "c"]);
  });

  rule("CancelMessageMoveTask stops a running move task; the messages not yet moved stay in the dead-letter queue", ["sdk"], async () => {
    const { dlqUrl, dlqArn } = await deadLettered(["a", "b", "c"]);
    const { TaskHandle } = await world.sdk.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const cancelled = await world.sdk.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(1);
    world.advance(5_000);
    const { Results } = await world.sdk.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect([Results![0]!.Status, Results![0]!.ApproximateNumberOfMessagesMoved]).toEqual(["CANCELLED", 1]);
    expect(world.engine.inspect(dlqUrl.split("/").pop()!)!.visible).toBe(2);
  });

  rule("ListDeadLetterSourceQueues lists the queues whose redrive policy names a dead-letter queue", ["aws-cli"], async () => {
    const dlqUrl = await world.queue({}, "dlq");
    const deadLetterTargetArn = await arnOf(dlqUrl);
    const sources = [];
    for (let i = 0; i < 2; i += 1) sources.push(await world.queue({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 5 }) }));
    await world.queue();
    const listed = await world.aws("list-dead-letter-source-queues", "--queue-url", dlqUrl);
    expect((listed.json!.queueUrls as string[]).sort()).toEqual(sources.sort());
  });
});
