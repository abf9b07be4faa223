import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTaskMessage, parseTaskMessage, taskIdOf } from "../../common/taskMessage.js";

/** Any UTF-16 code unit, lone surrogates included: what a queue body could hold in memory. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const anyText = fc.oneof(fc.string({ unit: codeUnit }), fc.string({ unit: "binary" }), fc.json());
/** Bodies shaped almost like a task message: the near misses a parser gets wrong. */
const nearMiss = fc
  .record({ task_id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.bigInt().map(String)), title: fc.jsonValue() }, { requiredKeys: [] })
  .map((value) => JSON.stringify(value));
const validMessage = fc.record({ task_id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), title: fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom("😀", "\uFFFE", "\uFFFF", "a\u0000b")) });

describe("parsing a queue message body (property-based)", () => {
  it("never throws, whatever the body, and gives a reason when it refuses", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, nearMiss), (body) => {
        const parsed = parseTaskMessage(body);
        if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
        expect(() => taskIdOf(body)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts only a positive safe integer task_id and a string title", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, nearMiss), (body) => {
        const parsed = parseTaskMessage(body);
        if (!parsed.ok) return;
        expect(Number.isSafeInteger(parsed.message.task_id) && parsed.message.task_id > 0).toBe(true);
        expect(typeof parsed.message.title).toBe("string");
        expect(taskIdOf(body)).toBe(parsed.message.task_id);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips every message the API could send, as plain JSON and as the API writes it", () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        expect(parseTaskMessage(JSON.stringify(message))).toEqual({ ok: true, message });
        expect(parseTaskMessage(formatTaskMessage(message))).toEqual({ ok: true, message });
        expect(taskIdOf(formatTaskMessage(message))).toBe(message.task_id);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes bodies of only the characters SQS accepts", () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        expect(formatTaskMessage(message)).toMatch(/^[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes a character beyond U+FFFF raw, as SQS accepts it", () => {
    expect(formatTaskMessage({ task_id: 1, title: "😀" })).toBe('{"task_id":1,"title":"😀"}');
  });

  it("escapes U+FFFF, which SQS refuses", () => {
    expect(formatTaskMessage({ task_id: 1, title: "\uFFFF" })).toBe('{"task_id":1,"title":"\\uffff"}');
  });
});
