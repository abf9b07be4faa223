import { describe, expect, it } from "vitest";
import { ChangeReports } from "../../server/store/changeReports.js";

describe("the task store's change reports", () => {
  it("holds a later change's report until an earlier one may be made, and skips one with nothing to report", () => {
    const reports = new ChangeReports();
    const said: string[] = [];
    const durable = reports.place();
    const failed = reports.place();
    const transient = reports.place();
    transient(() => said.push("transient"));
    expect(said).toEqual([]);
    failed(null);
    expect(said).toEqual([]);
    durable(() => said.push("durable"));
    expect(said).toEqual(["durable", "transient"]);
    reports.place()(() => said.push("at once"));
    expect(said).toEqual(["durable", "transient", "at once"]);
  });
});
