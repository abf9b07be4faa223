import { describe, expect, it } from "vitest";
import { BODY_PREVIEW_CHARS, previewOf } from "../../common/bodyPreview.js";

describe("a message body's preview", () => {
  it("keeps a body up to the preview size whole, not marked truncated", () => {
    const body = "b".repeat(BODY_PREVIEW_CHARS);
    expect(previewOf(body)).toEqual({ body, bodyLength: BODY_PREVIEW_CHARS, truncated: false });
  });

  it("cuts a longer body to the preview size and keeps its whole length", () => {
    expect(previewOf("a".repeat(1_000_000))).toEqual({ body: "a".repeat(BODY_PREVIEW_CHARS), bodyLength: 1_000_000, truncated: true });
  });

  it("never ends in half a surrogate pair", () => {
    const body = `${"a".repeat(BODY_PREVIEW_CHARS - 1)}😀 and more`;
    const preview = previewOf(body);
    expect(preview.body).toBe("a".repeat(BODY_PREVIEW_CHARS - 1));
    expect(preview).toMatchObject({ bodyLength: body.length, truncated: true });
  });
});
