import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../server/store/errors.js";
import { JOURNAL_FILE, LowdbTaskStore, type TaskChange } from "../../server/store/lowdbTaskStore.js";
import { entryLine, TaskJournal } from "../../server/store/taskJournal.js";
import type { Task } from "../../common/events.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeDataDir();
});
afterEach(() => removeDataDir(dataDir));

describe("the lowdb task store", () => {
  it("writes a created task to disk before reporting it", async () => {
    const changes: TaskChange[] = [];
    const store = await LowdbTaskStore.open({ dataDir, onChange: (c) => changes.push(c) });
    const task = await store.create("persisted");
    const onDisk = JSON.parse(await readFile(join(dataDir, "tasks.json"), "utf8")) as { tasks: unknown[]; nextTaskId: number };
    expect(onDisk.tasks).toEqual([task]);
    expect(onDisk.nextTaskId).toBe(2);
    expect(changes).toEqual([{ type: "task.created", taskId: task.id, task }]);
  });

  it("reports changes in the order they were made: a message id recorded while the completion is being written comes after it", async () => {
    const changes: TaskChange[] = [];
    const store = await LowdbTaskStore.open({ dataDir, onChange: (c) => changes.push(c) });
    const task = await store.create("raced");
    expect((await store.claim(task.id, "inv", 10_000)).outcome).toBe("claimed");
    changes.length = 0;
    // The handler's completion waits for the disk; the API's SendMessage reply lands meanwhile.
    const completing = store.complete(task.id, "inv");
    const recording = store.markSent(task.id, "m-1");
    await Promise.all([completing, recording]);
    // Each change as it left the task: the completion before the message id was recorded.
    expect(changes.map((c) => (c.type === "task.updated" ? [c.from, c.task.status, c.task.messageId] : [c.type]))).toEqual([
      ["processing", "completed", null],
      ["completed", "completed", "m-1"],
    ]);
  });

  it("reports a change as it left the task, though the task changed again while it was being written", async () => {
    const changes: TaskChange[] = [];
    const store = await LowdbTaskStore.open({ dataDir, onChange: (c) => changes.push(c) });
    const task = await store.create("redriven");
    await store.markDeadLettered(task.id, "dlq");
    changes.length = 0;
    // Redrive: the message is back before the task's "pending" is durable, and the trigger takes it at once.
    const redriven = store.markRedriven(task.id, "m-2");
    const worked = store.claim(task.id, "inv", 10_000).then(() => store.complete(task.id, "inv"));
    await Promise.all([redriven, worked]);
    // It read "failed → completed", then "pending → processing": one completion counted twice.
    expect(changes.map((c) => (c.type === "task.updated" ? `${c.from} → ${c.task.status}` : c.type))).toEqual(["failed → pending", "pending → processing", "processing → completed"]);
    await store.flush();
  });

  it("never reuses an id after a restart", async () => {
    const first = await LowdbTaskStore.open({ dataDir });
    await first.create("a");
    await first.create("b");
    const second = await LowdbTaskStore.open({ dataDir });
    expect((await second.create("c")).id).toBe(3);
  });

  it("lets one invocation hold a task while its lease lasts, then another may take it", async () => {
    let now = 1000;
    const store = await LowdbTaskStore.open({ dataDir, clock: () => now });
    const task = await store.create("contended");
    expect((await store.claim(task.id, "a", 500)).outcome).toBe("claimed");
    expect((await store.claim(task.id, "b", 500)).outcome).toBe("busy");
    now += 501;
    expect((await store.claim(task.id, "b", 500)).outcome).toBe("claimed");
    expect(await store.complete(task.id, "a")).toBe(false);
    expect(await store.complete(task.id, "b")).toBe(true);
    expect((await store.claim(task.id, "c", 500)).outcome).toBe("done");
    expect(store.get(task.id)?.attempts).toBe(2);
    await store.flush();
  });

  it("saves changes that were not waited for once flushed", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const task = await store.create("claimed");
    await store.claim(task.id, "a", 1000);
    await store.flush();
    const reopened = await LowdbTaskStore.open({ dataDir });
    expect(reopened.get(task.id)).toMatchObject({ status: "processing", attempts: 1 });
  });

  it("writes one task per line, as valid JSON", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    await store.create("one");
    await store.create("two");
    const text = await readFile(join(dataDir, "tasks.json"), "utf8");
    expect(text.split("\n").filter((line) => line.trimStart().startsWith('{"id"'))).toHaveLength(2);
    expect(JSON.parse(text).tasks.map((t: { title: string }) => t.title)).toEqual(["one", "two"]);
  });

  it("refuses a file that is not JSON, naming it, and leaves it untouched", async () => {
    const file = join(dataDir, "tasks.json");
    await writeFile(file, "{ not json");
    await expect(LowdbTaskStore.open({ dataDir })).rejects.toThrow(StoreError);
    await expect(LowdbTaskStore.open({ dataDir })).rejects.toThrow(file);
    expect(await readFile(file, "utf8")).toBe("{ not json");
  });

  it("refuses JSON of the wrong shape, saying where", async () => {
    await writeFile(join(dataDir, "tasks.json"), JSON.stringify({ version: 1, nextTaskId: 1, tasks: [{ id: "one" }] }));
    await expect(LowdbTaskStore.open({ dataDir })).rejects.toThrow(/tasks\.0\.id/);
  });

  it("marks a dead-lettered task failed but never a completed one", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const open = await store.create("open");
    const done = await store.create("done");
    await store.claim(done.id, "x", 1000);
    await store.complete(done.id, "x");
    expect((await store.markDeadLettered(open.id, "dlq"))?.status).toBe("failed");
    expect(await store.markDeadLettered(done.id, "dlq")).toBeUndefined();
    expect(store.get(done.id)?.status).toBe("completed");
    await store.flush();
  });

  it("never hands out a dead-lettered task again: a late delivery finds it failed", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const task = await store.create("given up");
    await store.markDeadLettered(task.id, "dlq");
    expect((await store.claim(task.id, "late", 1000)).outcome).toBe("failed");
    expect(store.get(task.id)).toMatchObject({ status: "failed", attempts: 0 });
    await store.flush();
  });

  it("keeps a large database's changes in its journal, and a crash loses none of them", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const tasks = [];
    for (let i = 0; i < 150; i += 1) tasks.push(await store.create(`task ${i}`));
    await store.claim(tasks[0]!.id, "x", 1000);
    await store.complete(tasks[0]!.id, "x");
    // No flush: as if the process died here. The journal holds what tasks.json does not yet.
    expect((await readFile(join(dataDir, JOURNAL_FILE), "utf8")).length).toBeGreaterThan(0);
    const reopened = await LowdbTaskStore.open({ dataDir });
    expect(reopened.list()).toHaveLength(150);
    expect(reopened.get(tasks[0]!.id)?.status).toBe("completed");
    expect((await reopened.create("next")).id).toBe(151);
  });

  it("folds the journal into tasks.json when flushed", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    for (let i = 0; i < 150; i += 1) await store.create(`task ${i}`);
    await store.flush();
    const journal = new TaskJournal(join(dataDir, JOURNAL_FILE));
    expect([existsSync(journal.file), existsSync(journal.rotatedFile)]).toEqual([false, false]);
    const onDisk = JSON.parse(await readFile(join(dataDir, "tasks.json"), "utf8")) as { tasks: unknown[] };
    expect(onDisk.tasks).toHaveLength(150);
  });

  it("drops a torn last journal line, which was never acknowledged", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const task = await store.create("kept");
    await store.flush();
    await writeFile(join(dataDir, JOURNAL_FILE), `{"nextTaskId":3,"task":{"id":2,"title":"torn`);
    const reopened = await LowdbTaskStore.open({ dataDir });
    expect(reopened.list().map((t) => t.id)).toEqual([task.id]);
  });

  it("replays a compaction's moved-aside lines, then the fresh journal, over tasks.json after a crash", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const task = await store.create("v1");
    await store.flush();
    // As a crash mid-compaction leaves it: older lines moved aside, newer ones in a fresh journal.
    const journal = new TaskJournal(join(dataDir, JOURNAL_FILE));
    const version = (title: string): string => entryLine(2, JSON.stringify({ ...task, title } satisfies Task));
    await writeFile(journal.rotatedFile, version("v2"));
    await writeFile(journal.file, version("v3"));
    const reopened = await LowdbTaskStore.open({ dataDir });
    expect(reopened.get(task.id)?.title).toBe("v3");
    expect(JSON.parse(await readFile(join(dataDir, "tasks.json"), "utf8"))).toMatchObject({ tasks: [{ id: task.id, title: "v3" }] });
    expect([existsSync(journal.file), existsSync(journal.rotatedFile)]).toEqual([false, false]);
  });

  it("keeps the lines of a compaction that failed, in order, when the next one starts", async () => {
    const journal = new TaskJournal(join(dataDir, JOURNAL_FILE));
    journal.append(["a\n"]);
    journal.rotate();
    journal.append(["b\n", "c\n"]);
    journal.rotate();
    journal.append(["d\n"]);
    journal.close();
    expect(await readFile(journal.rotatedFile, "utf8")).toBe("a\nb\nc\n");
    expect(await readFile(journal.file, "utf8")).toBe("d\n");
  });

  it("keeps changes made while tasks.json is being rewritten in the journal", async () => {
    const store = await LowdbTaskStore.open({ dataDir });
    const tasks: Task[] = [];
    for (let i = 0; i < 120; i += 1) tasks.push(await store.create(`task ${i}`));
    // Enough changes to start a compaction, and one more made while it runs.
    for (const task of tasks.slice(0, 100)) await store.claim(task.id, "x", 60_000);
    for (const task of tasks.slice(0, 100)) await store.complete(task.id, "x");
    await store.claim(tasks[110]!.id, "y", 60_000);
    await store.complete(tasks[110]!.id, "y");
    // No flush: what a crash now would leave behind is enough.
    const reopened = await LowdbTaskStore.open({ dataDir });
    expect(reopened.list().filter((t) => t.status === "completed")).toHaveLength(101);
  });
});
