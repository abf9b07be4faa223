import { z } from "zod";
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
  BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(10),
  BATCHING_WINDOW_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  MAXIMUM_CONCURRENCY: z.coerce.number().int().min(2).max(1000).optional(),
  REPORT_BATCH_ITEM_FAILURES: flag.default(true),
  TRIGGER_SCALING_SPEED: z.coerce.number().min(0.01).max(1000).default(1),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  EVENT_LOG_SIZE: z.coerce.number().int().min(100).max(1_000_000).default(5000),
  TRIGGER_ENABLED: flag.default(true),
  // Security (README "Security"): binding beyond loopback is a classroom, on purpose only.
  CLASSROOM: flag.default(false),
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
  if (!isLoopbackHost(parsed.HOST) && !parsed.CLASSROOM) {
    throw new ConfigError(
      `HOST=${JSON.stringify(parsed.HOST)} would let other machines reach the playground; set CLASSROOM=true as well to do that on purpose (control actions then need the presenter token, and the terminal is off), or leave HOST at 127.0.0.1`,
    );
  }
  const external = parsed.AWS_ENDPOINT_URL_SQS ?? parsed.AWS_ENDPOINT_URL;
  const mode: Mode = parsed.PLAYGROUND_MODE ?? (external ? "localstack" : "embedded");
  return { ...parsed, mode, version };
}
