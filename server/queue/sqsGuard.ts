// What stands in front of the embedded SQS engine: who may call the port (Host and Origin, as the
// API checks them). A plain function of a request's headers, handed to the engine's server as its
// `refuse` hook, so the engine itself knows nothing of the playground's names.
import type { HostRule } from "../security/hostRule.js";
import { SqsError } from "../sqs/errors.js";

const accessDenied = (message: string) => new SqsError("AccessDenied", message, 403);

export interface PortRules {
  /** The SQS port's own names: loopback names with its port, and PUBLIC_HOST's name. */
  hosts: HostRule;
  /** Whether an Origin is the playground's own page (the API's rule). */
  pageOrigin: (origin: string) => boolean;
}

type Headers = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Who may use the SQS port: a client that names it (Host: loopback or PUBLIC_HOST, with the SQS
 * port) and, when a browser says which page sent the request, the playground's own page. SDKs and
 * CLIs send no Origin; a web page on another site always does for a POST, and a DNS-rebinding
 * page still sends its own name as Host. A browser's `Sec-Fetch-Site: cross-site` (sent even on
 * a plain navigation, which carries no Origin) is refused too. Returns undefined when allowed;
 * the error is AWS's 403 AccessDenied.
 */
export function foreignCaller(headers: Headers, rules: PortRules): SqsError | undefined {
  const host = one(headers.host);
  if (!rules.hosts.allowsHost(host)) {
    return accessDenied(`Access to the resource is denied: the Host header ${JSON.stringify(host ?? "")} does not name this SQS endpoint; use http://localhost:${rules.hosts.port}`);
  }
  const origin = one(headers.origin);
  if (origin !== undefined && !rules.pageOrigin(origin)) {
    return accessDenied(`Access to the resource is denied: requests from the page at ${JSON.stringify(origin)} are refused; SDKs and CLIs (which send no Origin) and the playground's own page may use this SQS endpoint`);
  }
  if (origin === undefined && one(headers["sec-fetch-site"]) === "cross-site") {
    return accessDenied("Access to the resource is denied: a request from a page on another site is refused");
  }
  return undefined;
}
