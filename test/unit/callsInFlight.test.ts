import { describe, expect, it } from "vitest";
import { CallsInFlight } from "../../server/queue/callsInFlight.js";

describe("calls in flight", () => {
  it("runs at once when no call is waiting for its answer", () => {
    const calls = new CallsInFlight();
    const ran: string[] = [];
    calls.afterCurrent(() => ran.push("record"));
    expect(ran).toEqual(["record"]);
  });

  it("waits for every call begun before, in any order of ending, and not for calls begun after", () => {
    const calls = new CallsInFlight();
    const ran: string[] = [];
    const first = calls.begin();
    const second = calls.begin();
    calls.afterCurrent(() => ran.push("record"));
    const later = calls.begin();
    calls.end(second);
    expect(ran).toEqual([]);
    calls.end(first);
    expect(ran).toEqual(["record"]);
    calls.end(later);
    expect(ran).toEqual(["record"]);
  });
});
