import { describe, expect, it } from "vitest";
import { ValueSince } from "../../server/lessons/valueSince.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("ValueSince: since which event a watched value has been what it is", () => {
  it("gives the state's latest seq the first time a value is asked about", () => {
    const since = new ValueSince(() => 0);
    expect(since.since("check", () => "waiting", 12)).toBe(12);
  });

  it("gives the seq of the turn in which the value changed, not the later events'", async () => {
    let status = "waiting";
    const since = new ValueSince(() => 0);
    since.since("check", () => status, 10);
    status = "passed";
    since.observe(11);
    await turn();
    since.observe(12);
    since.observe(13);
    await turn();
    expect(since.since("check", () => status, 13)).toBe(11);
  });

  it("keeps the seq while the value stays, and moves it when the value changes between looks", async () => {
    let value = 1;
    const since = new ValueSince(() => 0);
    since.since("prediction", () => value, 5);
    since.observe(6);
    await turn();
    expect(since.since("prediction", () => value, 6)).toBe(5);
    value = 2;
    // Changed with no event observed since: the state's latest seq is the best known.
    expect(since.since("prediction", () => value, 6)).toBe(6);
  });

  it("stops watching a value nobody asked about for 30 s", async () => {
    let now = 0;
    let value = "a";
    const since = new ValueSince(() => now);
    since.since("old", () => value, 1);
    now = 31_000;
    value = "b";
    since.observe(2);
    await turn();
    // Not re-read after its watch ended: asked again, it starts over from the latest seq.
    expect(since.since("old", () => value, 3)).toBe(3);
  });
});
