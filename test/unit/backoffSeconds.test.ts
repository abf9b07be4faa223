import { describe, expect, it } from "vitest";
import { backoffSeconds } from "../../lambda/handler.js";

describe("backoffSeconds", () => {
  it("doubles with each receive: base × 2^(receiveCount − 1)", () => {
    expect([1, 2, 3, 4].map((count) => backoffSeconds(2, count))).toEqual([2, 4, 8, 16]);
  });

  it("never asks for more than SQS's 12-hour maximum", () => {
    expect(backoffSeconds(60, 100)).toBe(43_200);
  });

  it("reads a receive count that is not a number as the first receive", () => {
    expect(backoffSeconds(3, Number("not a count"))).toBe(3);
  });
});
