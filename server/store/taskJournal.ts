import { z } from "zod";
import { taskSchema, type Database } from "./taskFile.js";
import { Journal, parserOf } from "./journal.js";

/** One line of the journal: a task as it now stands, or every task removed ("reset the world"). */
const journalEntrySchema = z.union([
  z.strictObject({ nextTaskId: z.number().int().positive(), task: taskSchema }),
  z.strictObject({ nextTaskId: z.number().int().positive(), cleared: z.literal(true) }),
]);
type JournalEntry = z.infer<typeof journalEntrySchema>;

/** How a task journal line looks, for the error that asks a person to fix one by hand. */
const LINE_SHAPE = `{"nextTaskId": n, "task": {…}} or {"nextTaskId": n, "cleared": true}`;

/**
 * The task database's write-ahead journal (see Journal): one line per change, a task as it now
 * stands. Rewriting the whole tasks.json for every change cost more the more tasks there were
 * (10,000 tasks made each write tens of milliseconds, and a burst waits on them); an append costs
 * the same at any size. The store never calls `sync`: its changes survive the process crashing,
 * not the machine losing power.
 */
export class TaskJournal extends Journal<JournalEntry> {
  constructor(file: string) {
    super(file, parserOf(journalEntrySchema), LINE_SHAPE);
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
