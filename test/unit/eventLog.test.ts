import { describe, expect, it } from "vitest";
import { EventLog } from "../../server/events/eventLog.js";

describe("the event log", () => {
  it("numbers events from 1 and stamps them with the injected clock", () => {
    const log = new EventLog(10, () => 42);
    const event = log.publish({ type: "trigger.state", state: "enabled" });
    expect(event).toEqual({ type: "trigger.state", state: "enabled", seq: 1, at: 42 });
  });

  it("keeps at most its capacity, the most recent last, however many are published", () => {
    const log = new EventLog(100);
    for (let i = 0; i < 1000; i++) log.publish({ type: "trigger.state", state: "enabled" });
    const recent = log.recent();
    expect(recent).toHaveLength(100);
    expect(recent.at(-1)?.seq).toBe(1000);
    expect(recent[0]?.seq).toBe(901);
    expect(log.recent(5).map((e) => e.seq)).toEqual([996, 997, 998, 999, 1000]);
  });

  it("hands each event to subscribers in order until they unsubscribe", () => {
    const log = new EventLog(10);
    const seen: number[] = [];
    const unsubscribe = log.subscribe((e) => seen.push(e.seq));
    log.publish({ type: "trigger.state", state: "enabled" });
    log.publish({ type: "trigger.state", state: "disabled" });
    unsubscribe();
    log.publish({ type: "trigger.state", state: "enabled" });
    expect(seen).toEqual([1, 2]);
  });
});
