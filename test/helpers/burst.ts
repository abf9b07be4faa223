import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { JOURNAL_FILE, TASKS_FILE } from "../../server/store/lowdbTaskStore.js";
import { replay, TaskJournal } from "../../server/store/taskJournal.js";
import type { Database } from "../../server/store/taskFile.js";
import type { Task } from "../../common/events.js";

/** What became of each POST /tasks of a burst. */
export interface BurstResult {
  /** Tasks answered 201 or 202: the API took them, so they must complete. */
  accepted: number[];
  /** Other answers, by status, with their JSON error codes. */
  refused: { status: number; code: string | undefined }[];
  /** Requests that got no answer (connection refused or cut). */
  unanswered: number;
}

export const postTask = (url: string, title: string) =>
  fetch(`${url}/tasks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });

/**
 * Post tasks from `workers` clients at once until `count` are sent or `stop()` says so; a request
 * that gets no answer (the server is gone) ends its worker, since the next would fare no better.
 */
export async function burst(url: string, options: { count: number; workers: number; onAccepted?: (accepted: number) => void; stop?: () => boolean }): Promise<BurstResult> {
  const result: BurstResult = { accepted: [], refused: [], unanswered: 0 };
  let next = 0;
  const worker = async () => {
    while (next < options.count && !options.stop?.()) {
      const n = next++;
      let response: Response;
      try {
        response = await postTask(url, `burst ${n}`);
      } catch {
        result.unanswered += 1;
        return;
      }
      const body = (await response.json().catch(() => ({}))) as Partial<Task> & { error?: { code?: string } };
      if ((response.status === 201 || response.status === 202) && typeof body.id === "number") {
        result.accepted.push(body.id);
        options.onAccepted?.(result.accepted.length);
      } else {
        result.refused.push({ status: response.status, code: body.error?.code });
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  return result;
}

/** The task file as the server left it; JSON.parse throws if it is not whole. */
/**
 * What is on disk, read as the store reads it at start, without writing anything: tasks.json
 * (which must parse: it is never left half-written) with the journal's later changes folded in.
 */
export async function readTaskFile(dataDir: string): Promise<{ nextTaskId: number; tasks: Task[] }> {
  const file = JSON.parse(await readFile(join(dataDir, TASKS_FILE), "utf8")) as Database;
  return replay(file, await new TaskJournal(join(dataDir, JOURNAL_FILE)).read(Date.now()));
}

/** Poll GET /tasks until every task is completed (no fixed sleeps: a slow machine just takes longer). */
export async function waitUntilAllCompleted(url: string, timeoutMs = 60_000): Promise<Task[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tasks = (await (await fetch(`${url}/tasks`)).json()) as Task[];
    if (tasks.every((t) => t.status === "completed")) return tasks;
    if (Date.now() > deadline) {
      const open = tasks.filter((t) => t.status !== "completed").map((t) => `${t.id}:${t.status}`);
      throw new Error(`not all completed within ${timeoutMs} ms: ${open.slice(0, 20).join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
