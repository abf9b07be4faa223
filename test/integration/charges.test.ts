// The payment service behind the `charge` helper (failure lab 1): a deployed function reaches it
// the way it reaches the task database, in TypeScript and in Python; every call is one more
// charge; and the route refuses bad input clearly without charging anything.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { deployed, hasPython, nodeHandler, pythonHandler } from "../helpers/functionCode.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";
import { ROOT } from "../helpers/process.js";

const python = hasPython();
const playgrounds = playgroundPerTest();

/** Charges each record's order twice and logs what `charge` answered, then completes the task (the helpers' handlers). */
const nodeCharging = nodeHandler(`const { charge } = await import("./playground.js");
    const first = await charge(task);
    const second = await charge(task);
    console.log("charges " + first + " then " + second);`);
const pythonCharging = pythonHandler("from playground import charge", "first = charge(task)", "second = charge(task)", 'print("charges %d then %d" % (first, second))');

const chargesOf = (playground: TestPlayground) => playground.events.recent().filter((e): e is Extract<FlowEvent, { type: "charge.made" }> => e.type === "charge.made");

/** POST /internal/payments/charge as a function would send it (the internal token unless another is given). */
function chargeRoute(playground: TestPlayground, body: string, token = playground.internalToken): Promise<Response> {
  return fetch(`${playground.url}/internal/payments/charge`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
}

async function chargedTwiceBy(language: "nodejs" | "python", code: string): Promise<void> {
  const playground = await playgrounds.start();
  await deployed(playground, language, code);
  const { id } = (await (await playground.post("/tasks", { title: "order 1" })).json()) as { id: number };
  await playground.waitForEvent(isType("task.updated", (e) => e.taskId === id && e.task.status === "completed"), 30_000);
  expect(chargesOf(playground).map(({ taskId, charges }) => ({ taskId, charges }))).toEqual([
    { taskId: id, charges: 1 },
    { taskId: id, charges: 2 },
  ]);
  await playground.waitForEvent(isType("lambda.log", (e) => e.message.includes("charges 1 then 2")));
}

describe("the charge helper and the payment service", () => {
  it("charges from a TypeScript function: every call is one more charge.made, and charge answers the order's count", { timeout: 60_000 }, async () => {
    await chargedTwiceBy("nodejs", nodeCharging);
  });

  it.skipIf(!python && !process.env.CI)("charges from a Python function the same way", { timeout: 60_000 }, async () => {
    await chargedTwiceBy("python", pythonCharging);
  });

  // Lab 1's handlers, broken and fixed, in each language: each charges a lone order once (the
  // difference shows only when a message comes back, which the lab's own tests make happen). A
  // visibility timeout of 30 s: on a loaded machine a cold start can outlast the default 5 s, and
  // the broken handler then charges the redelivered order again, as it should.
  const runsOnce = async (language: "nodejs" | "python", file: string) => {
    const playground = await playgrounds.start({ VISIBILITY_TIMEOUT_SECONDS: "30" });
    await deployed(playground, language, await readFile(`${ROOT}${file}`, "utf8"));
    const { id } = (await (await playground.post("/tasks", { title: "order 1" })).json()) as { id: number };
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === id && e.task.status === "completed"), 30_000);
    expect(chargesOf(playground).map(({ taskId, charges }) => ({ taskId, charges }))).toEqual([{ taskId: id, charges: 1 }]);
  };
  it.each(["lessons/handlers/charge-orders.ts", "lessons/handlers/charge-once.ts"])("runs lab 1's TypeScript handler %s: a lone order charged once and completed", { timeout: 60_000 }, (file) => runsOnce("nodejs", file));
  it.skipIf(!python && !process.env.CI).each(["lessons/handlers/charge_orders.py", "lessons/handlers/charge_once.py"])("runs lab 1's Python handler %s: a lone order charged once and completed", { timeout: 60_000 }, (file) => runsOnce("python", file));

  it("answers a charge only after the payment service's latency, the chaos panel's delay per record", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const { id } = (await (await playground.post("/tasks", { title: "order 1" })).json()) as { id: number };
    expect((await playground.send("PUT", "/api/faults", { delayMs: 400 })).status).toBe(200);
    const asked = performance.now();
    const response = await chargeRoute(playground, JSON.stringify({ taskId: id }));
    expect(performance.now() - asked).toBeGreaterThanOrEqual(395);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ charges: 1 });
  });

  it("refuses bad input with a clear 4xx and charges nothing", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const { id } = (await (await playground.post("/tasks", { title: "order 1" })).json()) as { id: number };
    const refusals: [string, string | undefined, number, string][] = [
      [JSON.stringify({ taskId: id }), "wrong-token", 401, "Unauthorized"],
      [JSON.stringify({ taskId: String(id) }), undefined, 400, "InvalidInternalRequest"],
      [JSON.stringify({ taskId: 0 }), undefined, 400, "InvalidInternalRequest"],
      [JSON.stringify({ taskId: 1.5 }), undefined, 400, "InvalidInternalRequest"],
      [JSON.stringify({ taskId: id, amount: 100 }), undefined, 400, "InvalidInternalRequest"],
      [JSON.stringify({}), undefined, 400, "InvalidInternalRequest"],
      ["{not json", undefined, 400, ""],
      [JSON.stringify({ taskId: id + 1000 }), undefined, 404, "TaskNotFound"],
    ];
    for (const [body, token, status, code] of refusals) {
      const response = await chargeRoute(playground, body, token);
      expect({ body, status: response.status }).toEqual({ body, status });
      const error = ((await response.json()) as { error: { code: string; message: string } }).error;
      if (code) expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(0);
    }
    // Still nothing charged: the next good charge is the order's first.
    expect(chargesOf(playground)).toEqual([]);
    expect(await (await chargeRoute(playground, JSON.stringify({ taskId: id }))).json()).toEqual({ charges: 1 });
  });
});
