import { close, ftruncate, open, write } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import type { Task } from "../../common/events.js";
import { StoreError } from "./errors.js";
import type { Database } from "./taskFile.js";

/** One line of the journal: a task as it now stands, or every task removed ("reset the world"). */
type JournalEntry = { nextTaskId: number; task: Task } | { nextTaskId: number; cleared: true };

/**
 * The task database's write-ahead journal: one JSON line per change, appended. Rewriting the whole
 * tasks.json for every change cost more the more tasks there were (10,000 tasks made each write
 * tens of milliseconds, and a burst waits on them); an append costs the same at any size. The
 * store folds the journal back into tasks.json now and then (compaction), and at every start.
 */
export class TaskJournal {
  /** Kept open between appends: opening and closing the file for each one cost more than the write. */
  private fd: number | undefined;

  constructor(readonly file: string) {}

  /** The entries since the last compaction. A torn last line (a crash in mid-append) was never acknowledged: it is dropped. */
  async read(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    const entries: JournalEntry[] = [];
    for (const [i, line] of lines.entries()) {
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch (cause) {
        if (i === lines.length - 1 && !text.endsWith("\n")) break;
        throw new StoreError(`${this.file} line ${i + 1} is not valid JSON; fix it or move it aside`, this.file, { cause });
      }
    }
    return entries;
  }

  /** Lines made by `entryLine`/`clearedLine`, in order, in one write. */
  async append(lines: string[]): Promise<void> {
    const text = Buffer.from(lines.join(""));
    // Opened for appending: every write lands at the end, also after the file is emptied.
    this.fd ??= await promisify(open)(this.file, "a");
    let done = 0;
    while (done < text.length) done += (await promisify(write)(this.fd, text, done, text.length - done)).bytesWritten;
  }

  /** Empty the journal: everything in it is now in tasks.json. */
  async clear(): Promise<void> {
    this.fd ??= await promisify(open)(this.file, "a");
    await promisify(ftruncate)(this.fd, 0);
  }

  /** Let go of the file (the store is flushed for good, or about to be dropped). */
  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await promisify(close)(fd);
  }
}

/** A journal line for a task whose JSON is already made (the task file caches it). */
export const entryLine = (nextTaskId: number, taskJson: string): string => `{"nextTaskId":${nextTaskId},"task":${taskJson}}\n`;
export const clearedLine = (nextTaskId: number): string => `{"nextTaskId":${nextTaskId},"cleared":true}\n`;

/** Apply journal entries, oldest first, to the database read from tasks.json. */
export function replay(data: Database, entries: JournalEntry[]): Database {
  const tasks = [...data.tasks];
  const index = new Map(tasks.map((task, i) => [task.id, i]));
  let nextTaskId = data.nextTaskId;
  for (const entry of entries) {
    nextTaskId = Math.max(nextTaskId, entry.nextTaskId);
    if ("cleared" in entry) {
      tasks.length = 0;
      index.clear();
      continue;
    }
    const at = index.get(entry.task.id);
    if (at === undefined) index.set(entry.task.id, tasks.push(entry.task) - 1);
    else tasks[at] = entry.task;
  }
  return { ...data, nextTaskId, tasks };
}
