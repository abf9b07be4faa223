import type { TaskMessageBody } from "./events.js";

export type ParsedTaskMessage = { ok: true; message: TaskMessageBody } | { ok: false; reason: string };

/**
 * The message body the API sends for a task. SQS accepts #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD
 * #x10000–#x10FFFF in a body (SendMessage, API reference); JSON.stringify already escapes control
 * characters and lone surrogates, and U+FFFE / U+FFFF are escaped here, so any title sends.
 */
export function formatTaskMessage(message: TaskMessageBody): string {
  const escape = (char: string) => [...Array(char.length).keys()].map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");
  return JSON.stringify(message).replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, escape);
}

/** Read a queue message body as the API writes it: `{"task_id": <positive int>, "title": "<string>"}`. */
export function parseTaskMessage(body: string): ParsedTaskMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "body is not a JSON object" };
  }
  const { task_id: taskId, title } = value as Record<string, unknown>;
  if (typeof taskId !== "number" || !Number.isSafeInteger(taskId) || taskId < 1) {
    return { ok: false, reason: "task_id is not a positive integer" };
  }
  if (typeof title !== "string") return { ok: false, reason: "title is not a string" };
  return { ok: true, message: { task_id: taskId, title } };
}

/** The task a message body names, if any; for labelling events, never for processing. */
export function taskIdOf(body: string): number | null {
  try {
    const value: unknown = JSON.parse(body);
    const taskId = typeof value === "object" && value !== null ? (value as Record<string, unknown>).task_id : undefined;
    return typeof taskId === "number" && Number.isSafeInteger(taskId) && taskId > 0 ? taskId : null;
  } catch {
    return null;
  }
}
