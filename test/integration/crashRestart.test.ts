import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { burst, readTaskFile, waitUntilAllCompleted } from "../helpers/burst.js";
import { serversPerTest } from "../helpers/process.js";

const servers = serversPerTest();
const start = servers.start;
// Slow enough that most of a burst is still waiting when the process dies.
const SLOW_WORK = { HANDLER_WORK_MS: "40", MAXIMUM_CONCURRENCY: "2", BATCH_SIZE: "2" };

async function completedCount(url: string): Promise<number> {
  const tasks = (await (await fetch(`${url}/tasks`)).json()) as { status: string }[];
  return tasks.filter((t) => t.status === "completed").length;
}

describe("a crash (kill -9) in the middle of a burst", () => {
  // runtime: the restarted playground invokes at once, and its environments must not start before
  // the internal routes listen (they did, without the routes' URL: the whole burst was dead-lettered).
  it.for(["in-process", "runtime"])("loses no accepted task: each restart finds their messages kept or sends them again, and the file is whole after every kill (LESSON_FUNCTION=%s)", { timeout: 120_000 }, async (where) => {
    const SLOW = { ...SLOW_WORK, LESSON_FUNCTION: where };
    const first = await start(SLOW);
    const sent = await burst(first.url, { count: 400, workers: 8, onAccepted: (n) => void (n === 100 && first.child.kill("SIGKILL")) });
    await first.exited;
    const afterCrash = await readTaskFile(servers.dataDir);
    expect(sent.accepted.length).toBeGreaterThanOrEqual(100);
    // Every task that got its 201/202 was on disk before the answer.
    expect(afterCrash.tasks.map((t) => t.id)).toEqual(expect.arrayContaining(sent.accepted));
    const done = afterCrash.tasks.filter((t) => t.status === "completed").length;
    expect(done).toBeLessThan(afterCrash.tasks.length);

    // Killed again while it recovers: the reconciliation itself must survive a crash.
    const second = await start(SLOW);
    for (let i = 0; i < 300 && (await completedCount(second.url)) <= done; i += 1) await new Promise((r) => setTimeout(r, 50));
    second.child.kill("SIGKILL");
    await second.exited;
    expect((await readTaskFile(servers.dataDir)).tasks.length).toBe(afterCrash.tasks.length);

    const third = await start({ HANDLER_WORK_MS: "0", LESSON_FUNCTION: where });
    const tasks = await waitUntilAllCompleted(third.url);
    expect(tasks.map((t) => t.id)).toEqual(expect.arrayContaining(sent.accepted));
    expect(tasks).toHaveLength(afterCrash.tasks.length);
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
  });

  it("refuses to start on a corrupt task file, naming it and the copy it kept, and leaves it as it was", async () => {
    const file = join(servers.dataDir, "tasks.json");
    const broken = '{"version": 1, "nextTaskId": 2, "tasks": [\n    {"id": 1, "title": "half';
    await writeFile(file, broken);
    await expect(start({})).rejects.toThrow(/exited with 1[\s\S]*tasks\.json is not valid JSON[\s\S]*tasks\.json\.corrupt-[\s\S]*fix .* by hand/);
    expect(await readFile(file, "utf8")).toBe(broken);
    const copies = (await readdir(servers.dataDir)).filter((name) => name.startsWith("tasks.json.corrupt-"));
    expect(copies).toHaveLength(1);
    expect(await readFile(join(servers.dataDir, copies[0]!), "utf8")).toBe(broken);
  });
});
