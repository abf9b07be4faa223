import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../server/store/errors.js";
import { LOCK_FILE, lockDataDir } from "../../server/store/dataDirLock.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeDataDir();
});
afterEach(() => removeDataDir(dataDir));

const lockFile = () => join(dataDir, LOCK_FILE);
const holder = () => JSON.parse(readFileSync(lockFile(), "utf8")) as { pid: number; url?: string; nonce: string };

describe("the data folder's lock", () => {
  it("records this process's pid, and its address once it listens", () => {
    const lock = lockDataDir(dataDir);
    expect(holder().pid).toBe(process.pid);
    lock.listening("http://localhost:8123");
    expect(holder().url).toBe("http://localhost:8123");
  });

  it("refuses a lock held on another host, saying how to clear it once that server is gone", () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: 1, startedAt: "2026-12-01T00:00:00.000Z", identity: "1", host: "another-machine", nonce: "0011223344556677" }));
    expect(() => lockDataDir(dataDir)).toThrow(StoreError);
    expect(() => lockDataDir(dataDir)).toThrow(`on host another-machine (if it is gone, delete ${lockFile()})`);
  });

  it("takes over a lock file that is not a lock (garbage, a hand edit)", () => {
    writeFileSync(lockFile(), "not json");
    lockDataDir(dataDir);
    expect(holder().pid).toBe(process.pid);
  });

  it("lets this same process take it again, and only the newer one's release removes it", () => {
    const first = lockDataDir(dataDir);
    const second = lockDataDir(dataDir);
    first.release();
    expect(holder().pid).toBe(process.pid);
    second.release();
    expect(() => readFileSync(lockFile())).toThrow(/ENOENT/);
  });
});
