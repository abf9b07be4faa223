import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";
import { spawnServer } from "../helpers/process.js";

const post = (url: string, title: string) =>
  fetch(`${url}/tasks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });

async function waitUntilAllCompleted(url: string, count: number, timeoutMs = 20_000): Promise<Task[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tasks = (await (await fetch(`${url}/tasks`)).json()) as Task[];
    if (tasks.length === count && tasks.every((t) => t.status === "completed")) return tasks;
    if (Date.now() > deadline) throw new Error(`not all completed: ${JSON.stringify(tasks.map((t) => t.status))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the server process", () => {
  it("starts, prints its URL, and stops on SIGTERM mid-burst without losing a task", async () => {
    const dataDir = await makeDataDir();
    try {
      // Two slow batches of one message at a time, so most tasks are still queued at SIGTERM.
      const first = await spawnServer({ DATA_DIR: dataDir, HANDLER_WORK_MS: "300", MAXIMUM_CONCURRENCY: "2", BATCH_SIZE: "1" });
      expect(first.output()).toMatch(/queue\s+http:\/\/localhost:\d+\/000000000000\/interview-queue/);
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(first.url, `burst ${i}`)));
      expect(responses.every((r) => r.status === 201)).toBe(true);
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      const saved = JSON.parse(await readFile(join(dataDir, "tasks.json"), "utf8")) as { tasks: Task[] };
      expect(saved.tasks).toHaveLength(20);
      expect(saved.tasks.filter((t) => t.status === "completed").length).toBeLessThan(20);
      expect(saved.tasks.some((t) => t.status === "processing")).toBe(false);

      // The embedded queue lived in memory: the restart's reconciliation sends every unfinished task again.
      const second = await spawnServer({ DATA_DIR: dataDir, HANDLER_WORK_MS: "0" });
      const tasks = await waitUntilAllCompleted(second.url, 20);
      expect(tasks.map((t) => t.title).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `burst ${i}`).sort());
      second.child.kill("SIGINT");
      expect(await second.exited).toBe(0);
    } finally {
      await removeDataDir(dataDir);
    }
  });

  it("refuses a bad setting at start-up, naming the variable", async () => {
    await expect(spawnServer({ VISIBILITY_TIMEOUT_SECONDS: "soon" })).rejects.toThrow(/VISIBILITY_TIMEOUT_SECONDS="soon"/);
  });
});
