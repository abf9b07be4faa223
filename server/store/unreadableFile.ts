import { copyFile, readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { StoreError } from "./errors.js";

/**
 * The task file exists but cannot be used: not JSON (a crash of some other writer, a bad hand
 * edit) or not a task database. Starting empty would silently drop every task, so the server
 * refuses to start instead, keeps a copy of the file as it was (in case whatever the user does
 * next overwrites it), and says how to go on.
 */
export function unreadableTaskFile(file: string, problem: string, now: number, cause?: unknown): Promise<StoreError> {
  return unreadableFile(file, problem, `fix ${file} by hand (one task per line) and start again, or move it away to start with no tasks`, now, cause);
}

/**
 * A data file that cannot be used (the task file, or a journal of its recent changes): the error
 * that stops start-up, naming the file, what is wrong and how to go on, after keeping a copy.
 * @param problem what is wrong, after the file's name ("line 3 is not a journal entry (…)")
 * @param howToGoOn what the user can do, after "To go on: "
 * @param now the time for the copy's name, in ms since the epoch
 */
export async function unreadableFile(file: string, problem: string, howToGoOn: string, now: number, cause?: unknown): Promise<StoreError> {
  let kept: string;
  try {
    kept = await keepCopy(file, now);
  } catch (error) {
    kept = `no copy could be made (${String(error)}); copy it yourself before changing it`;
  }
  const message = `${file} ${problem}. Nothing was changed or reset; a copy of the file as it was is kept at ${kept}. To go on: ${howToGoOn}.`;
  return new StoreError(message, file, cause === undefined ? undefined : { cause });
}

/** `<file>.corrupt-<time>`, unless an identical copy is already there (every failed start would add one). */
async function keepCopy(file: string, now: number): Promise<string> {
  const content = await readFile(file);
  const prefix = `${basename(file)}.corrupt-`;
  for (const name of (await readdir(dirname(file))).filter((n) => n.startsWith(prefix)).sort()) {
    const earlier = join(dirname(file), name);
    if (content.equals(await readFile(earlier))) return earlier;
  }
  const copy = join(dirname(file), `${prefix}${new Date(now).toISOString().replace(/[:.]/g, "-")}`);
  await copyFile(file, copy);
  return copy;
}
