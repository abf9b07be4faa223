// A web page on another origin, in headless Chromium, tries what README "Security" says it cannot:
// HTML form posts (urlencoded, text/plain, multipart) and fetches (no-cors and cors) at both the
// playground's port and the SQS port. Every one is refused, and nothing changes, as read back
// through the real server afterwards.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeContexts, hasChromium, sharedChromium } from "../helpers/browser.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { readWorld } from "../helpers/sqsWorld.js";

if (!hasChromium() && process.env.CI) throw new Error("CI must have chromium (apt-get install chromium)");

// The trigger is off so the task's message stays in the queue: a purge or a delete would show.
const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });
let browser: Browser;
let attacker: Server;
let attackerOrigin: string;

interface Attempt {
  kind: "form" | "fetch";
  url: string;
  method?: string;
  enctype?: string;
  mode?: "no-cors" | "cors";
  fields?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** The attacker's page: it fires every attempt, forms into hidden frames, and reports when all settled. */
function attackerPage(attempts: Attempt[]): string {
  return `<!doctype html><meta charset="utf-8"><title>another site</title><body><script>
const attempts = ${JSON.stringify(attempts)};
window.settled = Promise.all(attempts.map((a, i) => {
  if (a.kind === "form") {
    return new Promise((resolve) => {
      const frame = document.createElement("iframe");
      frame.name = "f" + i;
      document.body.append(frame);
      const form = document.createElement("form");
      Object.assign(form, { method: "POST", action: a.url, enctype: a.enctype, target: frame.name });
      for (const [name, value] of Object.entries(a.fields)) {
        const input = document.createElement("input");
        Object.assign(input, { type: "hidden", name, value });
        form.append(input);
      }
      document.body.append(form);
      frame.addEventListener("load", () => resolve("loaded"), { once: true });
      setTimeout(() => resolve("timeout"), 5000);
      form.submit();
    });
  }
  return fetch(a.url, { method: a.method, mode: a.mode, headers: a.headers, body: a.body }).then((r) => "status " + r.status + " " + r.type, (e) => "rejected " + e.name);
}));
</script></body>`;
}

beforeAll(async () => {
  if (!hasChromium()) return;
  browser = await sharedChromium();
  await playground().post("/tasks", { title: "must survive the page" });
});
afterAll(async () => {
  await closeContexts(browser);
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
});

describe.skipIf(!hasChromium())("a page on another origin", () => {
  it("cannot change the playground or its SQS through forms or fetches to either port", { timeout: 60_000 }, async () => {
    const { url: playgroundUrl, sqsEndpoint, queues } = playground();
    // Both targets by the name the learner uses (localhost), so only the page's origin differs.
    const api = playgroundUrl;
    const sqs = `http://localhost:${new URL(sqsEndpoint).port}`;
    const queueUrl = queues.queueUrl;
    const json = (target: string, body: unknown) => ({ "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${target}`, body: JSON.stringify(body) });
    const attempts: Attempt[] = [];
    for (const enctype of ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]) {
      attempts.push(
        { kind: "form", url: `${api}/tasks`, enctype, fields: { title: "from a form" } },
        // text/plain makes `name=value` look like JSON: {"title":"x","pad":"="}.
        { kind: "form", url: `${api}/tasks`, enctype, fields: { '{"title":"x","pad":"': '"}' } },
        { kind: "form", url: `${api}/api/reset`, enctype, fields: {} },
        { kind: "form", url: `${sqs}/`, enctype, fields: { Action: "SendMessage", QueueUrl: queueUrl, MessageBody: "from a form" } },
        { kind: "form", url: `${sqs}/`, enctype, fields: { Action: "PurgeQueue", QueueUrl: queueUrl } },
        { kind: "form", url: `${sqs}/000000000000/interview-queue`, enctype, fields: { Action: "DeleteQueue", QueueUrl: queueUrl } },
        { kind: "form", url: `${sqs}/`, enctype, fields: { Action: "DeleteQueue", QueueUrl: queues.deadLetterQueueUrl } },
      );
    }
    for (const mode of ["no-cors", "cors"] as const) {
      const plain = { "content-type": "text/plain" };
      attempts.push(
        { kind: "fetch", mode, method: "POST", url: `${api}/tasks`, headers: plain, body: '{"title": "from fetch"}' },
        { kind: "fetch", mode, method: "POST", url: `${api}/api/reset`, headers: plain, body: "" },
        { kind: "fetch", mode, method: "POST", url: `${sqs}/`, headers: { "content-type": "application/x-www-form-urlencoded" }, body: `Action=DeleteQueue&QueueUrl=${encodeURIComponent(queueUrl)}` },
        { kind: "fetch", mode, method: "POST", url: `${sqs}/`, headers: plain, body: JSON.stringify({ QueueUrl: queueUrl, MessageBody: "x" }) },
      );
    }
    // Only cors may send a JSON content type, a custom header or PUT: each needs a preflight.
    const { body: purge, ...purgeHeaders } = json("PurgeQueue", { QueueUrl: queueUrl });
    const { body: send, ...sendHeaders } = json("SendMessage", { QueueUrl: queueUrl, MessageBody: "x" });
    attempts.push(
      { kind: "fetch", mode: "cors", method: "PUT", url: `${api}/api/faults`, headers: { "content-type": "application/json" }, body: '{"failRate": 1}' },
      { kind: "fetch", mode: "cors", method: "POST", url: `${api}/tasks`, headers: { "content-type": "application/json" }, body: '{"title": "cors"}' },
      { kind: "fetch", mode: "cors", method: "POST", url: `${sqs}/`, headers: purgeHeaders, body: purge },
      { kind: "fetch", mode: "cors", method: "POST", url: `${sqs}/`, headers: sendHeaders, body: send },
    );

    attacker = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(attackerPage(attempts)));
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

    const before = await readWorld(playgroundUrl, sqsEndpoint);
    const faultsBefore = await (await fetch(`${playgroundUrl}/api/faults`)).json();
    expect(before.tasks).toHaveLength(1);
    // One message in the task queue; its DLQ and the FIFO pair (#17) empty.
    expect(before.queues.map((q) => q.messages.length)).toEqual([1, 0, 0, 0]);

    // What each server answered the page, seen inside them (Node's HTTP diagnostics channel).
    const answered: { port: number; method: string; status: number }[] = [];
    const record = (message: unknown) => {
      const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
      if (request.headers.origin === attackerOrigin) answered.push({ port: request.socket.localPort ?? 0, method: request.method ?? "", status: response.statusCode });
    };
    subscribe("http.server.response.finish", record);
    const page = await browser.newPage();
    await page.goto(`${attackerOrigin}/`);
    const outcomes = (await page.evaluate("window.settled")) as string[];
    await page.close();
    unsubscribe("http.server.response.finish", record);

    // Forms and "simple" fetches (POST with a form or text content type) reach their server and are
    // refused there; the others never get past their preflight. A cors fetch never reads an answer.
    const simple = (a: Attempt) => a.kind === "form" || (a.method === "POST" && Object.keys(a.headers ?? {}).length === 1 && /^(text\/plain|application\/x-www-form-urlencoded)$/.test(a.headers?.["content-type"] ?? ""));
    attempts.forEach((attempt, i) => {
      if (attempt.mode === "cors") expect(outcomes[i], JSON.stringify(attempt)).toBe("rejected TypeError");
      // An opaque answer, or none when the playground's Cross-Origin-Resource-Policy withholds it.
      else if (attempt.kind === "fetch") expect(["status 0 opaque", "rejected TypeError"], JSON.stringify(attempt)).toContain(outcomes[i]);
    });
    for (const target of [api, sqs]) {
      const port = Number(new URL(target).port);
      const refused = answered.filter((a) => a.port === port && a.method !== "OPTIONS");
      expect(refused, target).toHaveLength(attempts.filter((a) => simple(a) && a.url.startsWith(target)).length);
      expect(refused.every((a) => a.status === 403), target).toBe(true);
    }

    expect(await readWorld(playgroundUrl, sqsEndpoint)).toEqual(before);
    expect(await (await fetch(`${playgroundUrl}/api/faults`)).json()).toEqual(faultsBefore);
  });
});
