import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../server/store/errors.js";
import { LowdbTaskStore } from "../../server/store/lowdbTaskStore.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";

let dataDir: string;
let file: string;
beforeEach(async () => {
  dataDir = await makeDataDir();
  file = join(dataDir, "tasks.json");
});
afterEach(() => removeDataDir(dataDir));

const copiesKept = async () => (await readdir(dataDir)).filter((name) => name.startsWith("tasks.json.corrupt-"));
const openError = async () => {
  const error = await LowdbTaskStore.open({ dataDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
};
const task = (id: number) => ({ id, title: `t${id}`, status: "pending", messageId: null, createdAt: "x", updatedAt: "x", completedAt: null, attempts: 0, sendError: null, lastError: null });

describe("the task file under crashes and hand edits", () => {
  it("writes through a temp file and a rename: a reader never sees half a file while writes go on", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const long = "a title long enough to make each write take a while ".repeat(40);
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(file, "utf8").catch(() => null);
        if (text === null) continue;
        expect(() => JSON.parse(text), `read ${reads} was not whole`).not.toThrow();
        reads += 1;
      }
    })();
    for (let i = 0; i < 200; i += 1) await store.create(`${long}${i}`);
    // Past 100 tasks changes go to the journal first; a flush folds them into the file.
    await store.flush();
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(file, "utf8")).tasks).toHaveLength(200);
  });

  it("leaves the last good file whole when a write fails half-way", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    await store.create("safe");
    const before = await readFile(file, "utf8");
    // The temp file cannot be written (a directory stands in its place): the write fails before the rename.
    await mkdir(join(dataDir, ".tasks.json.tmp"));
    await expect(store.create("lost in the write")).rejects.toThrow(StoreError);
    expect(await readFile(file, "utf8")).toBe(before);
    expect(store.list().map((t) => t.title)).toEqual(["safe"]);
  });

  it("refuses a file that is not JSON, naming it and the copy it kept, and changes nothing", async () => {
    await writeFile(file, '{"version": 1, "nextTaskId": 3, "tasks": [\n    {"id": 1, "tit');
    const error = await openError();
    const [copy] = await copiesKept();
    expect(copy).toBeDefined();
    expect(error.file).toBe(file);
    expect(error.message).toContain(`${file} is not valid JSON`);
    expect(error.message).toContain(join(dataDir, copy!));
    expect(error.message).toMatch(/fix .* by hand .* or move it away to start with no tasks/);
    expect(await readFile(join(dataDir, copy!), "utf8")).toBe(await readFile(file, "utf8"));
    expect(await readFile(file, "utf8")).toMatch(/"tit$/);
  });

  it("keeps one copy however often the start is retried on the same file", async () => {
    await writeFile(file, "");
    await openError();
    await openError();
    expect(await copiesKept()).toHaveLength(1);
  });

  it.each([
    ["a task of the wrong shape", { version: 1, nextTaskId: 2, tasks: [{ ...task(1), status: "done" }] }, /tasks\.0\.status/],
    ["the same id twice", { version: 1, nextTaskId: 3, tasks: [task(1), task(1)] }, /task id 1 appears twice/],
    ["a nextTaskId that would reuse an id", { version: 1, nextTaskId: 2, tasks: [task(1), task(5)] }, /nextTaskId: must be above every task id \(task 5/],
  ])("refuses a hand edit with %s, saying where, and keeps a copy", async (_name, content, where) => {
    await writeFile(file, JSON.stringify(content));
    const error = await openError();
    expect(error.message).toMatch(where);
    expect(error.message).toContain("does not hold a task database");
    expect(await copiesKept()).toHaveLength(1);
  });

  it.each(["null", "0", "false", '""'])("refuses a file holding only %s instead of starting empty, keeps a copy and leaves the file as it was", async (content) => {
    await writeFile(file, content);
    const error = await openError();
    expect(error.message).toContain(`${file} does not hold a task database`);
    expect(await copiesKept()).toHaveLength(1);
    expect(await readFile(file, "utf8")).toBe(content);
  });
});

describe("the journal of recent changes under hand edits", () => {
  const journal = () => join(dataDir, "tasks.journal.jsonl");
  const journalCopies = async () => (await readdir(dataDir)).filter((name) => name.startsWith("tasks.journal.jsonl.corrupt-"));
  const entry = (id: number) => JSON.stringify({ nextTaskId: id + 1, task: task(id) });

  it.each(["{}", "5", "null", '{"nextTaskId": 2}', '{"nextTaskId": 2, "task": {"id": 1}}'])(
    "refuses a line that is JSON but not an entry (%s), naming the file and line, and keeps a copy",
    async (line) => {
      await writeFile(file, JSON.stringify({ version: 1, nextTaskId: 1, tasks: [] }));
      await writeFile(journal(), `${entry(1)}\n${line}\n${entry(2)}\n`);
      const error = await openError();
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error.file).toBe(journal());
      expect(error.message).toContain(`${journal()} line 2 is not a journal entry`);
      const [copy] = await journalCopies();
      expect(copy).toBeDefined();
      expect(error.message).toContain(join(dataDir, copy!));
      expect(await readFile(journal(), "utf8")).toContain(line);
    },
  );

  it("refuses a line in the middle that is not JSON, naming the file and line, and keeps a copy", async () => {
    await writeFile(journal(), `${entry(1)}\n{"nextTask\n${entry(2)}\n`);
    const error = await openError();
    expect(error.message).toContain(`${journal()} line 2 is not valid JSON`);
    expect(await journalCopies()).toHaveLength(1);
  });

  it("still drops a torn last line, which was never acknowledged", async () => {
    await writeFile(journal(), `${entry(1)}\n{"nextTaskId": 3, "ta`);
    const store = await LowdbTaskStore.open({ dataDir });
    expect(store.list().map((t) => t.id)).toEqual([1]);
  });
});
