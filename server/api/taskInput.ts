import { z } from "zod";
import type { TaskDestination } from "../../common/events.js";
import { FIFO_ID } from "../../common/fifo.js";
import { ApiError } from "./errors.js";

/** Documented limits (README): a title is 1–200 characters after trimming; a body at most 16 KiB. */
export const TITLE_MAX_LENGTH = 200;
export const BODY_LIMIT_BYTES = 16 * 1024;

// SQS accepts #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD and astral characters. A title is one line,
// so control characters are refused too; lone surrogates are caught by isWellFormed below.
const FORBIDDEN = /[\u0000-\u001F\u007F\uFFFE\uFFFF]/u;

const fifoId = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .regex(FIFO_ID, `${name} must be 1 to 128 characters, each a letter, a digit or ASCII punctuation (no spaces), as SQS requires`);

const createTaskSchema = z.strictObject(
  {
    queue: z.enum(["standard", "fifo"], { error: 'queue must be "standard" or "fifo"' }).optional(),
    messageGroupId: fifoId("messageGroupId").optional(),
    deduplicationId: fifoId("deduplicationId").optional(),
    title: z
      .string({ error: (issue) => (issue.input === undefined ? "title is required" : "title must be a string") })
      .trim()
      .min(1, "title must not be blank")
      .max(TITLE_MAX_LENGTH, `title must be at most ${TITLE_MAX_LENGTH} characters`)
      .refine((title) => title.isWellFormed() && !FORBIDDEN.test(title), "title contains characters that are not allowed (control characters or invalid Unicode)"),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : undefined) },
);

export interface CreateTaskInput {
  title: string;
  destination: TaskDestination;
}

/**
 * The body of POST /tasks: `{"title"}` for the standard queue, or `{"title", "queue": "fifo",
 * "messageGroupId", "deduplicationId"?}` for the FIFO queue. Raises ApiError 400 naming every
 * problem; nothing is created then.
 */
export function parseCreateTask(body: unknown): CreateTaskInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "InvalidBody", 'the request body must be a JSON object like {"title": "Test Task"}');
  }
  const result = createTaskSchema.safeParse(body);
  if (!result.success) {
    throw new ApiError(400, "InvalidTask", result.error.issues.map((issue) => issue.message).join("; "));
  }
  const { title, queue, messageGroupId, deduplicationId } = result.data;
  if (queue !== "fifo") {
    const fifoOnly = [messageGroupId !== undefined && "messageGroupId", deduplicationId !== undefined && "deduplicationId"].filter(Boolean);
    if (fifoOnly.length > 0) throw new ApiError(400, "InvalidTask", `${fifoOnly.join(" and ")} only go with "queue": "fifo" (a standard queue has no message groups)`);
    return { title, destination: { queue: "standard" } };
  }
  if (messageGroupId === undefined) {
    throw new ApiError(400, "InvalidTask", 'messageGroupId is required with "queue": "fifo": SQS needs a MessageGroupId for every FIFO message (e.g. the customer the task is for)');
  }
  return { title, destination: { queue: "fifo", messageGroupId, ...(deduplicationId !== undefined ? { deduplicationId } : {}) } };
}

export function parseTaskId(raw: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new ApiError(400, "InvalidTaskId", `task id must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}
