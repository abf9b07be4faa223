// awslocal's entry point (run by bin/awslocal): like server/main.ts, the only place of this
// command that reads the environment. It prints what the aws CLI prints and exits as it does:
// 0, 252 for a wrong command line, 254 for an error from SQS, 255 when SQS cannot be reached.
import { SQSClient } from "@aws-sdk/client-sqs";
import { keepProtoNamedAttributes } from "../../queue/protoNamedAttributes.js";
import { apiName, help, parseCommandLine, USAGE_LINE, UsageError, type Invocation } from "./args.js";
import { endpointFor } from "./endpoint.js";
import { perform } from "./operations.js";

const EXIT_USAGE = 252;
const EXIT_SERVICE_ERROR = 254;
const EXIT_OTHER_ERROR = 255;

type Env = Record<string, string | undefined>;

/** The aws CLI's own wording for a failed call. */
function describeFailure(error: unknown, invocation: Invocation, endpoint: string): { text: string; exitCode: number } {
  const raw = error as { $fault?: unknown; Code?: unknown; name?: unknown; code?: unknown; message?: unknown };
  if (raw.$fault !== undefined) {
    // Code keeps SQS's query-protocol name (AWS.SimpleQueueService.NonExistentQueue), which the CLI prints.
    const code = typeof raw.Code === "string" ? raw.Code : String(raw.name);
    return { text: `\nAn error occurred (${code}) when calling the ${apiName(invocation.operation)} operation: ${String(raw.message)}\n`, exitCode: EXIT_SERVICE_ERROR };
  }
  if (typeof raw.code === "string" && /^E[A-Z]+$/.test(raw.code)) {
    return { text: `\nCould not connect to the endpoint URL: "${new URL(endpoint).href}"\n`, exitCode: EXIT_OTHER_ERROR };
  }
  return { text: `\n${error instanceof Error ? error.message : String(error)}\n`, exitCode: EXIT_OTHER_ERROR };
}

function usageFailure(error: UsageError): number {
  process.stderr.write(`${USAGE_LINE}\nTo see the operations and their parameters: awslocal help\n\nawslocal: error: ${error.message}\n`);
  return EXIT_USAGE;
}

async function main(argv: readonly string[], env: Env): Promise<number> {
  let invocation: Invocation | "help";
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageFailure(error);
  }
  if (invocation === "help") {
    process.stdout.write(help());
    return 0;
  }

  const endpoint = endpointFor(invocation, env);
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  const client = new SQSClient({
    endpoint,
    region: invocation.values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    // A local SQS accepts any key; LocalStack's convention is test/test.
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : { accessKeyId: "test", secretAccessKey: "test" },
  });
  // A message attribute named __proto__ would otherwise reach `perform` without its value.
  keepProtoNamedAttributes(client);
  try {
    const output = await perform(client, invocation);
    if (output) process.stdout.write(`${JSON.stringify(output, null, 4)}\n`);
    return 0;
  } catch (error) {
    // A value read only when the call is built (--entries, --attributes) is still the command line's fault.
    if (error instanceof UsageError) return usageFailure(error);
    const failure = describeFailure(error, invocation, endpoint);
    process.stderr.write(failure.text);
    return failure.exitCode;
  } finally {
    client.destroy();
  }
}

// On Node 20 the SDK prints a multi-line notice on every run; a command's output must stay exact.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`awslocal failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_OTHER_ERROR;
  },
);
