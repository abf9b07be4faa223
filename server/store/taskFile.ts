import type { Adapter } from "lowdb";
import { z } from "zod";
import { TextFile } from "lowdb/node";
import type { Task } from "../../common/events.js";

/** The task file's shape; the store checks a file against it when it opens one. */
export const taskSchema = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  status: z.enum(["pending", "processing", "completed", "failed"]),
  messageId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  sendError: z.string().nullable(),
  lastError: z.string().nullable(),
  queue: z.literal("fifo").optional(),
  messageGroupId: z.string().optional(),
  deduplicationId: z.string().optional(),
  duplicateOf: z.number().int().positive().optional(),
});

export const databaseSchema = z
  .object({
    version: z.literal(1),
    // Kept apart from the tasks so ids stay monotonic across restarts, even if tasks are removed.
    nextTaskId: z.number().int().positive(),
    tasks: z.array(taskSchema),
  })
  // What a hand edit can break that the shape alone does not show: ids must stay unique.
  .superRefine((db, ctx) => {
    const seen = new Set<number>();
    for (const [i, task] of db.tasks.entries()) {
      if (seen.has(task.id)) ctx.addIssue({ code: "custom", path: ["tasks", i, "id"], message: `task id ${task.id} appears twice` });
      seen.add(task.id);
      if (task.id >= db.nextTaskId) {
        ctx.addIssue({ code: "custom", path: ["nextTaskId"], message: `must be above every task id (task ${task.id} is there; ${task.id + 1} or more would do)` });
      }
    }
  });
export type Database = z.infer<typeof databaseSchema>;


/**
 * A lowdb adapter for the task database: the same atomic write as lowdb's own files (a temp file,
 * then a rename), but each task's JSON is kept between writes and redone only for tasks marked
 * changed. JSON.stringify of the whole database on every write blocked the event loop for
 * milliseconds per write at a few thousand tasks; this makes a write cost about one join.
 * The file holds one task per line: valid JSON, easy to read, to diff and to fix by hand.
 */
export class TaskFile implements Adapter<Database> {
  private readonly text: TextFile;
  private readonly lines = new WeakMap<Task, string>();

  constructor(readonly filename: string) {
    this.text = new TextFile(filename);
  }

  async read(): Promise<Database | null> {
    const stored = await this.readStored();
    return stored === undefined ? null : (stored as Database);
  }

  /**
   * The file's JSON as it is, unchecked; undefined only when there is no file. lowdb's own read
   * takes any falsy value (`null`, `0`, `false`, `""`) for "no file" and starts empty, which would
   * then overwrite the file: the store checks this value itself instead.
   * @throws SyntaxError when the file is not JSON
   */
  async readStored(): Promise<unknown> {
    const content = await this.text.read();
    return content === null ? undefined : (JSON.parse(content) as unknown);
  }

  /** Forget a task's cached line: call after every change to it. */
  changed(task: Task): void {
    this.lines.delete(task);
  }

  /** The task's JSON, made once per change and shared by the journal and the next full write. */
  lineOf(task: Task): string {
    let line = this.lines.get(task);
    if (line === undefined) this.lines.set(task, (line = JSON.stringify(task)));
    return line;
  }

  write(data: Database): Promise<void> {
    const tasks = data.tasks.map((task) => `    ${this.lineOf(task)}`);
    const body = tasks.length > 0 ? `[\n${tasks.join(",\n")}\n  ]` : "[]";
    return this.text.write(`{\n  "version": ${data.version},\n  "nextTaskId": ${data.nextTaskId},\n  "tasks": ${body}\n}\n`);
  }
}
