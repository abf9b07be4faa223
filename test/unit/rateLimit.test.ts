import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../server/events/rateLimit.js";

describe("the per-connection rate limit", () => {
  it("lets a burst through, then refuses until time refills it", () => {
    let now = 1_000;
    const bucket = new TokenBucket({ burst: 3, perSecond: 2 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 500;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
  });

  it("never saves up more than the burst, however long a client is quiet", () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 2, perSecond: 10 }, () => now);
    now += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });
});
