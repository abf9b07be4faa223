import { StoreError } from "./errors.js";
import type { TaskJournal } from "./taskJournal.js";

/** Below this many tasks, rewriting tasks.json is as cheap as an append: every write does it. */
const SMALL_DATABASE = 100;
/** Otherwise tasks.json is rewritten once the journal holds this many lines per task… */
const JOURNAL_LINES_PER_TASK = 2;
/** …or once changes have stopped for this long, so the file a person reads is current. */
const QUIET_COMPACTION_MS = 1000;

/**
 * How the task store's changes reach the disk: journal lines, appended once per turn of the event
 * loop, and now and then a rewrite of tasks.json that makes the journal lines so far unneeded.
 */
export class TaskDisk {
  /** Journal lines made this turn of the event loop, and the append that will write them. */
  private pendingLines: string[] = [];
  private appending: Promise<void> | undefined;
  /** Lines in the journal since the last compaction began. */
  private journaled = 0;
  private compacting: Promise<void> | undefined;
  private compactAgain = false;
  private quietTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly journal: TaskJournal,
    private readonly file: string,
    private readonly taskCount: () => number,
    /** Rewrite tasks.json; the snapshot must be taken synchronously, when called. */
    private readonly writeFile: () => Promise<void>,
  ) {}

  /** A change's journal line, written by the next `persist`. */
  record(line: string): void {
    this.pendingLines.push(line);
  }

  /**
   * Resolves once the changes recorded so far are on disk. Every change recorded in this turn of
   * the event loop rides on one append at its end (group commit), so a burst costs one small write
   * per turn, not one per change. Below SMALL_DATABASE tasks it also waits for tasks.json to be
   * rewritten, so the file a learner opens always shows the latest change.
   */
  persist(): Promise<void> {
    this.appending ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.appending = undefined;
        try {
          this.appendPending();
        } catch (cause) {
          reject(new StoreError(`could not write ${this.journal.file}: ${String(cause)}`, this.file, { cause }));
          return;
        }
        if (this.taskCount() <= SMALL_DATABASE) this.compact().then(resolve, reject);
        else resolve();
      });
    });
    return this.appending;
  }

  /** Resolves when every change so far is in tasks.json; the journal is left empty and closed. */
  async flush(): Promise<void> {
    clearTimeout(this.quietTimer);
    try {
      this.appendPending();
    } catch {
      // Not lost: the compaction below writes every change, these included, into tasks.json.
      this.pendingLines = [];
    }
    if (this.journaled > 0 || this.compacting) await this.compact();
    this.journal.close();
  }

  /** Append the lines recorded since the last append; compact when the journal has grown long, or once changes stop. */
  private appendPending(): void {
    if (this.pendingLines.length === 0) return;
    this.journal.append(this.pendingLines);
    this.journaled += this.pendingLines.length;
    this.pendingLines = [];
    const tasks = this.taskCount();
    clearTimeout(this.quietTimer);
    if (tasks > SMALL_DATABASE && this.journaled >= tasks * JOURNAL_LINES_PER_TASK) {
      this.compact().catch(() => {});
      return;
    }
    this.quietTimer = setTimeout(() => this.compact().catch(() => {}), QUIET_COMPACTION_MS);
    this.quietTimer.unref();
  }

  /**
   * Rewrite tasks.json with everything, then drop the journal lines it now holds. The journal is
   * rotated first, in the same synchronous step that takes the snapshot, so appends made while
   * tasks.json is being written go to a fresh journal and survive a crash at any point: at start
   * the old lines and the new ones are replayed over tasks.json, oldest first.
   */
  private compact(): Promise<void> {
    if (this.compacting) {
      this.compactAgain = true;
      return this.compacting;
    }
    this.compacting = (async () => {
      try {
        do {
          this.compactAgain = false;
          clearTimeout(this.quietTimer);
          this.journal.rotate();
          this.journaled = 0;
          await this.writeFile();
          this.journal.dropRotated();
        } while (this.compactAgain);
      } catch (cause) {
        throw new StoreError(`could not write ${this.file}: ${String(cause)}`, this.file, { cause });
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }
}
