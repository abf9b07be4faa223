// The aws CLI's command line for the sqs operations awslocal knows. node:util parseArgs cannot
// read the CLI's lists (`--attribute-names A B`) or tell a value from the next flag the way the
// CLI does, so this is a small tokenizer over a table of flags.
import { readFileSync } from "node:fs";

/** A wrong command line; main prints it with the usage and exits 252, as the aws CLI does. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const PARAMETERS = {
  "queue-url": "string",
  "queue-name": "string",
  "queue-name-prefix": "string",
  "message-body": "string",
  "receipt-handle": "string",
  "attribute-names": "list",
  "message-attribute-names": "list",
  "max-number-of-messages": "int",
  "visibility-timeout": "int",
  "wait-time-seconds": "int",
  "delay-seconds": "int",
  "message-group-id": "string",
  "message-deduplication-id": "string",
  /** delete-message-batch's entries, in the CLI's JSON form (`[{"Id": "0", "ReceiptHandle": "…"}]`). */
  entries: "string",
  /** set-queue-attributes' attributes: the CLI's shorthand (`MessageRetentionPeriod=60`) or a JSON object of strings. */
  attributes: "string",
  "source-arn": "string",
  "destination-arn": "string",
  "max-number-of-messages-per-second": "int",
  "max-results": "int",
} as const;

const GLOBALS = { "endpoint-url": "string", region: "string", output: "string", "no-cli-pager": "flag" } as const;

type Kinds = typeof PARAMETERS & typeof GLOBALS;
type Kind = Kinds[keyof Kinds];
const KINDS: Record<string, Kind> = { ...PARAMETERS, ...GLOBALS };
type ValueOf<K> = K extends "list" ? string[] : K extends "int" ? number : K extends "flag" ? true : string;
export type Parameter = keyof typeof PARAMETERS;
export type Values = { [Name in keyof Kinds]?: ValueOf<Kinds[Name]> };

export const OPERATIONS = {
  // The FIFO queue (interview-queue.fifo) needs a group; its deduplication is content-based unless an id is given.
  "send-message": { required: ["queue-url", "message-body"], optional: ["delay-seconds", "message-group-id", "message-deduplication-id"] },
  "receive-message": {
    required: ["queue-url"],
    optional: ["attribute-names", "message-attribute-names", "max-number-of-messages", "visibility-timeout", "wait-time-seconds"],
  },
  "delete-message": { required: ["queue-url", "receipt-handle"], optional: [] },
  "change-message-visibility": { required: ["queue-url", "receipt-handle", "visibility-timeout"], optional: [] },
  "delete-message-batch": { required: ["queue-url", "entries"], optional: [] },
  "get-queue-attributes": { required: ["queue-url"], optional: ["attribute-names"] },
  "set-queue-attributes": { required: ["queue-url", "attributes"], optional: [] },
  "list-queues": { required: [], optional: ["queue-name-prefix"] },
  "purge-queue": { required: ["queue-url"], optional: [] },
  "get-queue-url": { required: ["queue-name"], optional: [] },
  // Redrive as AWS does it: a message move task from a dead-letter queue (to its source queue unless a destination is given).
  "start-message-move-task": { required: ["source-arn"], optional: ["destination-arn", "max-number-of-messages-per-second"] },
  "list-message-move-tasks": { required: ["source-arn"], optional: ["max-results"] },
} as const satisfies Record<string, { required: readonly Parameter[]; optional: readonly Parameter[] }>;

export type Operation = keyof typeof OPERATIONS;

export interface Invocation {
  operation: Operation;
  values: Values;
}

const isOperation = (name: string): name is Operation => Object.hasOwn(OPERATIONS, name);
const kindOf = (name: string): Kind | undefined => (Object.hasOwn(KINDS, name) ? KINDS[name] : undefined);

/** SendMessage for send-message: the name the aws CLI uses in its error messages. */
export const apiName = (operation: Operation): string => operation.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());

export const USAGE_LINE = "usage: awslocal [--endpoint-url URL] [--region REGION] [--output json] sqs <operation> [parameters]";

export function help(): string {
  const placeholder = (name: Parameter) => (PARAMETERS[name] === "list" ? `--${name} NAME …` : `--${name} ${PARAMETERS[name] === "int" ? "N" : "VALUE"}`);
  const lines = Object.entries(OPERATIONS).map(([operation, { required, optional }]) =>
    `  ${operation.padEnd(21)}${[...required.map(placeholder), ...optional.map((name) => `[${placeholder(name)}]`)].join(" ")}`,
  );
  return [
    USAGE_LINE,
    "",
    "The aws CLI's sqs commands, pointed at a local SQS: --endpoint-url, else AWS_ENDPOINT_URL,",
    "else the port of a localhost --queue-url, else http://localhost:4566.",
    "",
    "operations:",
    ...lines,
    "",
  ].join("\n");
}

/** The invocation `argv` asks for, or "help"; throws UsageError for anything the aws CLI would refuse. */
export function parseCommandLine(argv: readonly string[]): Invocation | "help" {
  const positionals: string[] = [];
  const unknown: string[] = [];
  const raw = new Map<string, string[] | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") return "help";
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const [name = "", inline] = splitOnce(arg.slice(2), "=");
    const kind = kindOf(name);
    if (!kind) {
      unknown.push(arg);
      continue;
    }
    if (kind === "flag") {
      raw.set(name, true);
      continue;
    }
    const taken: string[] = inline === undefined ? [] : [inline];
    // As the CLI does: a value is anything up to the next --flag; a list takes every one of them.
    const wanted = inline !== undefined ? 0 : kind === "list" ? Infinity : 1;
    for (let next = argv[i + 1]; taken.length < wanted && next !== undefined && !next.startsWith("--"); next = argv[i + 1]) {
      taken.push(next);
      i++;
    }
    if (taken.length === 0) throw new UsageError(`argument --${name}: expected ${kind === "list" ? "at least one argument" : "one argument"}`);
    raw.set(name, taken);
  }

  const [service, operation, ...extra] = positionals;
  if (service === "help" || (service === "sqs" && operation === "help")) return "help";
  if (service === undefined) throw new UsageError("the following arguments are required: command (try: awslocal sqs receive-message --queue-url …)");
  if (service !== "sqs") throw new UsageError(`argument command: Invalid choice: '${service}' (this awslocal speaks sqs only)`);
  if (operation === undefined || !isOperation(operation)) {
    throw new UsageError(`argument operation: Invalid choice${operation === undefined ? "" : ` '${operation}'`}, valid choices are: ${Object.keys(OPERATIONS).join(" | ")}`);
  }

  const spec: { required: readonly string[]; optional: readonly string[] } = OPERATIONS[operation];
  const allowed = new Set<string>([...spec.required, ...spec.optional, ...Object.keys(GLOBALS)]);
  unknown.push(...[...raw.keys()].filter((name) => !allowed.has(name)).map((name) => `--${name}`), ...extra);
  if (unknown.length > 0) throw new UsageError(`Unknown options: ${unknown.join(", ")}`);
  const missing = spec.required.filter((name) => !raw.has(name));
  if (missing.length > 0) throw new UsageError(`the following arguments are required: ${missing.map((name) => `--${name}`).join(", ")}`);

  const values: Record<string, unknown> = {};
  for (const [name, given] of raw) values[name] = given === true ? true : convert(name, kindOf(name), given);
  if (values.output !== undefined && values.output !== "json") throw new UsageError(`argument --output: '${String(values.output)}' is not supported: awslocal prints json only`);
  if (typeof values["endpoint-url"] === "string" && !/^https?:\/\/[^/]/.test(values["endpoint-url"])) {
    throw new UsageError(`Bad value for --endpoint-url "${values["endpoint-url"]}": scheme is missing. Must be of the form http://<hostname>/ or https://<hostname>/`);
  }
  return { operation, values: values as Values };
}

function convert(name: string, kind: Kind | undefined, given: string[]): string | number | string[] {
  if (kind === "list") return given;
  const value = given[0] ?? "";
  if (kind !== "int") return value.startsWith("file://") ? fileValue(name, value.slice("file://".length)) : value;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`argument --${name}: invalid int value: '${value}'`);
  return Number(value);
}

/**
 * As the aws CLI reads any string parameter given as `file://path`: the file's text, e.g. a message
 * body too long for one command-line argument (Linux allows 128 KiB; SQS takes 1 MiB).
 */
function fileValue(name: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`Error parsing parameter '--${name}': Unable to load paramfile file://${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
