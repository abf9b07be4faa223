import { describe, expect, it } from "vitest";
import { handleConcurrently } from "../../bench/stats.js";

describe("the benchmark's concurrent loops", () => {
  it("count every item handled by calls that overlap, so a rate is items per second and not fewer", async () => {
    let calls = 0;
    const handled = await handleConcurrently(100, 16, async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return 1;
    });
    expect(handled).toBe(calls);
    expect(handled).toBeGreaterThanOrEqual(100);
  });
});
