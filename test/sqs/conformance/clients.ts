import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, it } from "vitest";
import { startEmbeddedEngine, type EmbeddedEngine } from "../../../server/sqs/embedded.js";
import { FakeScheduler } from "../fakeScheduler.js";

/**
 * The clients of the §3 conformance tests, each against the real engine on a free port:
 * - `sdk`: the AWS SDK for JavaScript v3 (AWS JSON 1.0), in this process;
 * - `boto3("own" | "query", …)`: boto3 in a python3 child (boto3Driver.py), one per test file;
 *   "own" is the protocol that boto3 speaks by itself (JSON since botocore 1.31.x, query before:
 *   Debian 12's python3-boto3), "query" forces the query protocol;
 * - `aws(…)`: Debian's aws-cli 2.9 (/usr/bin/aws), which speaks the query protocol.
 * The engine runs on a FakeScheduler: tests move time with `advance(ms)`, whichever client made
 * the calls, so time rules need no waiting (the external clients only see the engine's answers).
 */

export const AWS_CLI = "/usr/bin/aws";
const DRIVER = fileURLToPath(new URL("./boto3Driver.py", import.meta.url));

/** The first python3 that has boto3: the one on PATH (pyenv, venv), else Debian's python3-boto3. */
function pythonWithBoto3(): string | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (spawnSync(python, ["-c", "import boto3"], { stdio: "ignore" }).status === 0) return python;
  }
  return undefined;
}

const python = pythonWithBoto3();
const protocols: { json: boolean; query: boolean; own?: "json" | "query" } = python
  ? (JSON.parse(spawnSync(python, [DRIVER, "--available"], { encoding: "utf8" }).stdout) as { json: boolean; query: boolean; own: "json" | "query" })
  : { json: false, query: false };

/** A client kind, as test names say it; "boto3" speaks its own protocol, "boto3 query" the query protocol. */
export type ClientKind = "sdk" | "boto3" | "boto3 query" | "aws-cli";

/** Why a client kind cannot run here, or undefined when it can. */
function absence(kind: ClientKind): string | undefined {
  if (kind === "sdk") return undefined;
  if (kind === "aws-cli") return existsSync(AWS_CLI) ? undefined : `${AWS_CLI} is not installed (apt-get install awscli)`;
  if (!python) return "no python3 with boto3 (apt-get install python3-boto3)";
  if (kind === "boto3" || protocols.query) return undefined;
  return "this boto3 speaks only JSON to SQS and there is no query model here (Debian's aws-cli ships one)";
}

// CI installs every client (.ci/run): there a missing one is a failure, not a skip.
const missingInCi = (["aws-cli", "boto3", "boto3 query"] as const).map(absence).filter((reason) => reason !== undefined);
if (process.env.CI && missingInCi.length > 0) throw new Error(`CI must have every SQS client: ${missingInCi.join("; ")}`);

const LABELS: Record<ClientKind, string> = {
  sdk: "SDK v3, JSON",
  boto3: `boto3, ${protocols.own === "query" ? "query" : "JSON"}`,
  "boto3 query": "boto3, query",
  "aws-cli": "aws-cli 2.9, query",
};

/**
 * One §3 rule's test: named `<rule> [<clients>]`, skipped (saying why in its name) only when a
 * client it needs is truly absent from this machine.
 */
export function rule(name: string, kinds: ClientKind[], test: () => Promise<void>): void {
  const missing = kinds.map(absence).filter((reason) => reason !== undefined);
  const title = `${name} [${kinds.map((kind) => LABELS[kind]).join(" + ")}]`;
  // An aws-cli run is a Python start-up (about a second, more on a busy machine); allow for several.
  const timeout = kinds.includes("aws-cli") ? 90_000 : undefined;
  if (missing.length > 0) it.skip(`${title} (skipped: ${missing.join("; ")})`, test);
  else it(title, test, timeout);
}

/** An SQS error as the tests compare it across clients. */
export interface ClientError {
  code: string;
  message: string;
}

/** What boto3 answered: the result, or the error botocore raised (`code` is botocore's Error.Code). */
export type Boto3Reply = { result: Record<string, unknown>; error?: undefined } | { error: ClientError & { status: number | null }; result?: undefined };

/** What the aws-cli printed and its exit status; `json` is stdout parsed when there was any. */
export interface AwsCliReply {
  status: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | undefined;
}

class Boto3Process {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (reply: Boto3Reply) => void>();
  private next = 0;

  constructor(command: string) {
    this.child = spawn(command, [DRIVER], { stdio: ["pipe", "pipe", "inherit"] });
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const reply = JSON.parse(line) as Boto3Reply & { id: number };
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    // A driver that dies (its stderr is the test's) fails the calls waiting on it at once.
    this.child.on("exit", (code) => {
      for (const resolve of this.pending.values()) resolve({ error: { code: "DriverExited", message: `boto3Driver.py exited with ${code}`, status: null } });
      this.pending.clear();
    });
  }

  call(request: Record<string, unknown>): Promise<Boto3Reply> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ ...request, id })}\n`);
    });
  }

  stop(): void {
    this.child.stdin!.end();
  }
}

/** The engine on a fake clock and the three kinds of client, for one test file. */
export function useConformance() {
  const state = {} as { engine: EmbeddedEngine; clock: FakeScheduler; sdk: SQSClient; boto3?: Boto3Process };
  let counter = 0;
  beforeAll(async () => {
    state.clock = new FakeScheduler(Date.now());
    state.engine = await startEmbeddedEngine({ host: "127.0.0.1", port: 0, region: "us-east-1", scheduler: state.clock });
    state.sdk = new SQSClient({
      endpoint: state.engine.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    state.boto3?.stop();
    state.sdk.destroy();
    await state.engine.stop();
  });

  return {
    get sdk() {
      return state.sdk;
    },
    get engine() {
      return state.engine;
    },
    /** Moves the engine's clock forward by `ms`, firing every deadline on the way. */
    advance(ms: number): void {
      state.clock.advance(ms);
    },
    /** Creates a queue `<prefix>-<n>` (`.fifo` added when FifoQueue is "true") with the SDK; returns its URL. */
    async queue(attributes: Record<string, string> = {}, prefix = "q"): Promise<string> {
      counter += 1;
      const name = `${prefix}-${counter}${attributes.FifoQueue === "true" ? ".fifo" : ""}`;
      return (await state.sdk.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
    },
    /** A fresh queue name, for tests that create the queue with another client. */
    name(prefix = "q"): string {
      counter += 1;
      return `${prefix}-${counter}`;
    },
    /** One boto3 call, e.g. `boto3("query", "SendMessage", { QueueUrl, MessageBody })`. */
    boto3(protocol: "own" | "query", operation: string, params: Record<string, unknown> = {}): Promise<Boto3Reply> {
      state.boto3 ??= new Boto3Process(python!);
      return state.boto3.call({ protocol, operation, params, endpoint: state.engine.endpoint });
    },
    /** `aws sqs <args…> --output json` against the engine; never throws on a non-zero exit. */
    aws(...args: string[]): Promise<AwsCliReply> {
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_PAGER: "",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      };
      const argv = ["--endpoint-url", state.engine.endpoint, "--output", "json", "sqs", ...args];
      return new Promise((resolve) => {
        execFile(AWS_CLI, argv, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          const status = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ status, stdout, stderr, json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined });
        });
      });
    },
  };
}

/** The error an SDK call failed with: its modelled name, the legacy query code (`Code`), message. */
export async function sdkFailure(call: Promise<unknown>): Promise<{ name: string; Code?: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; Code?: string; message: string };
  }
  throw new Error("expected the call to fail");
}

/** The error code an aws-cli run printed: "An error occurred (<code>) when calling …: <message>". */
export function awsCliError(reply: AwsCliReply): ClientError | undefined {
  const match = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)/.exec(reply.stderr);
  return match ? { code: match[1]!, message: match[2]!.trim() } : undefined;
}
