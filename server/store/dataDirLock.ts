import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { StoreError } from "./errors.js";

export const LOCK_FILE = "playground.lock";

/** What the lock file says about the process holding the data folder. */
interface Holder {
  pid: number;
  /** When that process started (ISO 8601), for the person reading the refusal. */
  startedAt: string;
  /** The OS's own record of when that process started: a pid reused by a later process has another. */
  identity: string | null;
  host: string;
  /** Its playground's address, once it listens. */
  url?: string;
  /** Tells this lock apart from any other, even one of the same process. */
  nonce: string;
}

export interface DataDirLock {
  readonly file: string;
  /** Record the playground's address in the lock, so a second start can name it. */
  listening(url: string): void;
  /** Remove the lock, if it is still this one (the playground stopped). */
  release(): void;
}

/**
 * When the OS says process `pid` started: /proc's start time in clock ticks since boot on Linux,
 * `ps -o lstart=` elsewhere. Null when there is no such process (or no way to tell).
 */
export function processIdentity(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && process.platform === "linux") return null;
  }
  try {
    return execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Make `file` hold the draft's content, failing with EEXIST if it exists. A hard link does it in
 * one step (no reader ever sees an empty lock); a folder that has no hard links (some network or
 * container mounts) gets an exclusive create and a write instead.
 */
function createFrom(draft: string, file: string): void {
  try {
    linkSync(draft, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw error;
    writeFileSync(file, readFileSync(draft), { flag: "wx", mode: 0o644 });
  }
}

function readHolder(file: string): Holder | null {
  try {
    const holder = JSON.parse(readFileSync(file, "utf8")) as Partial<Holder>;
    return typeof holder.pid === "number" && typeof holder.nonce === "string" ? (holder as Holder) : null;
  } catch {
    return null;
  }
}

/** Whether the holder is a process that still runs: its pid, and the same process behind that pid. */
function alive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  if (!isRunning(holder.pid)) return false;
  // When either start record is unknown (no /proc, no ps, another user's hidden process), the
  // running pid is taken for the holder: refusing wrongly says so; taking over wrongly loses tasks.
  const now = processIdentity(holder.pid);
  return holder.identity === null || now === null || now === holder.identity;
}

function refusal(file: string, dataDir: string, holder: Holder): StoreError {
  const where = holder.url ? ` at ${holder.url}` : "";
  const otherHost = holder.host !== hostname() ? ` on host ${holder.host} (if it is gone, delete ${file})` : "";
  return new StoreError(
    `another playground is using DATA_DIR ${dataDir}: pid ${holder.pid}, started ${holder.startedAt}${where}${otherHost}. ` +
      `Two servers on one data folder would hand out the same task ids and overwrite each other's tasks: stop that one first, or set DATA_DIR to another folder.`,
    file,
  );
}

/**
 * Take the data folder for this process, or refuse: one playground per DATA_DIR. The lock is a
 * file made atomically (a hard link, or an exclusive create, that fails if the name exists) holding the holder's pid, when
 * it started and the OS's record of its start. A lock whose process is gone (a kill -9, a crash)
 * or whose pid now belongs to a later process is stale and taken over, so a crash never leaves
 * the folder stuck. This same process may take its own lock again (tests restart in-process).
 * @throws StoreError naming the other process (pid, start time, address) when it still runs
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  try {
    return takeLock(dataDir, file);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`could not take ${file} (one playground per DATA_DIR): ${String(error)}`, file, { cause: error });
  }
}

function takeLock(dataDir: string, file: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const mine: Holder = {
    pid: process.pid,
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    identity: processIdentity(process.pid),
    host: hostname(),
    nonce: randomBytes(8).toString("hex"),
  };
  const write = (path: string) => writeFileSync(path, `${JSON.stringify(mine)}\n`, { mode: 0o644 });
  const draft = join(dataDir, `.${LOCK_FILE}.${process.pid}.${mine.nonce}`);
  write(draft);
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        createFrom(draft, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 3) throw error;
      }
      const holder = readHolder(file);
      const ours = holder?.pid === process.pid && holder.identity === mine.identity && holder.host === mine.host;
      if (holder && !ours && alive(holder)) throw refusal(file, resolve(dataDir), holder);
      // Stale (or unreadable, or ours): remove it only if it is still the one just judged.
      const now = readHolder(file);
      if (now?.nonce === holder?.nonce) rmSync(file, { force: true });
    }
  } finally {
    rmSync(draft, { force: true });
  }
  return {
    file,
    listening: (url) => {
      if (readHolder(file)?.nonce !== mine.nonce) return;
      mine.url = url;
      // A new file renamed over the lock: a second start reading it never sees half of it.
      write(draft);
      renameSync(draft, file);
    },
    release: () => {
      if (readHolder(file)?.nonce === mine.nonce) rmSync(file, { force: true });
    },
  };
}
