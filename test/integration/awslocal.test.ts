import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const AWSLOCAL = join(ROOT, "bin", "awslocal");
const cli = ["/usr/bin/aws", "/usr/local/bin/aws"].find((path) => existsSync(path));
if (!cli && process.env.CI) throw new Error("CI must have the aws CLI (apt-get install awscli)");

const playgrounds = playgroundPerTest();
// Messages stay on the queue for the commands to see: no trigger takes them.
const start = () => playgrounds.start({ TRIGGER_ENABLED: "false" });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command as a real process, from a directory other than the project's, without any AWS setting of the test's own. */
function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = { ...process.env, AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_SQS: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
  return new Promise((resolve) => {
    execFile(file, args, { cwd: "/", env: { ...clean, AWS_PAGER: "", ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const endpointOf = (playground: TestPlayground) => playground.backend.sqsEndpoint;
const awslocal = (playground: TestPlayground, ...args: string[]) => run(AWSLOCAL, ["sqs", ...args, "--endpoint-url", endpointOf(playground)]);
const json = (result: Run) => JSON.parse(result.stdout) as Record<string, unknown>;
const md5 = (text: string) => createHash("md5").update(text).digest("hex");

interface CliMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
}

// Each test runs awslocal several times, a Node process each: on a loaded machine (the whole suite
// on two cores) a test took longer than the default 30 s.
describe("awslocal, as a real process against the playground's SQS", { timeout: 90_000 }, () => {
  it("prints get-queue-url's answer as the aws CLI's indented JSON", async () => {
    const playground = await start();
    const result = await awslocal(playground, "get-queue-url", "--queue-name", "interview-queue");
    expect(result).toEqual({ code: 0, stdout: `{\n    "QueueUrl": "${playground.queues.queueUrl}"\n}\n`, stderr: "" });
  });

  it("sends a message, printing the body's MD5 and the message id that the playground sees sent", async () => {
    const playground = await start();
    const result = await awslocal(playground, "send-message", "--queue-url", playground.queues.queueUrl, "--message-body", "héllo \"world\"");
    const sent = json(result);
    expect(Object.keys(sent)).toEqual(["MD5OfMessageBody", "MessageId"]);
    expect(sent.MD5OfMessageBody).toBe(md5("héllo \"world\""));
    await playground.waitForEvent(isType("message.sent", (e) => e.messageId === sent.MessageId && e.body === "héllo \"world\""));
  });

  it("sends to the FIFO queue with --message-group-id, printing the message's SequenceNumber", async () => {
    const playground = await start();
    const result = await awslocal(playground, "send-message", "--queue-url", playground.backend.fifo.queues.queueUrl, "--message-body", "in a group", "--message-group-id", "customer-1");
    const sent = json(result);
    expect(Object.keys(sent)).toEqual(["MD5OfMessageBody", "MessageId", "SequenceNumber"]);
    await playground.waitForEvent(isType("message.sent", (e) => e.messageId === sent.MessageId && e.groupId === "customer-1"));
  });

  it("receives a task's message with its system attributes, and the playground names an other client", async () => {
    const playground = await start();
    const task = (await (await playground.post("/tasks", { title: "peeked" })).json()) as Task;
    const result = await awslocal(playground, "receive-message", "--queue-url", playground.queues.queueUrl, "--attribute-names", "All", "--visibility-timeout", "30");
    const [message, ...others] = json(result).Messages as CliMessage[];
    expect(others).toEqual([]);
    expect(Object.keys(message ?? {})).toEqual(["MessageId", "ReceiptHandle", "MD5OfBody", "Body", "Attributes"]);
    expect(message).toMatchObject({ MessageId: task.messageId, Body: JSON.stringify({ task_id: task.id, title: "peeked" }) });
    expect(message?.Attributes?.ApproximateReceiveCount).toBe("1");
    const received = await playground.waitForEvent(isType("message.received", (e) => e.messageId === task.messageId));
    expect(received.consumer).toBe("other-client");
  });

  it("sets queue attributes in the shorthand form, printing nothing, as the aws CLI does", async () => {
    const playground = await start();
    expect(await awslocal(playground, "set-queue-attributes", "--queue-url", playground.queues.queueUrl, "--attributes", "VisibilityTimeout=18,DelaySeconds=1")).toEqual({ code: 0, stdout: "", stderr: "" });
    const { Attributes } = json(await awslocal(playground, "get-queue-attributes", "--queue-url", playground.queues.queueUrl, "--attribute-names", "VisibilityTimeout", "DelaySeconds")) as { Attributes: Record<string, string> };
    expect(Attributes).toEqual({ VisibilityTimeout: "18", DelaySeconds: "1" });
  });

  it("removes a queue's redrive policy given as an empty value in the JSON form", async () => {
    const playground = await start();
    expect((await awslocal(playground, "set-queue-attributes", "--queue-url", playground.queues.queueUrl, "--attributes", '{"RedrivePolicy": ""}')).code).toBe(0);
    const { Attributes } = json(await awslocal(playground, "get-queue-attributes", "--queue-url", playground.queues.queueUrl, "--attribute-names", "All")) as { Attributes: Record<string, string> };
    expect(Attributes.RedrivePolicy).toBeUndefined();
  });

  it("refuses --attributes that are neither Name=value pairs nor a JSON object, with exit code 252", async () => {
    const playground = await start();
    const result = await awslocal(playground, "set-queue-attributes", "--queue-url", playground.queues.queueUrl, "--attributes", "VisibilityTimeout");
    expect(result.code).toBe(252);
    expect(result.stderr).toContain("argument --attributes");
  });

  it("prints nothing for receive-message on an empty queue, as the aws CLI does", async () => {
    const playground = await start();
    expect(await awslocal(playground, "receive-message", "--queue-url", playground.queues.queueUrl, "--wait-time-seconds", "0")).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("prints a message attribute named __proto__ (SQS allows the name) with its value", async () => {
    const playground = await start();
    const body = `{"QueueUrl": "${playground.queues.queueUrl}", "MessageBody": "b", "MessageAttributes": {"__proto__": {"DataType": "String", "StringValue": "v"}}}`;
    await fetch(`${endpointOf(playground)}/`, { method: "POST", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" }, body });
    const result = await awslocal(playground, "receive-message", "--queue-url", playground.queues.queueUrl, "--message-attribute-names", "All");
    expect(result.code).toBe(0);
    const [message] = (json(result).Messages ?? []) as { MessageAttributes: Record<string, unknown> }[];
    expect(Object.getOwnPropertyDescriptor(message?.MessageAttributes, "__proto__")?.value).toEqual({ StringValue: "v", DataType: "String" });
  });

  it("deletes a received message, printing nothing", async () => {
    const playground = await start();
    const { MessageId } = json(await awslocal(playground, "send-message", "--queue-url", playground.queues.queueUrl, "--message-body", "done with"));
    const [message] = json(await awslocal(playground, "receive-message", "--queue-url", playground.queues.queueUrl)).Messages as CliMessage[];
    const result = await awslocal(playground, "delete-message", "--queue-url", playground.queues.queueUrl, "--receipt-handle", message?.ReceiptHandle ?? "");
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    await playground.waitForEvent(isType("message.deleted", (e) => e.messageId === MessageId));
  });

  it("changes a received message's visibility timeout, printing nothing; the message stays in flight for the new timeout", async () => {
    const playground = await start();
    await awslocal(playground, "send-message", "--queue-url", playground.queues.queueUrl, "--message-body", "hold on");
    const [message] = json(await awslocal(playground, "receive-message", "--queue-url", playground.queues.queueUrl)).Messages as CliMessage[];
    const result = await awslocal(playground, "change-message-visibility", "--queue-url", playground.queues.queueUrl, "--receipt-handle", message?.ReceiptHandle ?? "", "--visibility-timeout", "60");
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    const [queue] = (await (await playground.get("/api/queues")).json()) as { messages: { visibleAt: number | null }[] }[];
    expect(queue?.messages[0]?.visibleAt).toBeGreaterThan(Date.now() + 50_000);
  });

  it("reads a parameter given as file://path from that file, as the aws CLI does (a body longer than one argument may be)", async () => {
    const playground = await start();
    const file = join(await mkdtemp(join(tmpdir(), "qfp-body-")), "body.txt");
    await writeFile(file, "x".repeat(200_000));
    const sent = json(await awslocal(playground, "send-message", "--queue-url", playground.queues.queueUrl, "--message-body", `file://${file}`));
    expect(sent.MD5OfMessageBody).toBe(md5("x".repeat(200_000)));
    const missing = await awslocal(playground, "send-message", "--queue-url", playground.queues.queueUrl, "--message-body", "file:///no/such/body.txt");
    expect(missing.code).toBe(252);
    expect(missing.stderr).toMatch(/Unable to load paramfile file:\/\/\/no\/such\/body\.txt/);
  });

  it("deletes a batch with entries in JSON, printing the successful entries; SQS refuses entry ids that are not distinct", async () => {
    const playground = await start();
    const queue = ["--queue-url", playground.queues.queueUrl];
    await awslocal(playground, "send-message", ...queue, "--message-body", "twice");
    const receive = async () => ((json(await awslocal(playground, "receive-message", ...queue, "--visibility-timeout", "0")).Messages as CliMessage[])[0] as CliMessage);
    const [first, second] = [await receive(), await receive()];
    const entries = (ids: [string, string]) => JSON.stringify([first, second].map((m, i) => ({ Id: ids[i], ReceiptHandle: m.ReceiptHandle })));
    const refused = await awslocal(playground, "delete-message-batch", ...queue, "--entries", entries([first.MessageId, first.MessageId]));
    expect(refused.code).toBe(254);
    expect(refused.stderr).toMatch(/BatchEntryIdsNotDistinct/);
    const deleted = await awslocal(playground, "delete-message-batch", ...queue, "--entries", entries(["0", "1"]));
    expect(json(deleted)).toEqual({ Successful: [{ Id: "0" }, { Id: "1" }] });
  });

  it("prints the queue attributes asked for", async () => {
    const playground = await start();
    const result = await awslocal(playground, "get-queue-attributes", "--queue-url", playground.queues.queueUrl, "--attribute-names", "VisibilityTimeout", "QueueArn");
    expect(json(result)).toEqual({ Attributes: { VisibilityTimeout: "5", QueueArn: playground.queues.queueArn } });
  });

  it("sets queue attributes from the CLI's shorthand and from JSON, printing nothing", async () => {
    const playground = await start();
    const url = playground.queues.deadLetterQueueUrl;
    expect(await awslocal(playground, "set-queue-attributes", "--queue-url", url, "--attributes", "MessageRetentionPeriod=60,DelaySeconds=1")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(json(await awslocal(playground, "get-queue-attributes", "--queue-url", url, "--attribute-names", "MessageRetentionPeriod", "DelaySeconds"))).toEqual({ Attributes: { MessageRetentionPeriod: "60", DelaySeconds: "1" } });
    await awslocal(playground, "set-queue-attributes", "--queue-url", url, "--attributes", '{"MessageRetentionPeriod": "1209600"}');
    expect(json(await awslocal(playground, "get-queue-attributes", "--queue-url", url, "--attribute-names", "MessageRetentionPeriod"))).toEqual({ Attributes: { MessageRetentionPeriod: "1209600" } });
  });

  it("redrives the dead-letter queue with start-message-move-task and lists the task it started, completed", async () => {
    const playground = await start();
    const { queues } = playground;
    // Receive a message until SQS moves it (maxReceiveCount 3), then move it back.
    await awslocal(playground, "send-message", "--queue-url", queues.queueUrl, "--message-body", "poison");
    for (let i = 0; i < 4; i++) await awslocal(playground, "receive-message", "--queue-url", queues.queueUrl, "--visibility-timeout", "0");
    await playground.waitForEvent(isType("message.dead-lettered"));
    const started = json(await awslocal(playground, "start-message-move-task", "--source-arn", queues.deadLetterQueueArn));
    expect(started.TaskHandle).toEqual(expect.any(String));
    await playground.waitForEvent(isType("message.sent", (e) => e.queue === "interview-queue" && e.body === "poison" && e.seq > 0 && playground.events.recent().some((d) => d.type === "message.dead-lettered" && d.seq < e.seq)));
    const listed = json(await awslocal(playground, "list-message-move-tasks", "--source-arn", queues.deadLetterQueueArn)).Results as Record<string, unknown>[];
    // A finished task is listed without its handle: AWS gives TaskHandle only while a task is RUNNING.
    expect(listed[0]).toMatchObject({ Status: "COMPLETED", SourceArn: queues.deadLetterQueueArn, ApproximateNumberOfMessagesMoved: 1 });
  });

  it("lists the queues whose names start with a prefix", async () => {
    const playground = await start();
    const all = json(await awslocal(playground, "list-queues")).QueueUrls as string[];
    const { fifo } = playground.backend;
    expect([...all].sort()).toEqual([playground.queues.queueUrl, playground.queues.deadLetterQueueUrl, fifo.queues.queueUrl, fifo.queues.deadLetterQueueUrl].sort());
    const dlqs = json(await awslocal(playground, "list-queues", "--queue-name-prefix", "interview-queue-d")).QueueUrls as string[];
    expect([...dlqs].sort()).toEqual([playground.queues.deadLetterQueueUrl, fifo.queues.deadLetterQueueUrl].sort());
  });

  it("purges the queue, printing nothing", async () => {
    const playground = await start();
    for (const body of ["one", "two"]) await awslocal(playground, "send-message", "--queue-url", playground.queues.queueUrl, "--message-body", body);
    expect(await awslocal(playground, "purge-queue", "--queue-url", playground.queues.queueUrl)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(playground.snapshot().queues[0]).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it("runs the original command: the endpoint comes from the localhost queue URL", async () => {
    const playground = await start();
    const task = (await (await playground.post("/tasks", { title: "original" })).json()) as Task;
    const queueUrl = `${playground.backend.sqsEndpoint}/000000000000/interview-queue`;
    const result = await run(AWSLOCAL, ["sqs", "receive-message", "--queue-url", queueUrl]);
    expect((json(result).Messages as CliMessage[])[0]?.MessageId).toBe(task.messageId);
  });

  it("takes the endpoint from AWS_ENDPOINT_URL, as the terminal sets it", async () => {
    const playground = await start();
    const result = await run(AWSLOCAL, ["sqs", "get-queue-url", "--queue-name", "interview-queue-dlq"], { AWS_ENDPOINT_URL: endpointOf(playground) });
    expect(json(result)).toEqual({ QueueUrl: playground.queues.deadLetterQueueUrl });
  });

  it("prints SQS's error the aws CLI's way on stderr and exits 254", async () => {
    const playground = await start();
    expect(await awslocal(playground, "get-queue-url", "--queue-name", "nope")).toEqual({
      code: 254,
      stdout: "",
      stderr: "\nAn error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.\n",
    });
  });

  it("says it could not connect, as the aws CLI does, when nothing listens", async () => {
    const result = await run(AWSLOCAL, ["sqs", "list-queues", "--endpoint-url", "http://127.0.0.1:1"]);
    expect(result).toEqual({ code: 255, stdout: "", stderr: '\nCould not connect to the endpoint URL: "http://127.0.0.1:1/"\n' });
  });

  it.each([
    ["an unknown operation", ["sqs", "frobnicate"]],
    ["an unknown flag", ["sqs", "list-queues", "--bogus", "1"]],
    ["a missing required flag", ["sqs", "send-message", "--queue-url", "http://localhost:4566/000000000000/interview-queue"]],
  ])("shows its usage and exits 252 for %s", async (_name, args) => {
    const result = await run(AWSLOCAL, args);
    expect(result.code).toBe(252);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^usage: awslocal .*\n[\s\S]*\nawslocal: error: .+\n$/);
  });
});

describe.skipIf(!cli)(`awslocal next to the aws CLI (${cli ?? "not installed"})`, () => {
  const aws = (playground: TestPlayground, ...args: string[]) =>
    run(cli ?? "aws", ["--endpoint-url", endpointOf(playground), "--output", "json", "sqs", ...args], { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" });

  it("prints get-queue-url byte for byte as the aws CLI does", async () => {
    const playground = await start();
    const args = ["get-queue-url", "--queue-name", "interview-queue"];
    expect(await awslocal(playground, ...args)).toEqual(await aws(playground, ...args));
  });

  it("prints send-message with the aws CLI's keys, in its order, and the same MD5", async () => {
    const playground = await start();
    const args = ["send-message", "--queue-url", playground.queues.queueUrl, "--message-body", "same body"];
    const [ours, theirs] = [json(await awslocal(playground, ...args)), json(await aws(playground, ...args))];
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    expect(ours.MD5OfMessageBody).toBe(theirs.MD5OfMessageBody);
  });

  it("prints receive-message's messages with the aws CLI's keys and attributes", async () => {
    const playground = await start();
    for (const body of ["first", "second"]) await awslocal(playground, "send-message", "--queue-url", playground.queues.queueUrl, "--message-body", body);
    const args = ["receive-message", "--queue-url", playground.queues.queueUrl, "--attribute-names", "All", "--visibility-timeout", "30"];
    const [ours] = json(await awslocal(playground, ...args)).Messages as CliMessage[];
    const [theirs] = json(await aws(playground, ...args)).Messages as CliMessage[];
    expect(Object.keys(ours ?? {})).toEqual(Object.keys(theirs ?? {}));
    expect(Object.keys(ours?.Attributes ?? {}).sort()).toEqual(Object.keys(theirs?.Attributes ?? {}).sort());
  });
});
