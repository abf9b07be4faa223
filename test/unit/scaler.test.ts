import { describe, expect, it } from "vitest";
import { Scaler } from "../../server/trigger/scaler.js";

const MINUTE = 60_000;
const idle = { backlog: false, errors: 0, running: 0 };
const busy = (running: number) => ({ backlog: true, errors: 0, running });

describe("trigger scaling (aws-semantics.md §2)", () => {
  it("starts at 5 concurrent batches", () => {
    expect(new Scaler(undefined).limit).toBe(5);
  });

  it("starts at MaximumConcurrency when that is below 5", () => {
    expect(new Scaler(2).limit).toBe(2);
  });

  it("adds up to 300 per minute while a backlog remains", () => {
    const scaler = new Scaler(undefined);
    expect(scaler.tick(MINUTE, busy(5))).toBe(305);
    expect(scaler.tick(1000, busy(305))).toBe(310);
  });

  it("never goes above MaximumConcurrency, nor above 1000 without one", () => {
    const capped = new Scaler(12);
    for (let i = 0; i < 10; i++) capped.tick(1000, busy(capped.limit));
    expect(capped.limit).toBe(12);
    const uncapped = new Scaler(undefined);
    for (let i = 0; i < 10; i++) uncapped.tick(MINUTE, busy(uncapped.limit));
    expect(uncapped.limit).toBe(1000);
  });

  it("scales back toward 5 when idle, never below what is running", () => {
    const scaler = new Scaler(undefined);
    scaler.tick(MINUTE, busy(5));
    expect(scaler.tick(30_000, { ...idle, running: 200 })).toBe(200);
    expect(scaler.tick(MINUTE, idle)).toBe(5);
  });

  it("halves after function errors, down to 2", () => {
    const scaler = new Scaler(undefined);
    expect(scaler.tick(1000, { backlog: true, errors: 3, running: 5 })).toBe(3);
    expect(scaler.tick(1000, { backlog: true, errors: 1, running: 3 })).toBe(2);
    expect(scaler.tick(1000, { backlog: true, errors: 1, running: 2 })).toBe(2);
  });

  it("lowers the limit at once when MaximumConcurrency is lowered", () => {
    const scaler = new Scaler(undefined);
    scaler.tick(MINUTE, busy(5));
    scaler.setMaximum(8);
    expect(scaler.limit).toBe(8);
  });
});
