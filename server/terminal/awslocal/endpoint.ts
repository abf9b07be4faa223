import { isLoopbackHost } from "../access.js";
import type { Invocation } from "./args.js";

/** LocalStack's port: where awslocal has always looked by default. */
export const DEFAULT_ENDPOINT = "http://localhost:4566";

/**
 * Where to send the call: the flag, then the environment (as the aws CLI reads it), then the
 * origin of a localhost queue URL (so the original `--queue-url http://localhost:<port>/…` form
 * finds the SQS it names), then LocalStack's port.
 */
export function endpointFor({ values }: Invocation, env: Record<string, string | undefined>): string {
  const explicit = values["endpoint-url"] ?? env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL;
  if (explicit) return explicit;
  try {
    const queueUrl = new URL(values["queue-url"] ?? "");
    if (queueUrl.protocol === "http:" && isLoopbackHost(queueUrl.hostname)) return queueUrl.origin;
  } catch {
    // Not a URL: SQS itself will say so, at the default endpoint.
  }
  return DEFAULT_ENDPOINT;
}
