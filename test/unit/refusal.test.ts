import { describe, expect, it } from "vitest";
import { refusalOf } from "../../client/src/refusal.js";

describe("how the page words a refused request", () => {
  it("shows AWS's message and then the playground's reason, when the error has one", () => {
    const json = { error: { code: "InvalidParameterValueException", message: "Invalid filter pattern definition.", detail: "body.title holds \"urgent\", which must be a list" } };
    expect(refusalOf(json, 400)).toBe('Invalid filter pattern definition. (body.title holds "urgent", which must be a list)');
  });

  it("shows the message alone when there is no reason, and the HTTP status when there is no error body", () => {
    expect(refusalOf({ error: { code: "ValidationException", message: "BatchSize must be at most 10" } }, 400)).toBe("BatchSize must be at most 10");
    expect(refusalOf(null, 502)).toBe("HTTP 502");
  });
});
