// The playground's Node.js runtime loop: what AWS's Node runtime does inside an execution
// environment, in a few lines. It loads the handler named by _HANDLER from LAMBDA_TASK_ROOT, then
// asks the Lambda Runtime API for an event, calls `handler(event, context)`, and posts the result
// or the error, forever. Plain JavaScript on purpose: it starts without a compiler, so a cold start
// costs one `node` process. Source: docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html,
// runtimes-custom.html, nodejs-context.html.
import { Agent, request } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const env = process.env;
const [host, port] = (env.AWS_LAMBDA_RUNTIME_API ?? "").split(":");
const BASE = "/2018-06-01/runtime";
// One kept-alive connection: a warm invoke costs no TCP handshake.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One call to the Runtime API: resolves with status, headers and body text. */
function call(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path: `${BASE}${path}`, agent, headers: { "content-type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Lambda's error shape: `{errorType, errorMessage, stackTrace: string[]}`. */
function errorPayload(error, fallbackType = "Error") {
  if (error instanceof Error) {
    const stack = typeof error.stack === "string" ? error.stack.split("\n").slice(1).map((line) => line.trim()) : [];
    return { errorType: error.name || error.constructor?.name || fallbackType, errorMessage: error.message, stackTrace: stack };
  }
  return { errorType: fallbackType, errorMessage: typeof error === "string" ? error : JSON.stringify(error) ?? String(error), stackTrace: [] };
}

/** Marks the end of an invocation's output on both streams, so the playground gives each line to the right invocation. */
function endOfOutput(requestId) {
  process.stdout.write(`\n\u001eqfp-end:${requestId}\n`);
  process.stderr.write(`\n\u001eqfp-end:${requestId}\n`);
}

/** Lambda-Runtime-Client-Context as the Node runtime gives it: parsed JSON, or undefined when absent or unreadable. */
function clientContextOf(header) {
  if (typeof header !== "string" || header === "") return undefined;
  try {
    return JSON.parse(header);
  } catch {
    return undefined;
  }
}

async function loadHandler() {
  const spec = env._HANDLER ?? "";
  const dot = spec.lastIndexOf(".");
  const file = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  let module;
  try {
    module = await import(pathToFileURL(join(env.LAMBDA_TASK_ROOT ?? ".", `${file}.js`)).href);
  } catch (error) {
    const payload = errorPayload(error, "Runtime.ImportModuleError");
    if (error instanceof SyntaxError) payload.errorType = "Runtime.UserCodeSyntaxError";
    throw payload;
  }
  const handler = module[name];
  if (typeof handler !== "function") {
    throw { errorType: "Runtime.HandlerNotFound", errorMessage: `${file}.${name} is undefined or not exported`, stackTrace: [] };
  }
  return handler;
}

let handler;
try {
  handler = await loadHandler();
} catch (payload) {
  const body = JSON.stringify(payload.errorType ? payload : errorPayload(payload, "Runtime.ImportModuleError"));
  await call("POST", "/init/error", body, { "lambda-runtime-function-error-type": payload.errorType ?? "Runtime.Unknown" });
  process.exit(1);
}

for (;;) {
  const next = await call("GET", "/invocation/next");
  const requestId = String(next.headers["lambda-runtime-aws-request-id"]);
  const deadline = Number(next.headers["lambda-runtime-deadline-ms"]);
  process.env._X_AMZN_TRACE_ID = String(next.headers["lambda-runtime-trace-id"] ?? "");
  const context = {
    awsRequestId: requestId,
    invokedFunctionArn: String(next.headers["lambda-runtime-invoked-function-arn"]),
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    clientContext: clientContextOf(next.headers["lambda-runtime-client-context"]),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let outcome;
  try {
    const result = await handler(JSON.parse(next.text), context);
    outcome = { path: `/invocation/${requestId}/response`, body: JSON.stringify(result ?? null) ?? "null", headers: {} };
  } catch (error) {
    const payload = errorPayload(error);
    outcome = { path: `/invocation/${requestId}/error`, body: JSON.stringify(payload), headers: { "lambda-runtime-function-error-type": payload.errorType } };
  }
  endOfOutput(requestId);
  await call("POST", outcome.path, outcome.body, outcome.headers);
}
