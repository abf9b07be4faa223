import { z } from "zod";
import { AWS_PREFIX } from "./backends/names.js";
import { isLoopbackHost } from "./terminal/access.js";

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/**
 * Every setting, its environment variable and its default, in one schema (README has the table).
 * Read from the environment only in server/main.ts; everything else receives a Config.
 */
export const configSchema = z.object({
  PORT: port.default(8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  SQS_PORT: port.default(4566),
  DATA_DIR: z.string().min(1).default("./data"),
  /**
   * When the embedded SQS's reply waits for its journal: `reply` (fsync before the reply: an
   * acknowledged change survives a power cut) or `background` (the write before the reply, the
   * fsync just after: survives kill -9, and a power cut loses at most the last few milliseconds).
   */
  SQS_FSYNC: z.enum(["reply", "background"]).default("reply"),
  LESSONS_DIR: z.string().min(1).default("./lessons"),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_ENDPOINT_URL_SQS: z.url().optional(),
  PLAYGROUND_MODE: z.enum(["embedded", "localstack", "aws"]).optional(),
  QUEUE_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, "letters, digits, - and _, at most 80").default("interview-queue"),
  DLQ_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, "letters, digits, - and _, at most 80").default("interview-queue-dlq"),
  VISIBILITY_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(43200).default(5),
  MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000).default(3),
  HANDLER_WORK_MS: z.coerce.number().int().min(0).max(900_000).default(5),
  FUNCTION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(900).default(3),
  /**
   * Where the lesson's function (version 0) runs in embedded mode: `in-process` (the default, for
   * now: bench/README.md "The lesson's function out of process" gives the figures that keep it) or
   * `runtime`, in execution environments behind the Lambda Runtime API like a deployed version.
   */
  LESSON_FUNCTION: z.enum(["in-process", "runtime"]).default("runtime"),
  BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(10),
  BATCHING_WINDOW_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  MAXIMUM_CONCURRENCY: z.coerce.number().int().min(2).max(1000).optional(),
  REPORT_BATCH_ITEM_FAILURES: flag.default(true),
  TRIGGER_SCALING_SPEED: z.coerce.number().min(0.01).max(1000).default(1),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  EVENT_LOG_SIZE: z.coerce.number().int().min(100).max(1_000_000).default(5000),
  /** Pages (Socket.IO connections) at once: each may hold a snapshot of up to 1 MiB while it is sent. */
  MAX_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(100),
  TRIGGER_ENABLED: flag.default(true),
  /** LocalStack/AWS: the URL the deployed function uses to reach this playground's internal routes. */
  PLAYGROUND_INTERNAL_URL: z.url().optional(),
  /** AWS: the execution role of the function (README: how to create it). LocalStack accepts any. */
  LAMBDA_ROLE_ARN: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "an IAM role ARN like arn:aws:iam::123456789012:role/name").optional(),
  // Security (README "Security"): binding beyond loopback is a classroom, on purpose only.
  CLASSROOM: flag.default(false),
  /**
   * In a container whose port is published only on the host's loopback (docker-compose.yml):
   * HOST=0.0.0.0 is then how the host reaches it, not a classroom. The terminal stays off.
   */
  CONTAINER: flag.default(false),
  PRESENTER_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, "16 to 128 letters, digits, - and _").optional(),
  PUBLIC_HOST: z.string().regex(/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/, "a host name or address, optionally with :port").optional(),
});

export type EnvConfig = z.infer<typeof configSchema>;
export type Mode = "embedded" | "localstack" | "aws";

export interface Config extends EnvConfig {
  mode: Mode;
  version: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parse settings; a bad value stops start-up with a message naming the variable. */
export function parseConfig(env: Record<string, string | undefined>, version: string): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const parsed = result.data;
  if (!isLoopbackHost(parsed.HOST) && !parsed.CLASSROOM && !parsed.CONTAINER) {
    throw new ConfigError(
      `HOST=${JSON.stringify(parsed.HOST)} would let other machines reach the playground; set CLASSROOM=true as well to do that on purpose (control actions then need the presenter token, and the terminal is off), or leave HOST at 127.0.0.1`,
    );
  }
  const external = parsed.AWS_ENDPOINT_URL_SQS ?? parsed.AWS_ENDPOINT_URL;
  const mode: Mode = parsed.PLAYGROUND_MODE ?? (external ? "localstack" : "embedded");
  if (mode === "localstack" && !external) {
    throw new ConfigError("PLAYGROUND_MODE=localstack needs AWS_ENDPOINT_URL (e.g. http://localhost:4566, or http://localstack:4566 inside docker compose)");
  }
  if (mode === "aws") return awsConfig(parsed, env, version);
  return { ...parsed, mode, version };
}

/**
 * What start-up must say about who can reach the playground: a classroom is reachable from other
 * machines on purpose; a container (CONTAINER=true) bound beyond loopback takes control actions
 * with no token at all, which is safe only while its port is published on the host's loopback.
 * @returns one line per warning, without the "warning: " prefix
 */
export function exposureWarnings(config: Pick<Config, "HOST" | "CLASSROOM" | "CONTAINER">): string[] {
  const warnings: string[] = [];
  if (config.CLASSROOM) {
    warnings.push(`classroom mode: bound to ${config.HOST}, so other machines can open the playground and follow it read-only; control actions need the presenter token, and the terminal is off`);
  } else if (config.CONTAINER && !isLoopbackHost(config.HOST)) {
    warnings.push(
      `CONTAINER=true: bound to ${config.HOST} with no presenter token, so anyone who reaches this port can change the playground (faults, reset, tasks); publish it on the host's 127.0.0.1 only, as docker-compose.yml does, or use CLASSROOM=true instead`,
    );
  }
  return warnings;
}

/**
 * Real AWS costs money and touches a real account, so it is never reached by accident: only an
 * explicit PLAYGROUND_MODE=aws with a region and credentials named in the environment. Every
 * resource gets the playground's prefix, and `npm run teardown` removes only prefixed ones.
 */
function awsConfig(parsed: EnvConfig, env: Record<string, string | undefined>, version: string): Config {
  const missing: string[] = [];
  if (!env.AWS_REGION) missing.push("AWS_REGION (the region to create the queues and the function in)");
  const credentials = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI"];
  if (!credentials.some((name) => env[name])) missing.push(`credentials (one of ${credentials.join(", ")})`);
  if (!parsed.LAMBDA_ROLE_ARN) missing.push("LAMBDA_ROLE_ARN (the function's execution role; README: AWS mode)");
  if (!parsed.PLAYGROUND_INTERNAL_URL) missing.push("PLAYGROUND_INTERNAL_URL (a public https URL that reaches this playground, for the function)");
  if (parsed.AWS_ENDPOINT_URL || parsed.AWS_ENDPOINT_URL_SQS) missing.push("no AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SQS (they point at an emulator, not AWS)");
  if (missing.length) throw new ConfigError(`PLAYGROUND_MODE=aws needs:\n${missing.map((m) => `  ${m}`).join("\n")}`);
  const prefixed = (name: string) => (name.startsWith(AWS_PREFIX) ? name : `${AWS_PREFIX}${name}`);
  return { ...parsed, QUEUE_NAME: prefixed(parsed.QUEUE_NAME), DLQ_NAME: prefixed(parsed.DLQ_NAME), mode: "aws", version };
}
