import { afterEach, describe, expect, it } from "vitest";
import { RuntimeApi, type RuntimeErrorPayload } from "../../server/runtime/runtimeApi.js";

const opened: RuntimeApi[] = [];
afterEach(() => {
  for (const api of opened.splice(0)) api.close();
});

/** One endpoint, and what its listener heard. */
async function endpoint() {
  const heard = { ready: 0, responses: [] as [string, string][], errors: [] as [string, RuntimeErrorPayload][], initErrors: [] as RuntimeErrorPayload[] };
  const api = await RuntimeApi.listen({
    onReady: () => void (heard.ready += 1),
    onResponse: (id, body) => void heard.responses.push([id, body]),
    onError: (id, payload) => void heard.errors.push([id, payload]),
    onInitError: (payload) => void heard.initErrors.push(payload),
  });
  opened.push(api);
  const url = (path: string) => `http://${api.address}/2018-06-01/runtime${path}`;
  return { api, heard, url };
}

const invocation = { requestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd", event: '{"Records":[]}', timeoutMs: 3000, functionArn: "arn:aws:lambda:us-east-1:000000000000:function:process-task", traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1" };

describe("the Lambda Runtime API of one execution environment", () => {
  it("hands the next invocation to GET /invocation/next with the documented headers", async () => {
    const { api, heard, url } = await endpoint();
    let deadline = 0;
    api.deliver(invocation, (ms) => (deadline = ms));
    const next = await fetch(url("/invocation/next"));
    expect(next.status).toBe(200);
    expect(await next.text()).toBe(invocation.event);
    expect(next.headers.get("lambda-runtime-aws-request-id")).toBe(invocation.requestId);
    expect(Number(next.headers.get("lambda-runtime-deadline-ms"))).toBe(deadline);
    expect(next.headers.get("lambda-runtime-invoked-function-arn")).toBe(invocation.functionArn);
    expect(next.headers.get("lambda-runtime-trace-id")).toBe(invocation.traceId);
    expect(heard.ready).toBe(1);
  });

  it("takes the response of the invocation it handed out with 202", async () => {
    const { api, heard, url } = await endpoint();
    api.deliver(invocation, () => {});
    await (await fetch(url("/invocation/next"))).text();
    const posted = await fetch(url(`/invocation/${invocation.requestId}/response`), { method: "POST", body: '{"batchItemFailures":[]}' });
    expect(posted.status).toBe(202);
    expect(heard.responses).toEqual([[invocation.requestId, '{"batchItemFailures":[]}']]);
  });

  it("takes an invocation error with its type, message and stack", async () => {
    const { api, heard, url } = await endpoint();
    api.deliver(invocation, () => {});
    await (await fetch(url("/invocation/next"))).text();
    const payload = { errorType: "TypeError", errorMessage: "x is undefined", stackTrace: ["at handler (file:///var/task/handler.ts:3:9)"] };
    const posted = await fetch(url(`/invocation/${invocation.requestId}/error`), { method: "POST", body: JSON.stringify(payload), headers: { "lambda-runtime-function-error-type": "TypeError" } });
    expect(posted.status).toBe(202);
    expect(heard.errors).toEqual([[invocation.requestId, payload]]);
  });

  it("refuses an answer for a request id it did not hand out with 400 InvalidRequestID", async () => {
    const { api, heard, url } = await endpoint();
    api.deliver(invocation, () => {});
    await (await fetch(url("/invocation/next"))).text();
    const posted = await fetch(url("/invocation/b9c2a7f0-0000-4000-8000-another-environment/response"), { method: "POST", body: "{}" });
    expect(posted.status).toBe(400);
    expect(((await posted.json()) as { errorType: string }).errorType).toBe("InvalidRequestID");
    expect(heard.responses).toEqual([]);
  });

  it("refuses a request from a browser page (an Origin header) with 403", async () => {
    const { api, url } = await endpoint();
    api.deliver(invocation, () => {});
    const next = await fetch(url("/invocation/next"), { headers: { origin: "http://evil.example" } });
    expect(next.status).toBe(403);
  });

  it("takes an init error before the first /next, and refuses one after it", async () => {
    const { api, heard, url } = await endpoint();
    const payload = { errorType: "Runtime.ImportModuleError", errorMessage: "Cannot find module", stackTrace: [] };
    expect((await fetch(url("/init/error"), { method: "POST", body: JSON.stringify(payload) })).status).toBe(202);
    expect(heard.initErrors).toEqual([payload]);
    api.deliver(invocation, () => {});
    await (await fetch(url("/invocation/next"))).text();
    expect((await fetch(url("/init/error"), { method: "POST", body: JSON.stringify(payload) })).status).toBe(403);
  });
});
