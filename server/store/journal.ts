import { appendFileSync, closeSync, existsSync, fdatasync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { unreadableFile } from "./unreadableFile.js";

/** Reads one parsed JSON line as an entry, or says what is wrong with it ("task.id: expected number"). */
export type EntryParser<Entry> = (value: unknown) => { entry: Entry } | { problem: string };

/** An EntryParser that checks a line against a zod schema, naming the first problem. */
export function parserOf<Entry>(schema: z.ZodType<Entry>): EntryParser<Entry> {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { entry: parsed.data };
    const issue = parsed.error.issues[0];
    return { problem: issue ? `${issue.path.join(".") || "the line"}: ${issue.message}` : "unknown shape" };
  };
}

/**
 * A write-ahead journal: one JSON line per change, appended, kept beside a file that holds
 * everything up to some point (tasks.json for the task store, sqs.jsonl for the embedded SQS). Its
 * owner folds it into that file now and then (compaction), moving it aside first so that changes
 * made meanwhile go to a fresh journal: at start the moved-aside lines and then the fresh ones are
 * replayed over the file, oldest first, whenever a crash came.
 *
 * Appends are synchronous: a small write to the page cache takes microseconds, while handing it
 * to libuv's thread pool cost ~30× that in CPU (a thread wake-up and a promise per append). Owners
 * batch a turn of the event loop's changes into one append. `sync` (fdatasync) is the owner's
 * choice: without it a change survives the process crashing, with it the machine losing power too.
 */
export class Journal<Entry> {
  /** Kept open between appends: opening and closing the file for each one cost more than the write. */
  private fd: number | undefined;
  /** The lines of a compaction in progress (or of one that failed): the compacted file may not hold them yet. */
  readonly rotatedFile: string;

  /**
   * @param file the journal, e.g. `data/tasks.journal.jsonl`
   * @param parse what a line must be; any other line but a torn last one stops start-up
   * @param lineShape how a line looks, for the error that asks a person to fix one by hand
   */
  constructor(
    readonly file: string,
    private readonly parse: EntryParser<Entry>,
    private readonly lineShape: string,
  ) {
    this.rotatedFile = file.replace(/(\.jsonl)?$/, ".compacting.jsonl");
  }

  /**
   * The entries since the last finished compaction, oldest first.
   * @param now the time, in ms since the epoch, for the name of a bad file's copy
   * @throws StoreError naming the file and line when a line is not an entry (a copy is kept)
   */
  async read(now: number): Promise<Entry[]> {
    return [...(await this.entriesOf(this.rotatedFile, now)), ...(await this.entriesOf(this.file, now))];
  }

  /**
   * A file's entries (the journal's, or a compacted file made of the same lines). A torn last line
   * (a crash in mid-append) was never acknowledged: it is dropped. Any other line that is not an
   * entry (not JSON, or JSON of another shape: `{}`, `5`, `null`) stops start-up: replaying past it
   * would lose or invent changes.
   * @throws StoreError naming the file and line (a copy of the file is kept)
   */
  async entriesOf(file: string, now: number): Promise<Entry[]> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    const entries: Entry[] = [];
    const unusable = (i: number, problem: string, cause?: unknown) =>
      unreadableFile(
        file,
        `line ${i + 1} ${problem}`,
        `fix that line by hand (each line is ${this.lineShape}) and start again, or move ${file} aside to start without the changes it holds`,
        now,
        cause,
      );
    for (const [i, line] of lines.entries()) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        if (i === lines.length - 1 && !text.endsWith("\n")) break;
        throw await unusable(i, "is not valid JSON", cause);
      }
      const parsed = this.parse(value);
      if ("problem" in parsed) throw await unusable(i, `is not a journal entry (${parsed.problem})`);
      entries.push(parsed.entry);
    }
    return entries;
  }

  /** Lines, each ending in "\n", in order, in one write. */
  append(lines: string[]): void {
    const text = Buffer.from(lines.join(""));
    // Opened for appending: every write lands at the end.
    this.fd ??= openSync(this.file, "a");
    let done = 0;
    while (done < text.length) done += writeSync(this.fd, text, done, text.length - done);
  }

  /**
   * Resolves once every line appended so far is on the disk itself (fdatasync, in the thread pool,
   * so the event loop goes on meanwhile). Do not `rotate` or `close` until it settles.
   */
  sync(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  /**
   * A compaction starts: the lines so far move aside, later appends start a fresh journal, and
   * the moved lines stay until `dropRotated` (the compacted file holds them by then). If an earlier
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

  /** The compacted file now holds everything the rotated lines said. */
  dropRotated(): void {
    rmSync(this.rotatedFile, { force: true });
  }

  /** Both files gone: the compacted file holds everything (at start, after the replay). */
  discard(): void {
    this.close();
    rmSync(this.file, { force: true });
    this.dropRotated();
  }

  /** Let go of the file (flushed for good, or about to be dropped). */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}
