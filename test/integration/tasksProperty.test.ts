import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { playgroundPerFile } from "../helpers/playground.js";

// The trigger is off: tasks stay as created, so every change seen here is the request's own.
const playground = playgroundPerFile({ TRIGGER_ENABLED: "false" });

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const title = fc.oneof(fc.string({ unit: codeUnit, maxLength: 220 }), fc.string({ unit: "binary", maxLength: 220 }), fc.string({ maxLength: 30 }).map((s) => `  ${s}  `), fc.jsonValue());
const body = fc.oneof(
  fc.record({ title }).map((value) => JSON.stringify(value)),
  fc.record({ title, extra: fc.jsonValue() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: "binary" }),
);

/** One line of characters SQS accepts (README's limits), said independently of the server's code. */
function acceptable(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 200 || !trimmed.isWellFormed()) return false;
  return [...trimmed].every((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code >= 0x20 && code !== 0x7f && code !== 0xfffe && code !== 0xffff;
  });
}

/** The answer the README promises for a body: 201 with the task, or which 4xx. */
function expected(text: string): number {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 400;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return 400;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "title" && acceptable((value as { title: unknown }).title) ? 201 : 400;
}

describe("POST /tasks with any body (property-based)", () => {
  it("creates exactly one task for a valid body, and answers anything else with a 4xx JSON error and no change", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const tasksBefore = playground().store.list().length;
        const seq = playground().events.lastSeq;
        const response = await playground().post("/tasks", text);
        const answer = (await response.json()) as Task & { error?: { code: string; message: string } };
        expect(response.status).toBe(expected(text));
        if (response.status === 201) {
          expect(answer.title).toBe(((JSON.parse(text) as { title: string }).title).trim());
          expect(playground().store.list()).toHaveLength(tasksBefore + 1);
          expect(playground().store.get(answer.id)).toMatchObject({ id: answer.id, title: answer.title });
        } else {
          expect(answer.error?.code).toMatch(/^Invalid/);
          expect(answer.error?.message.length).toBeGreaterThan(10);
          expect(playground().store.list()).toHaveLength(tasksBefore);
          expect(playground().events.lastSeq).toBe(seq);
        }
      }),
      { numRuns: 300 },
    );
  });
});
