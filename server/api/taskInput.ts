import { z } from "zod";
import { ApiError } from "./errors.js";

/** Documented limits (README): a title is 1–200 characters after trimming; a body at most 16 KiB. */
export const TITLE_MAX_LENGTH = 200;
export const BODY_LIMIT_BYTES = 16 * 1024;

// SQS accepts #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD and astral characters. A title is one line,
// so control characters are refused too; lone surrogates are caught by isWellFormed below.
const FORBIDDEN = /[\u0000-\u001F\u007F\uFFFE\uFFFF]/u;

const createTaskSchema = z.strictObject(
  {
    title: z
      .string({ error: (issue) => (issue.input === undefined ? "title is required" : "title must be a string") })
      .trim()
      .min(1, "title must not be blank")
      .max(TITLE_MAX_LENGTH, `title must be at most ${TITLE_MAX_LENGTH} characters`)
      .refine((title) => title.isWellFormed() && !FORBIDDEN.test(title), "title contains characters that are not allowed (control characters or invalid Unicode)"),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : undefined) },
);

export type CreateTaskInput = z.infer<typeof createTaskSchema>;

export function parseCreateTask(body: unknown): CreateTaskInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "InvalidBody", 'the request body must be a JSON object like {"title": "Test Task"}');
  }
  const result = createTaskSchema.safeParse(body);
  if (!result.success) {
    throw new ApiError(400, "InvalidTask", result.error.issues.map((issue) => issue.message).join("; "));
  }
  return result.data;
}

export function parseTaskId(raw: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new ApiError(400, "InvalidTaskId", `task id must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}
