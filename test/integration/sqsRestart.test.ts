import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postTask, waitUntilAllCompleted } from "../helpers/burst.js";
import { serversPerTest, type ServerProcess } from "../helpers/process.js";

// The embedded SQS keeps its queues in DATA_DIR (server/sqs/durable/): the real playground process
// is stopped (SIGTERM) or killed (kill -9) and started again on the same folder, and what the real
// SDK was told it had sent is still there.
const servers = serversPerTest();

interface Sqs {
  client: SQSClient;
  endpoint: string;
  /** Every message of a queue, visible or not, listed without receiving (the developer endpoint). */
  list(queueUrl: string): Promise<{ MessageId: string; Body: string; Attributes: Record<string, string> }[]>;
}

/** The SDK pointed at the SQS endpoint this process printed (SQS_PORT=0: a new port each start). */
function sqsOf(server: ServerProcess): Sqs {
  const queueUrl = /queue\s+(http:\/\/\S+)/.exec(server.output())?.[1];
  if (!queueUrl) throw new Error(`no queue URL printed:\n${server.output()}`);
  const endpoint = new URL(queueUrl).origin;
  const client = new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
  const list = async (url: string) => {
    const query = new URLSearchParams({ QueueUrl: url, ShowInvisible: "true", ShowDelayed: "true" });
    const reply = (await (await fetch(`${endpoint}/_aws/sqs/messages?${query}`, { headers: { accept: "application/json" } })).json()) as { Messages: [] };
    return reply.Messages;
  };
  return { client, endpoint, list };
}

/** A queue of the test's own (the trigger never reads it) with a dead-letter queue after `maxReceiveCount` receives. */
async function makeQueues(sqs: Sqs, maxReceiveCount: number) {
  const { QueueUrl: deadLetterUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: "kept-dlq" }));
  const { Attributes } = await sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ["QueueArn"] }));
  const redrive = JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount });
  const { QueueUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: "kept", Attributes: { VisibilityTimeout: "30", RedrivePolicy: redrive } }));
  return { queueUrl: QueueUrl!, deadLetterUrl: deadLetterUrl! };
}

const urlOn = (sqs: Sqs, queueUrl: string) => `${sqs.endpoint}${new URL(queueUrl).pathname}`;
const ids = (messages: { MessageId?: string }[]) => messages.map((m) => m.MessageId!).sort();

// Each test starts and kills real server processes, which take seconds each on a loaded machine.
describe("the embedded SQS across a restart of the playground", { timeout: 120_000 }, () => {
  it("keeps queued and in-flight messages, receive counts, the dead-letter queue and the tasks' messages after SIGTERM", async () => {
    const first = await servers.start({ TRIGGER_ENABLED: "false" });
    const sqs = sqsOf(first);
    const { queueUrl, deadLetterUrl } = await makeQueues(sqs, 1);
    const sent: string[] = [];
    for (let i = 0; i < 20; i += 1) sent.push((await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `message ${i}` }))).MessageId!);
    // The oldest is received once and let go; the next receive moves it to the dead-letter queue
    // (maxReceiveCount 1) and takes the two after it in flight for 30 s.
    await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0 }));
    const { Messages: inFlight = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 2 }));
    expect(ids(inFlight)).toEqual([sent[1], sent[2]].sort());
    const tasks = [];
    for (let i = 0; i < 5; i += 1) tasks.push((await (await postTask(first.url, `kept ${i}`)).json()) as { id: number; messageId: string });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const second = await servers.start({ HANDLER_WORK_MS: "0" });
    const again = sqsOf(second);
    const listed = await again.list(urlOn(again, queueUrl));
    expect(ids(listed)).toEqual(sent.slice(1).sort());
    expect(ids(listed.filter((m) => m.Attributes.IsVisible === "false" && m.Attributes.ApproximateReceiveCount === "1"))).toEqual(ids(inFlight));
    const dead = await again.list(urlOn(again, deadLetterUrl));
    expect(dead.map((m) => [m.MessageId, m.Body, m.Attributes.ApproximateReceiveCount])).toEqual([[sent[0], "message 0", "1"]]);
    // The tasks complete from the messages kept, none sent again.
    const completed = await waitUntilAllCompleted(second.url);
    expect(completed.map((t) => [t.id, t.messageId])).toEqual(tasks.map((t) => [t.id, t.messageId]));
    expect(second.output()).not.toMatch(/re-sent/);
  });

  it("makes an in-flight message visible again once its visibility timeout ends after a kill -9, its receive count kept", async () => {
    const first = await servers.start({ TRIGGER_ENABLED: "false" });
    const sqs = sqsOf(first);
    const { queueUrl } = await makeQueues(sqs, 5);
    await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "in flight" }));
    const { Messages = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 3 }));
    expect(Messages).toHaveLength(1);
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await servers.start({ TRIGGER_ENABLED: "false" });
    const again = sqsOf(second);
    const url = urlOn(again, queueUrl);
    // Whether it is still hidden at this moment depends on how long the restart took (the unit test
    // test/sqs/durable.test.ts checks that to the millisecond); here: it comes back, counted.
    const { Messages: back = [] } = await again.client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
    expect(back.map((m) => [m.MessageId, m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([[Messages[0]!.MessageId, "in flight", "2"]]);
  });

  it.each(["reply", "background"])("loses no acknowledged message and no accepted task when killed (kill -9) in the middle of a burst (SQS_FSYNC=%s)", async (fsync) => {
    const first = await servers.start({ HANDLER_WORK_MS: "40", MAXIMUM_CONCURRENCY: "2", BATCH_SIZE: "2", SQS_FSYNC: fsync });
    const sqs = sqsOf(first);
    const { queueUrl } = await makeQueues(sqs, 5);
    const acknowledged: string[] = [];
    const accepted: number[] = [];
    let n = 0;
    const sender = async () => {
      for (;;) {
        try {
          const { MessageId } = await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `burst ${n++}` }));
          acknowledged.push(MessageId!);
        } catch {
          return;
        }
        if (acknowledged.length === 300) first.child.kill("SIGKILL");
      }
    };
    const poster = async () => {
      for (;;) {
        try {
          const response = await postTask(first.url, `burst task ${n++}`);
          if (response.status === 201 || response.status === 202) accepted.push(((await response.json()) as { id: number }).id);
        } catch {
          return;
        }
      }
    };
    await Promise.all([...Array.from({ length: 12 }, sender), ...Array.from({ length: 4 }, poster)]);
    await first.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const second = await servers.start({ HANDLER_WORK_MS: "0" });
    const again = sqsOf(second);
    const listed = new Set((await again.list(urlOn(again, queueUrl))).map((m) => m.MessageId));
    expect(acknowledged.filter((id) => !listed.has(id))).toEqual([]);
    const tasks = await waitUntilAllCompleted(second.url);
    expect(tasks.map((t) => t.id)).toEqual(expect.arrayContaining(accepted));
  });

  it("refuses to start on an SQS journal line that is not one of its own, naming the file, the line and the copy it kept", async () => {
    const first = await servers.start({ TRIGGER_ENABLED: "false" });
    first.child.kill("SIGKILL");
    await first.exited;
    const journal = join(servers.dataDir, "sqs.journal.jsonl");
    await appendFile(journal, `{"op":"message","region":"us-east-1","queue":"interview-queue"}\n{}\n`);
    await expect(servers.start({})).rejects.toThrow(/exited with 1[\s\S]*sqs\.journal\.jsonl line \d+ is not a journal entry \(message: expected an object\)[\s\S]*sqs\.journal\.jsonl\.corrupt-/);
  });
});
