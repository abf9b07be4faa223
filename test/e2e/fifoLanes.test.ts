// The FIFO queue's message groups drawn as lanes inside the SQS station, at the projector's
// 1024×768 and at 1440×900, in Debian's chromium: each lane's words fit its lane, every word of
// the drawing stays at 12 px or more, and a screenshot is kept in test-results/ to look at.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, openTab, pagesPerTest } from "../helpers/browser.js";
import { drawingFacts, type PageGlobals } from "../helpers/layout.js";
import { playgroundPerFile } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const browser = pagesPerTest();
const playground = playgroundPerFile();

/** Three groups wait in the FIFO queue (its trigger off): 3, 2 and 1 tasks. */
async function fillGroups(): Promise<void> {
  const p = playground();
  await p.send("POST", "/api/reset");
  expect((await p.send("PATCH", "/api/trigger/fifo", { Enabled: false })).status).toBe(200);
  for (const [group, count] of [["customer-1", 3], ["customer-2", 2], ["customer-3", 1]] as const) {
    for (let i = 0; i < count; i++) expect((await p.post("/tasks", { title: `order ${i + 1}`, queue: "fifo", messageGroupId: group })).status).toBe(201);
  }
}

/** Lanes whose name runs into their state words, or out of their frame. */
async function crowdedLanes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const out: string[] = [];
    for (const lane of document.querySelectorAll(".viz .group-lanes .lane")) {
      const frame = lane.querySelector("rect")?.getBoundingClientRect();
      const name = lane.querySelector(".lane-name")?.getBoundingClientRect();
      const state = lane.querySelector(".lane-state")?.getBoundingClientRect();
      if (!frame || !name || !state || frame.width === 0) continue;
      if (name.x + name.width > state.x - 4 || state.x + state.width > frame.x + frame.width || name.x < frame.x) out.push(lane.textContent ?? "");
    }
    return out;
  });
}

describe.skipIf(!hasChromium())("FIFO message groups in the drawing", () => {
  for (const [width, height] of [[1024, 768], [1440, 900]] as const) {
    it(`at ${width}×${height}, draws one lane per group with its tasks in order, its words inside the lane and at 12 px or more`, { timeout: 60_000 }, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      try {
        await page.goto(`${playground().url}/?token=${playground().terminalToken}#/lessons/the-whole-flow/1`);
        await page.waitForSelector("body[data-ready=true]");
        await fillGroups();
        await page.waitForFunction(() => {
          const { document } = globalThis as unknown as PageGlobals;
          return [...document.querySelectorAll(".viz .group-lanes .lane-name")].filter((t) => (t.textContent ?? "") !== "").length === 3;
        });
        const names = await page.$$eval(".viz .group-lanes .lane-name", (texts) => texts.map((t) => t.textContent ?? "").filter((t) => t !== ""));
        expect(names).toEqual([expect.stringMatching(/^customer-1: \d+▸\d+▸\d+$/), expect.stringMatching(/^customer-2: \d+▸\d+$/), expect.stringMatching(/^customer-3: \d+$/)]);
        expect(await crowdedLanes(page)).toEqual([]);
        const facts = await drawingFacts(page);
        expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
        await page.screenshot({ path: `${ROOT}test-results/fifo-lanes-${width}x${height}.png` });
      } finally {
        await playground().send("PATCH", "/api/trigger/fifo", { Enabled: true });
        await page.close();
      }
    });
  }

  for (const [width, height] of [[1024, 768], [1440, 900]] as const) {
    it(`at ${width}×${height}, draws each mapping's running batches and limit in the handler station, inside its box`, { timeout: 60_000 }, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      try {
        await page.goto(`${playground().url}/?token=${playground().terminalToken}#/lessons/the-whole-flow/1`);
        await page.waitForSelector("body[data-ready=true]");
        await page.waitForFunction(() => {
          const { document } = globalThis as unknown as PageGlobals;
          return [...document.querySelectorAll(".viz .handler-batches text")].some((t) => /^FIFO \d+ \/ \d+$/.test(t.textContent ?? ""));
        });
        const lines = await page.$$eval(".viz .handler-batches text", (texts) => texts.map((t) => t.textContent ?? ""));
        expect(lines.slice(3)).toEqual(["running / limit", expect.stringMatching(/^standard \d+ \/ \d+$/), expect.stringMatching(/^FIFO \d+ \/ \d+$/)]);
        const outside = await page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          const box = document.querySelector(".viz .station.handler rect")?.getBoundingClientRect();
          if (!box) return ["no handler box"];
          return [...document.querySelectorAll(".viz .handler-batches text")]
            .filter((t) => {
              const r = t.getBoundingClientRect();
              return r.width > 0 && (r.x < box.x || r.x + r.width > box.x + box.width || r.y + r.height > box.y + box.height);
            })
            .map((t) => t.textContent ?? "");
        });
        expect(outside).toEqual([]);
        const facts = await drawingFacts(page);
        expect(facts.smallestText.px, `"${facts.smallestText.text}" is drawn at ${facts.smallestText.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
        await page.locator(".viz").screenshot({ path: `${ROOT}test-results/handler-mappings-${width}x${height}.png` });
      } finally {
        await page.close();
      }
    });
  }

  it("at 1024×768, names each FIFO task's message group in the Tasks tab, beside its title", { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await page.goto(`${playground().url}/?token=${playground().terminalToken}#/lessons/the-whole-flow/1`);
      await page.waitForSelector("body[data-ready=true]");
      await fillGroups();
      await openTab(page, "tasks");
      await page.waitForFunction(() => [...(globalThis as unknown as PageGlobals).document.querySelectorAll("#panel-tasks .task-group")].length === 6);
      const groups = await page.$$eval("#panel-tasks tbody tr", (rows) => rows.map((row) => row.querySelector(".task-group")?.textContent ?? ""));
      // Newest first: customer-3's one task, then customer-2's two, then customer-1's three.
      expect(groups).toEqual(["group customer-3", "group customer-2", "group customer-2", "group customer-1", "group customer-1", "group customer-1"]);
      await page.locator("#panel-tasks").screenshot({ path: `${ROOT}test-results/tasks-groups-1024.png` });
    } finally {
      await playground().send("PATCH", "/api/trigger/fifo", { Enabled: true });
      await page.close();
    }
  });
});
