import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runChaosSoak } from "../../scripts/soak/chaosSoak.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeDataDir();
});
afterEach(() => removeDataDir(dataDir));

// `npm run soak` is the full run (1,000 tasks); this is the same soak, small enough for every `npm test`.
describe("the chaos soak", () => {
  it("settles 150 tasks under failures, crashes, expiring visibility and a toggled trigger with every promise kept", async () => {
    const report = await runChaosSoak({ tasks: 150, dataDir, settleTimeoutMs: 45_000 });
    expect(report.violations, [...report.violations, ...report.stories].join("\n")).toEqual([]);
    expect(report.accepted).toBe(150);
    expect(report.completed + report.failed).toBe(150);
  }, 90_000);
});
