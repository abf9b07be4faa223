import { describe, expect, it } from "vitest";
import { ApiError } from "../../server/api/errors.js";
import { parseCreateTask, parseTaskId, TITLE_MAX_LENGTH } from "../../server/api/taskInput.js";

const rejects = (body: unknown) => {
  try {
    parseCreateTask(body);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error("expected a rejection");
};

describe("POST /tasks input validation", () => {
  it.each([
    [{ title: "Test Task" }, "Test Task"],
    [{ title: "  padded  " }, "padded"],
    [{ title: "x".repeat(TITLE_MAX_LENGTH) }, "x".repeat(TITLE_MAX_LENGTH)],
    [{ title: "emoji 🚀 and ünïcödé" }, "emoji 🚀 and ünïcödé"],
  ])("accepts %j", (body, title) => {
    expect(parseCreateTask(body)).toEqual({ title, destination: { queue: "standard" } });
  });

  it.each([
    [null, "InvalidBody", /JSON object/],
    [[], "InvalidBody", /JSON object/],
    ["Test Task", "InvalidBody", /JSON object/],
    [{}, "InvalidTask", /title is required/],
    [{ title: "" }, "InvalidTask", /blank/],
    [{ title: "\t \n" }, "InvalidTask", /blank/],
    [{ title: 1 }, "InvalidTask", /must be a string/],
    [{ title: ["a"] }, "InvalidTask", /must be a string/],
    [{ title: "x".repeat(TITLE_MAX_LENGTH + 1) }, "InvalidTask", /at most 200/],
    [{ title: "a\u0000b" }, "InvalidTask", /not allowed/],
    [{ title: "line\nbreak" }, "InvalidTask", /not allowed/],
    [{ title: "\uD800" }, "InvalidTask", /not allowed/],
    [{ title: "\uFFFE" }, "InvalidTask", /not allowed/],
    [{ title: "ok", extra: true }, "InvalidTask", /unknown field\(s\): extra/],
  ])("rejects %j as %s", (body, code, message) => {
    const error = rejects(body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it.each(["1", "42", "9007199254740991"])("reads task id %s", (raw) => {
    expect(parseTaskId(raw)).toBe(Number(raw));
  });

  it.each(["0", "-1", "1.5", "01", "abc", "1e3", "", "99999999999999999"])("rejects task id %j", (raw) => {
    expect(() => parseTaskId(raw)).toThrow(/positive integer/);
  });
});
