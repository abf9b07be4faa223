import { appendFileSync, closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
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
 *
 * Appends are synchronous: a small write to the page cache takes microseconds, while handing it
 * to libuv's thread pool cost ~30× that in CPU (a thread wake-up and a promise per append) and
 * was the largest single cost of a POST /tasks in a burst. The store batches a turn of the
 * event loop's changes into one append. Neither way calls fsync: both survive the process
 * crashing, not the machine losing power.
 */
export class TaskJournal {
  /** Kept open between appends: opening and closing the file for each one cost more than the write. */
  private fd: number | undefined;
  /** The lines of a compaction in progress (or of one that failed): tasks.json may not hold them yet. */
  readonly rotatedFile: string;

  constructor(readonly file: string) {
    this.rotatedFile = file.replace(/(\.jsonl)?$/, ".compacting.jsonl");
  }

  /** The entries since the last finished compaction, oldest first. */
  async read(): Promise<JournalEntry[]> {
    return [...(await entriesOf(this.rotatedFile)), ...(await entriesOf(this.file))];
  }

  /** Lines made by `entryLine`/`clearedLine`, in order, in one write. */
  append(lines: string[]): void {
    const text = Buffer.from(lines.join(""));
    // Opened for appending: every write lands at the end.
    this.fd ??= openSync(this.file, "a");
    let done = 0;
    while (done < text.length) done += writeSync(this.fd, text, done, text.length - done);
  }

  /**
   * A compaction starts: the lines so far move aside, later appends start a fresh journal, and
   * the moved lines stay until `dropRotated` (tasks.json holds them by then). If an earlier
   * compaction failed, its lines are still there: these join them, in order.
   */
  rotate(): void {
    this.close();
    if (!existsSync(this.file)) return;
    if (existsSync(this.rotatedFile)) {
      appendFileSync(this.rotatedFile, readFileSync(this.file));
      unlinkSync(this.file);
    } else {
      renameSync(this.file, this.rotatedFile);
    }
  }

  /** tasks.json now holds everything the rotated lines said. */
  dropRotated(): void {
    rmSync(this.rotatedFile, { force: true });
  }

  /** Both files gone: tasks.json holds everything (at start, after the replay). */
  discard(): void {
    this.close();
    rmSync(this.file, { force: true });
    this.dropRotated();
  }

  /** Let go of the file (the store is flushed for good, or about to be dropped). */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}

/** A journal file's entries. A torn last line (a crash in mid-append) was never acknowledged: it is dropped. */
async function entriesOf(file: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
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
      throw new StoreError(`${file} line ${i + 1} is not valid JSON; fix it or move it aside`, file, { cause });
    }
  }
  return entries;
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
