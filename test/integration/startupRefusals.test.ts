import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LOCK_FILE, processIdentity } from "../../server/store/dataDirLock.js";
import { serversPerTest, spawnServer } from "../helpers/process.js";

// The real server process (the bundle `npm start` runs), as a learner starts it.
const servers = serversPerTest();
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** What the process printed before it exited without starting. */
async function refusedStart(env: Record<string, string>): Promise<string> {
  const error = await spawnServer(env).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toMatch(/^server exited with 1 before starting:/);
  return error?.message ?? "";
}

const STACK_LINE = /\n\s+at /;

// Two real server processes start in each test: on a loaded machine that took longer than 30 s.
describe("two servers on one DATA_DIR", { timeout: 90_000 }, () => {
  it("refuses the second, naming the first's pid, start time and address", async () => {
    const first = await servers.start({ TRIGGER_ENABLED: "false" });
    const output = await refusedStart({ DATA_DIR: servers.dataDir, TRIGGER_ENABLED: "false" });
    expect(output).toContain(`another playground is using DATA_DIR ${servers.dataDir}: pid ${first.child.pid}, started 20`);
    expect(output).toContain(`at ${first.url}`);
    expect(output).toMatch(/stop that one first, or set DATA_DIR to another folder/);
    expect(output).not.toMatch(STACK_LINE);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  });

  it("lets a new server start after the first was killed with kill -9 (the lock it left is stale)", async () => {
    const first = await servers.start({ TRIGGER_ENABLED: "false" });
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await servers.start({ TRIGGER_ENABLED: "false" });
    expect((await fetch(`${second.url}/health`)).status).toBe(200);
  });

  it("removes its lock when it stops cleanly", async () => {
    const first = await servers.start({ TRIGGER_ENABLED: "false" });
    await expect(readFile(join(servers.dataDir, LOCK_FILE), "utf8")).resolves.toContain(`"pid":${first.child.pid}`);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    await expect(readFile(join(servers.dataDir, LOCK_FILE), "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("takes over a lock whose pid now belongs to another process (pid reuse)", async () => {
    // This test runner's pid is alive, but it is not the process that wrote this lock.
    const lock = { pid: process.pid, startedAt: "2020-01-01T00:00:00.000Z", identity: "not-this-process", host: hostname(), nonce: "0123456789abcdef" };
    await writeFile(join(servers.dataDir, LOCK_FILE), JSON.stringify(lock));
    const server = await servers.start({ TRIGGER_ENABLED: "false" });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it("refuses while the lock's process still runs, even when it is no playground at all", async () => {
    const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      const pid = sleeper.pid ?? 0;
      const lock = { pid, startedAt: "2026-12-01T00:00:00.000Z", identity: processIdentity(pid), host: hostname(), nonce: "fedcba9876543210" };
      await writeFile(join(servers.dataDir, LOCK_FILE), JSON.stringify(lock));
      const output = await refusedStart({ DATA_DIR: servers.dataDir, TRIGGER_ENABLED: "false" });
      expect(output).toContain(`pid ${pid}, started 2026-12-01T00:00:00.000Z`);
    } finally {
      sleeper.kill("SIGKILL");
    }
  });
});

describe("a refused start-up says what is wrong in one line, never with a stack trace", () => {
  it("names a broken lesson's file, line and reason", async () => {
    const dir = await mkdtemp(join(tmpdir(), "qfp-lessons-"));
    dirs.push(dir);
    await writeFile(join(dir, "01-broken.md"), '---\nid: broken\ntitle: T\ngoal: G\n---\n## S\n```check\n{"expect": "nothing.here", "equals": 1}\n```\n');
    const output = await refusedStart({ DATA_DIR: servers.dataDir, LESSONS_DIR: dir });
    expect(output).toMatch(/01-broken\.md:7: check block: unknown state "nothing\.here"/);
    expect(output).not.toMatch(STACK_LINE);
  });

  it("names a journal line that is JSON but not an entry, and keeps a copy", async () => {
    await writeFile(join(servers.dataDir, "tasks.journal.jsonl"), "{}\n");
    const output = await refusedStart({ DATA_DIR: servers.dataDir });
    expect(output).toContain(`${join(servers.dataDir, "tasks.journal.jsonl")} line 1 is not a journal entry`);
    expect(output).toContain("tasks.journal.jsonl.corrupt-");
    expect(output).not.toMatch(STACK_LINE);
  });
});

describe("CONTAINER=true bound beyond loopback", () => {
  it("warns at start-up that control actions need no token there", async () => {
    const server = await servers.start({ CONTAINER: "true", HOST: "0.0.0.0", TRIGGER_ENABLED: "false" });
    await expect.poll(() => server.output()).toMatch(/warning: CONTAINER=true: bound to 0\.0\.0\.0 with no presenter token/);
  });
});
