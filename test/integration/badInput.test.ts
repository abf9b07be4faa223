import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDir, startTestPlayground, type TestPlayground } from "../helpers/playground.js";

let playground: TestPlayground;
const JSON_TYPE = { "content-type": "application/json" };

beforeAll(async () => {
  playground = await startTestPlayground();
  // One good task first, so "changes nothing" is checked against a non-empty database.
  await playground.post("/tasks", { title: "the only task" });
  await playground.waitForEvent((e) => e.type === "message.deleted");
});

afterAll(async () => {
  await playground.stop();
  await removeDataDir(playground.dataDir);
});

interface Case {
  name: string;
  send: () => Promise<Response>;
  status: number;
  code: string;
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
  { name: "an unknown task id", send: () => playground.get("/tasks/999"), status: 404, code: "TaskNotFound" },
  { name: "a task id that is not a number", send: () => playground.get("/tasks/abc"), status: 400, code: "InvalidTaskId" },
  { name: "a task id of zero", send: () => playground.get("/tasks/0"), status: 400, code: "InvalidTaskId" },
  { name: "an unknown route", send: () => playground.get("/nope"), status: 404, code: "NotFound" },
  { name: "a wrong method", send: () => fetch(`${playground.url}/tasks/1`, { method: "DELETE" }), status: 404, code: "NotFound" },
];

describe("bad input", () => {
  it.each(cases)("answers $name with $status $code and a message", async ({ send, status, code, message }) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    if (message) expect(body.error.message).toMatch(message);
  });

  it("changes nothing: no task, no message, no write to the database", async () => {
    const before = await readFile(join(playground.dataDir, "tasks.json"), "utf8");
    const seq = playground.events.lastSeq;
    for (const { send } of cases) await (await send()).arrayBuffer();
    expect(playground.events.lastSeq).toBe(seq);
    expect(await readFile(join(playground.dataDir, "tasks.json"), "utf8")).toBe(before);
    const tasks = (await (await playground.get("/tasks")).json()) as unknown[];
    expect(tasks).toHaveLength(1);
  });

  it("accepts a title of exactly 200 characters and stores it trimmed", async () => {
    const response = await playground.post("/tasks", { title: `  ${"é".repeat(200)}  ` });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { title: string }).title).toBe("é".repeat(200));
  });
});
