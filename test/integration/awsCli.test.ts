import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { isType, removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

const run = promisify(execFile);
// Debian's aws-cli 2.9 speaks SQS's query protocol (XML); newer CLIs speak JSON. .ci/run installs
// Debian's, so CI always runs this; elsewhere it runs with whichever CLI is there, or is skipped.
const cli = ["/usr/bin/aws", "/usr/local/bin/aws"].find((path) => existsSync(path));
if (!cli && process.env.CI) throw new Error("CI must have the aws CLI (apt-get install awscli)");

let playground: TestPlayground;
let queueUrl: string;
const aws = async (...args: string[]) => {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_EC2_METADATA_DISABLED: "true" };
  const { stdout } = await run(cli ?? "aws", ["--endpoint-url", `http://localhost:${new URL(queueUrl).port}`, "--output", "json", "sqs", ...args], { env });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
};

beforeAll(async () => {
  if (!cli) return;
  playground = await startTestPlayground({ TRIGGER_ENABLED: "false" });
  queueUrl = playground.queues.queueUrl;
});
afterAll(async () => {
  if (!cli) return;
  await playground.stop();
  await removeDataDir(playground.dataDir);
});

describe.skipIf(!cli)(`the aws CLI in a terminal (${cli ?? "not installed"})`, () => {
  it("finds the queue by name and gets the original URL back", async () => {
    expect(await aws("get-queue-url", "--queue-name", "interview-queue")).toEqual({ QueueUrl: queueUrl });
  });

  it("takes a task's message off the queue and hides it from the trigger: an other client received it", async () => {
    const task = (await (await playground.post("/tasks", { title: "stolen" })).json()) as Task;
    const result = (await aws("receive-message", "--queue-url", queueUrl, "--attribute-names", "All", "--visibility-timeout", "30")) as {
      Messages: { MessageId: string; Body: string; ReceiptHandle: string; Attributes: Record<string, string> }[];
    };
    expect(result.Messages).toHaveLength(1);
    expect(result.Messages[0]).toMatchObject({ MessageId: task.messageId, Body: JSON.stringify({ task_id: task.id, title: "stolen" }) });
    expect(result.Messages[0]?.Attributes.ApproximateReceiveCount).toBe("1");
    const received = await playground.waitForEvent(isType("message.received", (e) => e.messageId === task.messageId));
    expect(received.consumer).toBe("other-client");
    expect(playground.snapshot().queues[0]).toMatchObject({ visible: 0, inFlight: 1 });

    await aws("delete-message", "--queue-url", queueUrl, "--receipt-handle", result.Messages[0]?.ReceiptHandle ?? "");
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === task.messageId));
  });

  it("sends a message the playground sees as sent", async () => {
    const sent = (await aws("send-message", "--queue-url", queueUrl, "--message-body", "poison")) as { MessageId: string };
    const event = await playground.waitForEvent(isType("message.sent", (e) => e.messageId === sent.MessageId));
    expect(event).toMatchObject({ body: "poison", taskId: null, queue: "interview-queue" });
  });

  it("gets SQS's own error for a queue that does not exist", async () => {
    const failure = (await aws("send-message", "--queue-url", queueUrl.replace("interview-queue", "nope"), "--message-body", "x").catch((e: unknown) => e)) as { stderr: string };
    expect(failure.stderr).toMatch(/NonExistentQueue|QueueDoesNotExist/);
  });
});
