import { spawn } from "node:child_process";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { FUNCTION_ENV } from "../../common/internalApi.js";
import { HANDLER_BUNDLE } from "../../server/backends/handlerBundle.js";

// What a Lambda runtime does with our zip, in a fresh Node process: import index.mjs and call
// `handler(event, context)` once. The event arrives on stdin; the result leaves on stdout.
const RUNTIME = `
import { pathToFileURL } from "node:url";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { event, timeoutMs } = JSON.parse(Buffer.concat(chunks).toString());
const deadline = Date.now() + timeoutMs;
const context = {
  awsRequestId: crypto.randomUUID(), functionName: "process-task", functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:process-task", memoryLimitInMB: "128",
  logGroupName: "/aws/lambda/process-task", logStreamName: "test", callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done() {}, fail() {}, succeed() {},
};
const { handler } = await import(pathToFileURL(process.argv[1]).href);
try {
  process.stdout.write(JSON.stringify({ ok: true, result: await handler(event, context) }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error?.message ?? error) }));
}
`;

export type BundleOutcome = { ok: true; result: SQSBatchResponse } | { ok: false; error: string };

/** Run the built handler bundle in a separate process, as the Lambda runtime would, pointed at a playground. */
export function invokeBundle(event: SQSEvent, playground: { url: string; token: string }, timeoutMs = 3000): Promise<BundleOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", RUNTIME, HANDLER_BUNDLE], {
      env: { PATH: process.env.PATH ?? "", [FUNCTION_ENV.url]: playground.url, [FUNCTION_ENV.token]: playground.token },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (!out) return reject(new Error(`the bundle process exited ${code} without a result: ${err}`));
      resolve(JSON.parse(out) as BundleOutcome);
    });
    child.stdin.end(JSON.stringify({ event, timeoutMs }));
  });
}
