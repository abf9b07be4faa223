import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";
import { curlJson, rawRequest, type RawAnswer } from "../helpers/rawHttp.js";

let playground: TestPlayground;
const JSON_TYPE = { "content-type": "application/json" };

beforeAll(async () => {
  playground = await startTestPlayground();
  // One good task first, so "changes nothing" is checked against a non-empty database.
  await playground.post("/tasks", { title: "the only task" });
  // At rest: the trigger's DeleteMessageBatch answered (after the engine's fsync, so after
  // message.deleted) and its batch's slot given back; nothing of the good task happens later.
  const deleted = await playground.waitForEvent((e) => e.type === "sqs.call" && e.call.caller === "lambda-trigger" && e.call.operation === "DeleteMessageBatch");
  await playground.waitForEvent((e) => e.seq > deleted.seq && e.type === "lambda.concurrency" && e.running === 0);
});

afterAll(async () => {
  await playground.stop();
  await removeDataDir(playground.dataDir);
});

interface Case {
  name: string;
  send: () => Promise<Response | RawAnswer>;
  status: number;
  code?: string;
  message?: RegExp;
}

const cases: Case[] = [
  { name: "invalid JSON", send: () => playground.post("/tasks", '{"title": "Test', JSON_TYPE), status: 400, code: "InvalidJson" },
  { name: "an empty body", send: () => playground.post("/tasks", "", JSON_TYPE), status: 400, code: "InvalidBody" },
  { name: "a JSON array", send: () => playground.post("/tasks", [{ title: "x" }]), status: 400, code: "InvalidBody" },
  { name: "a JSON string", send: () => playground.post("/tasks", '"Test Task"', JSON_TYPE), status: 400, code: "InvalidBody" },
  { name: "JSON null", send: () => playground.post("/tasks", "null", JSON_TYPE), status: 400, code: "InvalidBody" },
  { name: "a missing title", send: () => playground.post("/tasks", {}), status: 400, code: "InvalidTask", message: /title is required/ },
  { name: "a blank title", send: () => playground.post("/tasks", { title: "   " }), status: 400, code: "InvalidTask", message: /blank/ },
  { name: "a numeric title", send: () => playground.post("/tasks", { title: 42 }), status: 400, code: "InvalidTask", message: /must be a string/ },
  { name: "a null title", send: () => playground.post("/tasks", { title: null }), status: 400, code: "InvalidTask", message: /must be a string/ },
  { name: "a title of 201 characters", send: () => playground.post("/tasks", { title: "x".repeat(201) }), status: 400, code: "InvalidTask", message: /at most 200/ },
  { name: "a title with a control character", send: () => playground.post("/tasks", { title: "bell\u0007" }), status: 400, code: "InvalidTask", message: /not allowed/ },
  { name: "a title SQS would refuse (U+FFFF)", send: () => playground.post("/tasks", { title: "x\uFFFF" }), status: 400, code: "InvalidTask", message: /not allowed/ },
  { name: "a title with a lone surrogate", send: () => playground.post("/tasks", '{"title": "x\\ud800"}', JSON_TYPE), status: 400, code: "InvalidTask" },
  { name: "an unknown field", send: () => playground.post("/tasks", { title: "ok", priority: 1 }), status: 400, code: "InvalidTask", message: /unknown field\(s\): priority/ },
  { name: "a body over 16 KiB", send: () => playground.post("/tasks", { title: "x", pad: "y".repeat(17_000) }), status: 413, code: "BodyTooLarge" },
  { name: "a form-encoded body", send: () => playground.post("/tasks", "title=Test", { "content-type": "application/x-www-form-urlencoded" }), status: 415, code: "UnsupportedMediaType" },
  { name: "no content type", send: () => playground.post("/tasks", '{"title":"x"}', {}), status: 415, code: "UnsupportedMediaType" },
  { name: "a title with U+FFFE (not a character)", send: () => playground.post("/tasks", { title: "x\uFFFE" }), status: 400, code: "InvalidTask", message: /not allowed/ },
  { name: "a title with NUL", send: () => playground.post("/tasks", '{"title": "x\\u0000y"}', JSON_TYPE), status: 400, code: "InvalidTask", message: /not allowed/ },
  { name: "a title with a lone low surrogate", send: () => playground.post("/tasks", '{"title": "\\udc00x"}', JSON_TYPE), status: 400, code: "InvalidTask", message: /not allowed/ },
  { name: "a title that is a list", send: () => playground.post("/tasks", { title: ["a", "b"] }), status: 400, code: "InvalidTask", message: /must be a string/ },
  { name: "a title that is an object", send: () => playground.post("/tasks", { title: { text: "a" } }), status: 400, code: "InvalidTask", message: /must be a string/ },
  { name: "a title that is true", send: () => playground.post("/tasks", { title: true }), status: 400, code: "InvalidTask", message: /must be a string/ },
  { name: "a title nested 5,000 lists deep", send: () => playground.post("/tasks", `{"title": ${"[".repeat(5000)}${"]".repeat(5000)}}`, JSON_TYPE), status: 400, code: "InvalidTask" },
  { name: "a __proto__ field", send: () => playground.post("/tasks", '{"title": "x", "__proto__": {"status": "completed"}}', JSON_TYPE), status: 400, code: "InvalidTask", message: /unknown field\(s\): __proto__/ },
  { name: "a body of 1 MiB", send: () => playground.post("/tasks", JSON.stringify({ title: "x".repeat(1024 * 1024) }), JSON_TYPE), status: 413, code: "BodyTooLarge" },
  { name: "a Latin-1 body", send: () => playground.post("/tasks", '{"title":"x"}', { "content-type": "application/json; charset=latin1" }), status: 415, code: "UnsupportedEncoding" },
  { name: "a task id with %-escapes that do not decode", send: () => rawRequest(playground.url, { path: "/tasks/%E0%A4%A" }), status: 400, code: "InvalidPath" },
  { name: "a task id that climbs out (/tasks/..%2f..%2fetc%2fpasswd)", send: () => rawRequest(playground.url, { path: "/tasks/..%2f..%2fetc%2fpasswd" }), status: 400, code: "InvalidTaskId" },
  { name: "a task id with NUL", send: () => rawRequest(playground.url, { path: "/tasks/1%00" }), status: 400, code: "InvalidTaskId" },
  { name: "a lesson id that climbs out", send: () => rawRequest(playground.url, { path: "/api/lessons/..%2f..%2fpackage.json" }), status: 404, code: "LessonNotFound" },
  { name: "a lesson id that climbs out, with a check", send: () => rawRequest(playground.url, { method: "POST", path: "/api/lessons/..%2f..%2flessons%2f01-the-whole-flow/checks", ...curlJson({ step: 0, index: 0 }) }), status: 404, code: "LessonNotFound" },
  { name: "a lesson id with %-escapes that do not decode", send: () => rawRequest(playground.url, { path: "/api/lessons/%E0%A4%A" }), status: 400, code: "InvalidPath" },
  { name: "a static path with ../ (raw)", send: () => rawRequest(playground.url, { path: "/../../package.json" }), status: 404, code: "NotFound" },
  { name: "a static path with ..%2f", send: () => rawRequest(playground.url, { path: "/assets/..%2f..%2f..%2fpackage.json" }), status: 404, code: "NotFound" },
  { name: "a static path with %2e%2e", send: () => rawRequest(playground.url, { path: "/%2e%2e/%2e%2e/etc/passwd" }), status: 404, code: "NotFound" },
  { name: "a static path with NUL", send: () => rawRequest(playground.url, { path: "/index.html%00.json" }), status: 404, code: "NotFound" },
  { name: "a hidden file", send: () => rawRequest(playground.url, { path: "/.env" }), status: 404, code: "NotFound" },
  { name: "an unknown API route", send: () => playground.send("POST", "/api/nope", {}), status: 404, code: "NotFound" },
  { name: "faults that are not JSON", send: () => rawRequest(playground.url, { method: "PUT", path: "/api/faults", headers: JSON_TYPE, body: "{failRate: 1}" }), status: 400, code: "InvalidJson" },
  { name: "faults of the wrong type", send: () => playground.send("PUT", "/api/faults", { failRate: "high" }), status: 400, code: "InvalidFaults", message: /failRate/ },
  { name: "faults as a list", send: () => playground.send("PUT", "/api/faults", [{ failRate: 1 }]), status: 400, code: "InvalidFaults" },
  { name: "faults over 16 KiB", send: () => playground.send("PUT", "/api/faults", { failRate: 1, pad: "y".repeat(17_000) }), status: 413, code: "BodyTooLarge" },
  { name: "faults with an empty body", send: () => rawRequest(playground.url, { method: "PUT", path: "/api/faults", headers: JSON_TYPE }), status: 400, code: "InvalidBody" },
  { name: "a trigger patch that is not JSON", send: () => rawRequest(playground.url, { method: "PATCH", path: "/api/trigger", headers: JSON_TYPE, body: "BatchSize=5" }), status: 400, code: "InvalidJson" },
  { name: "a trigger patch of the wrong type", send: () => playground.send("PATCH", "/api/trigger", { BatchSize: "ten" }), status: 400, code: "ValidationException" },
  { name: "a function timeout of the wrong type", send: () => playground.send("PATCH", "/api/function", { Timeout: "3s" }), status: 400 },
  { name: "step mode of the wrong type", send: () => playground.send("PUT", "/api/step-mode", { enabled: "yes" }), status: 400, code: "InvalidStepMode" },
  { name: "a check request of the wrong type", send: () => playground.send("POST", "/api/lessons/the-whole-flow/checks", { step: "0", index: 0 }), status: 400, code: "InvalidCheck" },
  { name: "a check request over 1 KiB", send: () => playground.send("POST", "/api/lessons/the-whole-flow/checks", { step: 0, index: 0, pad: "y".repeat(2000) }), status: 413, code: "BodyTooLarge" },
  { name: "a check that does not exist", send: () => playground.send("POST", "/api/lessons/the-whole-flow/checks", { step: 99, index: 0 }), status: 404, code: "CheckNotFound" },
  { name: "a drill check of a question that does not exist", send: () => playground.send("POST", "/api/drill/checks", { question: "nope", index: 0 }), status: 404, code: "QuestionNotFound" },
  { name: "a drill check of the wrong type", send: () => playground.send("POST", "/api/drill/checks", { question: "timeout-mid-batch", index: "0" }), status: 400, code: "InvalidCheck" },
  { name: "a drill check that does not exist", send: () => playground.send("POST", "/api/drill/checks", { question: "timeout-mid-batch", index: 99 }), status: 404, code: "CheckNotFound" },
  { name: "an unknown task id", send: () => playground.get("/tasks/999"), status: 404, code: "TaskNotFound" },
  { name: "a task id that is not a number", send: () => playground.get("/tasks/abc"), status: 400, code: "InvalidTaskId" },
  { name: "a task id of zero", send: () => playground.get("/tasks/0"), status: 400, code: "InvalidTaskId" },
  { name: "an unknown route", send: () => playground.get("/nope"), status: 404, code: "NotFound" },
  { name: "a wrong method", send: () => fetch(`${playground.url}/tasks/1`, { method: "DELETE" }), status: 404, code: "NotFound" },
];

/** fetch's Response and a raw answer, read the same way. */
async function read(sent: Promise<Response | RawAnswer>): Promise<{ status: number; type: string; json: unknown }> {
  const answer = await sent;
  if (answer instanceof Response) {
    const text = await answer.text();
    return { status: answer.status, type: answer.headers.get("content-type") ?? "", json: text ? (JSON.parse(text) as unknown) : undefined };
  }
  return { status: answer.status, type: String(answer.headers["content-type"] ?? ""), json: answer.json };
}

describe("bad input", () => {
  it.each(cases)("answers $name with $status $code and a message", async ({ send, status, code, message }) => {
    const answer = await read(send());
    expect(answer.status).toBe(status);
    expect(answer.type).toMatch(/application\/json/);
    const body = answer.json as { error: { code: string; message: string } };
    if (code) expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    if (message) expect(body.error.message).toMatch(message);
  });

  it("changes nothing: no task, no message, no write to the database, faults, trigger and step mode as they were", async () => {
    const before = await readFile(join(playground.dataDir, "tasks.json"), "utf8");
    const seq = playground.events.lastSeq;
    const controls = { faults: playground.controls.faults(), trigger: playground.trigger.settings, fn: playground.controls.functionView(), stepMode: playground.gate.isEnabled };
    for (const { send } of cases) await read(send());
    // Named, not only counted, so a failure says what happened.
    expect(playground.events.recent().filter((e) => e.seq > seq).map((e) => (e.type === "sqs.call" ? `${e.call.caller} ${e.call.operation}` : e.type))).toEqual([]);
    expect({ faults: playground.controls.faults(), trigger: playground.trigger.settings, fn: playground.controls.functionView(), stepMode: playground.gate.isEnabled }).toEqual(controls);
    expect(await readFile(join(playground.dataDir, "tasks.json"), "utf8")).toBe(before);
    const tasks = (await (await playground.get("/tasks")).json()) as unknown[];
    expect(tasks).toHaveLength(1);
  });

  it("accepts a title of exactly 200 characters and stores it trimmed", async () => {
    const response = await playground.post("/tasks", { title: `  ${"é".repeat(200)}  ` });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { title: string }).title).toBe("é".repeat(200));
  });

  it("sends a title beyond U+FFFF (emoji) to SQS, and the handler completes it with the title intact", async () => {
    const response = await playground.post("/tasks", { title: "ship it 🚀 𝄞" });
    expect(response.status).toBe(201);
    const task = (await response.json()) as { id: number; title: string };
    await playground.waitForEvent((e) => e.type === "task.updated" && e.task.id === task.id && e.task.status === "completed");
    expect(playground.store.get(task.id)?.title).toBe("ship it 🚀 𝄞");
  });
});
