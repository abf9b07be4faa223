import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import type { FlowEventBody, Task, TaskDestination, TaskStatus } from "../../common/events.js";
import type { ClaimResult, TaskStore } from "../../lambda/taskStore.js";
import type { Clock } from "../events/eventLog.js";
import { ChangeReports } from "./changeReports.js";
import { StoreError } from "./errors.js";
import { databaseSchema, TaskFile, type Database } from "./taskFile.js";
import { unreadableTaskFile } from "./unreadableFile.js";
import { clearedLine, entryLine, replay, TaskJournal } from "./taskJournal.js";
import { TaskDisk } from "./taskDisk.js";

export const TASKS_FILE = "tasks.json";
export const JOURNAL_FILE = "tasks.journal.jsonl";

/** The database as read, checked against its schema; a file that is not one stops start-up (a copy is kept). */
async function checked(data: unknown, file: string, now: number): Promise<Database> {
  const parsed = databaseSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unknown shape";
  throw await unreadableTaskFile(file, `does not hold a task database (${where})`, now);
}

export type TaskChange = Extract<FlowEventBody, { type: "task.created" | "task.updated" }>;

interface Lease {
  invocationId: string;
  until: number;
}

/**
 * Tasks in a lowdb JSON file. This process is the file's only writer; lowdb writes through a temp
 * file and a rename, so a crash never leaves half a file. Every change is reported to `onChange`
 * after it is on disk. Leases live in memory: they only guard handlers of this process's lifetime.
 */
export class LowdbTaskStore implements TaskStore {
  private readonly byId = new Map<number, Task>();
  private readonly leases = new Map<number, Lease>();
  private readonly disk: TaskDisk;
  private readonly reports = new ChangeReports();

  private constructor(
    private readonly db: Low<Database>,
    private readonly adapter: TaskFile,
    journal: TaskJournal,
    readonly file: string,
    private readonly onChange: (change: TaskChange) => void,
    private readonly clock: Clock,
  ) {
    for (const task of db.data.tasks) this.byId.set(task.id, task);
    this.disk = new TaskDisk(journal, file, () => db.data.tasks.length, () => adapter.write(db.data));
  }

  static async open(options: { dataDir: string; onChange?: (change: TaskChange) => void; clock?: Clock }): Promise<LowdbTaskStore> {
    const file = join(options.dataDir, TASKS_FILE);
    await mkdir(options.dataDir, { recursive: true });
    const adapter = new TaskFile(file);
    const journal = new TaskJournal(join(options.dataDir, JOURNAL_FILE));
    const db = new Low<Database>(adapter, { version: 1, nextTaskId: 1, tasks: [] });
    const clock = options.clock ?? Date.now;
    let stored: unknown;
    try {
      stored = await adapter.readStored();
    } catch (cause) {
      if (!(cause instanceof SyntaxError)) throw new StoreError(`could not read ${file}: ${String(cause)}`, file, { cause });
      throw await unreadableTaskFile(file, `is not valid JSON (${cause.message})`, clock(), cause);
    }
    // No file yet: a new database. A file holding `null`, `0`, `false` or `""` is not one.
    if (stored !== undefined) db.data = await checked(stored, file, clock());
    // Changes since the last compaction, then folded in, so each run starts with an empty journal.
    const entries = await journal.read(clock());
    if (entries.length > 0) {
      db.data = await checked(replay(db.data, entries), file, clock());
      await db.write();
      journal.discard();
    }
    return new LowdbTaskStore(db, adapter, journal, file, options.onChange ?? (() => {}), clock);
  }

  get(id: number): Task | undefined {
    const task = this.byId.get(id);
    return task && { ...task };
  }

  list(): Task[] {
    return this.db.data.tasks.map((task) => ({ ...task }));
  }

  /** Tasks that are not finished: after a crash, their messages may be gone and must be sent again. */
  unfinished(): Task[] {
    return this.list().filter((task) => task.status === "pending" || task.status === "processing");
  }

  /** Pending tasks whose SendMessage failed: the reconciliation pass sends them. */
  unsent(): Task[] {
    return this.list().filter((task) => task.status === "pending" && task.sendError !== null);
  }

  /** A new pending task; a FIFO destination is recorded on it (queue, group, deduplication id: `task-<id>` unless given). */
  async create(title: string, destination: TaskDestination = { queue: "standard" }): Promise<Task> {
    const now = this.now();
    const id = this.db.data.nextTaskId;
    const fifo: Partial<Task> =
      destination.queue === "fifo" ? { queue: "fifo", messageGroupId: destination.messageGroupId, deduplicationId: destination.deduplicationId ?? `task-${id}` } : {};
    const task: Task = {
      id,
      title,
      status: "pending",
      messageId: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      attempts: 0,
      sendError: null,
      lastError: null,
      ...fifo,
    };
    this.db.data.nextTaskId += 1;
    this.db.data.tasks.push(task);
    this.byId.set(task.id, task);
    this.record(task);
    // The task as created, taken now: by the time the write is durable it may have changed again.
    const copy = { ...task };
    const reported = this.reports.place();
    try {
      await this.disk.persist();
    } catch (error) {
      // Nothing half-written: the task disappears again, but its id stays used (ids never repeat).
      this.db.data.tasks = this.db.data.tasks.filter((t) => t !== task);
      this.byId.delete(task.id);
      reported(null);
      throw error;
    }
    reported(() => this.onChange({ type: "task.created", taskId: copy.id, task: copy }));
    return { ...copy };
  }

  /** Not waited for on disk: if it is lost in a crash, the task is unfinished and is sent again. */
  async markSent(id: number, messageId: string): Promise<Task> {
    return this.update(id, (task) => {
      task.messageId = messageId;
      task.sendError = null;
    }, { durable: false });
  }

  /**
   * SQS kept no message for this task: its send was a duplicate of `original`'s within the
   * deduplication interval. The task can never be processed, so it is `failed` with the reason.
   */
  async markDeduplicated(id: number, original: Task): Promise<Task> {
    return this.update(id, (task) => {
      task.status = "failed";
      task.duplicateOf = original.id;
      task.messageId = original.messageId;
      task.sendError = null;
      task.lastError = `SQS dropped this message: task ${original.id}'s message was sent with the same MessageDeduplicationId (${task.deduplicationId}) less than 5 minutes before`;
    });
  }

  async markSendFailed(id: number, error: string): Promise<Task> {
    return this.update(id, (task) => {
      task.sendError = error;
    });
  }

  async claim(taskId: number, invocationId: string, leaseMs: number): Promise<ClaimResult> {
    const task = this.byId.get(taskId);
    if (!task) return { outcome: "missing" };
    if (task.status === "completed") return { outcome: "done", task: { ...task } };
    if (task.status === "failed") return { outcome: "failed", task: { ...task } };
    const lease = this.leases.get(taskId);
    if (lease && lease.invocationId !== invocationId && lease.until > this.clock()) {
      return { outcome: "busy", task: { ...task } };
    }
    this.leases.set(taskId, { invocationId, until: this.clock() + leaseMs });
    // `processing` need not wait for the disk: after a crash an unfinished task is taken up again from its message (kept by SQS, or sent again).
    const claimed = await this.update(taskId, (t) => {
      t.status = "processing";
      t.attempts += 1;
    }, { durable: false });
    return { outcome: "claimed", task: claimed };
  }

  async complete(taskId: number, invocationId: string): Promise<boolean> {
    if (this.leases.get(taskId)?.invocationId !== invocationId) return false;
    this.leases.delete(taskId);
    await this.update(taskId, (task) => {
      task.status = "completed";
      task.completedAt = this.now();
      task.lastError = null;
    });
    return true;
  }

  async release(taskId: number, invocationId: string, reason: string): Promise<void> {
    if (this.leases.get(taskId)?.invocationId !== invocationId) return;
    this.leases.delete(taskId);
    await this.update(taskId, (task) => {
      task.status = "pending";
      task.lastError = reason;
    }, { durable: false });
  }

  /** The task's message reached the dead-letter queue: nobody will process it unless it is redriven. */
  async markDeadLettered(taskId: number, reason: string): Promise<Task | undefined> {
    const task = this.byId.get(taskId);
    if (!task || task.status === "completed") return undefined;
    this.leases.delete(taskId);
    return this.update(taskId, (t) => {
      t.status = "failed";
      t.lastError = reason;
    });
  }

  /** A failed task's message was redriven from the DLQ: it waits again, under its new message. Any other task is left as it is. */
  async markRedriven(taskId: number, messageId: string): Promise<Task | undefined> {
    const task = this.byId.get(taskId);
    if (task?.status !== "failed") return undefined;
    return this.update(taskId, (t) => {
      t.status = "pending";
      t.messageId = messageId;
      t.lastError = "redriven from the dead-letter queue";
    });
  }

  /** Remove every task ("reset the world"); ids keep counting up, so none is ever reused. */
  async clear(): Promise<void> {
    this.db.data.tasks = [];
    this.byId.clear();
    this.leases.clear();
    this.disk.record(clearedLine(this.db.data.nextTaskId));
    await this.disk.persist();
  }

  /** Resolves when every change so far is in tasks.json (call before exit); the journal is left empty and closed. */
  flush(): Promise<void> {
    return this.disk.flush();
  }

  /**
   * Change a task and report it. Durable changes are reported once in the journal. A non-durable
   * change (a transient state) is reported at once and written with the next append; if that
   * append fails, the next compaction still carries it, since tasks.json holds the whole database.
   */
  private async update(id: number, change: (task: Task) => void, { durable = true } = {}): Promise<Task> {
    const task = this.byId.get(id);
    if (!task) throw new StoreError(`task ${id} does not exist`, this.file);
    const from: TaskStatus = task.status;
    change(task);
    task.updatedAt = this.now();
    this.record(task);
    // The task as this change left it, taken now: while the write waits for the disk, a claim and a
    // completion may change it again, and a redrive's "failed → pending" was reported as "failed →
    // completed" (a completion counted twice).
    const copy = { ...task };
    const reported = this.reports.place();
    if (durable) {
      try {
        await this.disk.persist();
      } catch (error) {
        reported(null);
        throw error;
      }
    } else this.disk.persist().catch(() => {});
    reported(() => this.onChange({ type: "task.updated", taskId: id, from, task: copy }));
    // The caller gets the task as it is now.
    return { ...task };
  }

  /** A task changed: its cached JSON is stale, and its new state is a journal line. */
  private record(task: Task): void {
    this.adapter.changed(task);
    this.disk.record(entryLine(this.db.data.nextTaskId, this.adapter.lineOf(task)));
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }
}
