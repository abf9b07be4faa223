import { describe, expect, it } from "vitest";
import type { FlowEvent } from "../../common/events.js";
import { deployed, hasPython, nodeHandler, pythonHandler } from "../helpers/functionCode.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

if (!hasPython() && process.env.CI) throw new Error("CI must have python3");
const python = hasPython();
const playgrounds = playgroundPerTest();

/** Posts a task and resolves with its id. */
async function postTask(playground: TestPlayground, title: string): Promise<number> {
  const response = await playground.post("/tasks", { title });
  return ((await response.json()) as { id: number }).id;
}

const completed = (playground: TestPlayground, taskId: number, timeoutMs = 15_000) =>
  playground.waitForEvent(isType("task.updated", (e) => e.taskId === taskId && e.task.status === "completed"), timeoutMs);
const invokedWith = (playground: TestPlayground, taskId: number) => playground.waitForEvent(isType("lambda.invoked", (e) => e.taskIds.includes(taskId)));
const failedInvocation = (playground: TestPlayground, invocationId: string, timeoutMs = 15_000) =>
  playground.waitForEvent(isType("lambda.failed", (e) => e.invocationId === invocationId), timeoutMs);
const eventsOf = <T extends FlowEvent["type"]>(playground: TestPlayground, type: T) => playground.events.recent().filter((e): e is Extract<FlowEvent, { type: T }> => e.type === type);

async function healthy(playground: TestPlayground): Promise<number> {
  return (await playground.get("/health")).status;
}

/**
 * The settings of the tests that use exitBesideSlowTask: a function timeout of 30 s, so that on a
 * loaded machine the slow task's 1.5 s never reaches it (its environment then ended at the
 * timeout, not by the other's exit).
 */
const SLOW_BESIDE_EXIT = { BATCH_SIZE: "1", FUNCTION_TIMEOUT_SECONDS: "30", VISIBILITY_TIMEOUT_SECONDS: "180" };

/**
 * A task titled "slow" keeps one environment busy while a task titled "exit" ends another: the
 * exit fails only its own invocation, the slow task completes in its environment, which lives on,
 * and /health answers throughout. Resolves with the exit's failed invocation.
 */
async function exitBesideSlowTask(playground: TestPlayground) {
  const slow = await postTask(playground, "slow");
  const slowInvocation = await invokedWith(playground, slow);
  const exits = await postTask(playground, "exit");
  const { invocationId } = await invokedWith(playground, exits);
  const failed = await failedInvocation(playground, invocationId);
  expect(await healthy(playground)).toBe(200);
  await completed(playground, slow);
  const slowEnvironment = eventsOf(playground, "lambda.cold-start").find((e) => e.invocationId === slowInvocation.invocationId)?.environmentId;
  const ended = eventsOf(playground, "lambda.environment-ended");
  expect(ended.map((e) => e.reason)).toContain("exit");
  expect(ended.map((e) => e.environmentId)).not.toContain(slowEnvironment);
  expect(await healthy(playground)).toBe(200);
  return failed;
}

describe("a deployed function runs out of the playground's process, behind the Lambda Runtime API", () => {
  it("completes a task with a deployed Node.js handler", async () => {
    const playground = await playgrounds.start();
    await deployed(playground, "nodejs", nodeHandler());
    const taskId = await postTask(playground, "written by the learner");
    await completed(playground, taskId);
    expect(playground.store.get(taskId)?.status).toBe("completed");
  });

  it.skipIf(!python)("completes a task with a deployed Python handler", async () => {
    const playground = await playgrounds.start();
    await deployed(playground, "python", pythonHandler());
    const taskId = await postTask(playground, "written in Python");
    await completed(playground, taskId);
    expect(playground.store.get(taskId)?.status).toBe("completed");
  });

  it("completes a task with the lesson's own handler deployed as it is shown (the GET's code)", async () => {
    const playground = await playgrounds.start();
    const view = (await (await playground.get("/api/function/code")).json()) as { code: string };
    await deployed(playground, "nodejs", view.code);
    const taskId = await postTask(playground, "the lesson's code");
    await completed(playground, taskId);
  });

  it("starts an environment cold for the first invocation and reuses it warm for the next", async () => {
    const playground = await playgrounds.start();
    await deployed(playground, "nodejs", nodeHandler(`console.log("working on", task);`));
    const first = await postTask(playground, "first");
    await completed(playground, first);
    // Warm for the next once the first invocation has returned: the task completes inside it, and a
    // second task sent before it returned found its environment busy (a second cold start, rightly).
    const one = await invokedWith(playground, first);
    await playground.waitForEvent(isType("lambda.completed", (e) => e.invocationId === one.invocationId));
    const second = await postTask(playground, "second");
    await completed(playground, second);
    const two = await invokedWith(playground, second);
    const coldStarts = eventsOf(playground, "lambda.cold-start");
    expect(coldStarts.map((e) => e.invocationId)).toEqual([one.invocationId]);
    const logs = eventsOf(playground, "lambda.log");
    const environmentOf = (invocationId: string) => logs.find((e) => e.invocationId === invocationId)?.environmentId;
    expect(environmentOf(two.invocationId)).toBe(coldStarts[0]?.environmentId);
  });

  it("does not count a cold start's init against the function timeout, as Lambda does not", async () => {
    // Init (4 s) longer than the whole timeout (3 s): counted, it would time out whatever the machine's
    // load; not counted, the invocation has its 3 s for two HTTP calls, even on a busy CI machine.
    const playground = await playgrounds.start({ FUNCTION_TIMEOUT_SECONDS: "3", VISIBILITY_TIMEOUT_SECONDS: "20" });
    await deployed(playground, "nodejs", `const until = Date.now() + 4000; while (Date.now() < until) {}\n${nodeHandler()}`);
    const taskId = await postTask(playground, "slow init");
    await completed(playground, taskId);
    expect(eventsOf(playground, "lambda.failed")).toEqual([]);
  });

  it("gives each line of console.log output to the invocation that wrote it", async () => {
    const playground = await playgrounds.start();
    await deployed(playground, "nodejs", nodeHandler(`console.log("working on task " + task); console.error("note about " + task);`));
    const ids = [await postTask(playground, "a")];
    await completed(playground, ids[0] ?? 0);
    ids.push(await postTask(playground, "b"));
    await completed(playground, ids[1] ?? 0);
    for (const taskId of ids) {
      const { invocationId } = await invokedWith(playground, taskId);
      const lines = eventsOf(playground, "lambda.log").filter((e) => e.invocationId === invocationId);
      expect(lines.map((e) => [e.stream, e.message])).toEqual([
        ["stdout", `working on task ${taskId}`],
        ["stderr", `note about ${taskId}`],
      ]);
    }
  });

  it.skipIf(!python)("gives each printed line to the Python invocation that printed it", async () => {
    const playground = await playgrounds.start();
    await deployed(playground, "python", pythonHandler(`print("working on task %s" % task)`));
    const taskId = await postTask(playground, "printed");
    await completed(playground, taskId);
    const { invocationId } = await invokedWith(playground, taskId);
    expect(eventsOf(playground, "lambda.log").filter((e) => e.invocationId === invocationId).map((e) => e.message)).toEqual([`working on task ${taskId}`]);
  });

  it("reports a thrown error with its type, message and line in the learner's TypeScript", async () => {
    const playground = await playgrounds.start();
    const code = ["import type { SQSEvent } from 'aws-lambda';", "interface Order { id: number }", "export const handler = async (event: SQSEvent) => {", "  const order: Order = { id: event.Records.length };", "  throw new RangeError(`order ${order.id} is too large`);", "};"].join("\n");
    await deployed(playground, "nodejs", code);
    const taskId = await postTask(playground, "fails");
    const { invocationId } = await invokedWith(playground, taskId);
    const failed = await failedInvocation(playground, invocationId);
    expect(failed.errorDetail).toEqual({ errorType: "RangeError", errorMessage: "order 1 is too large", line: 5, column: 9 });
  });

  it.skipIf(!python)("reports a raised Python exception with its type, message and line", async () => {
    const playground = await playgrounds.start();
    const code = ["def lambda_handler(event, context):", "    records = event['Records']", "    raise ValueError('bad record %s' % len(records))"].join("\n");
    await deployed(playground, "python", code);
    const taskId = await postTask(playground, "fails");
    const { invocationId } = await invokedWith(playground, taskId);
    const failed = await failedInvocation(playground, invocationId);
    expect(failed.errorDetail).toEqual({ errorType: "ValueError", errorMessage: "bad record 1", line: 3 });
  });
  it("fails the invocation with Runtime.HandlerNotFound when the module exports no handler", async () => {
    const playground = await playgrounds.start();
    await deployed(playground, "nodejs", "export const handle = async () => ({});");
    const taskId = await postTask(playground, "no handler");
    const { invocationId } = await invokedWith(playground, taskId);
    const failed = await failedInvocation(playground, invocationId);
    expect(failed.errorDetail).toMatchObject({ errorType: "Runtime.HandlerNotFound", errorMessage: "handler.handler is undefined or not exported" });
    await playground.waitForEvent(isType("lambda.environment-ended", (e) => e.reason === "init-error"));
  });

  it.skipIf(!python)("fails the invocation with Runtime.ImportModuleError, at its line, when the Python module raises as it loads", async () => {
    const playground = await playgrounds.start();
    await deployed(playground, "python", "import json\nsettings = json.loads('not json')\n\ndef lambda_handler(event, context):\n    return {}\n");
    const taskId = await postTask(playground, "bad module");
    const { invocationId } = await invokedWith(playground, taskId);
    const failed = await failedInvocation(playground, invocationId);
    expect(failed.errorDetail).toMatchObject({ errorType: "Runtime.ImportModuleError", line: 2 });
  });
});

describe("a function cannot harm the playground or its other environments", () => {
  it("stops an infinite loop at the function timeout, and the message comes back after its visibility timeout", async () => {
    const playground = await playgrounds.start({ FUNCTION_TIMEOUT_SECONDS: "1", VISIBILITY_TIMEOUT_SECONDS: "2", MAX_RECEIVE_COUNT: "5" });
    await deployed(playground, "nodejs", "export const handler = async () => { for (;;) {} };");
    const taskId = await postTask(playground, "loops");
    const { invocationId, messageIds } = await invokedWith(playground, taskId);
    expect(await healthy(playground)).toBe(200);
    const failed = await failedInvocation(playground, invocationId);
    expect(failed.error).toMatch(/Task timed out after 1\.00 seconds/);
    await playground.waitForEvent(isType("lambda.environment-ended", (e) => e.reason === "timeout"));
    await playground.waitForEvent(isType("message.visible-again", (e) => e.messageId === messageIds[0]));
    expect(await healthy(playground)).toBe(200);
  });

  it("ends only its own environment when the function calls process.exit(1)", { timeout: 90_000 }, async () => {
    const playground = await playgrounds.start(SLOW_BESIDE_EXIT);
    await deployed(playground, "nodejs", nodeHandler(`if (title === "slow") await new Promise((r) => setTimeout(r, 1500)); if (title === "exit") process.exit(1);`));
    const failed = await exitBesideSlowTask(playground);
    expect(failed.errorDetail?.errorType).toBe("Runtime.ExitError");
    expect(failed.errorDetail?.errorMessage).toMatch(/Runtime exited with error: exit status 1/);
  });

  it.skipIf(!python)("ends only its own environment when a Python function calls sys.exit", { timeout: 90_000 }, async () => {
    const playground = await playgrounds.start(SLOW_BESIDE_EXIT);
    await deployed(playground, "python", pythonHandler(`if title == "slow": time.sleep(1.5)`, `if title == "exit": sys.exit(3)`));
    const failed = await exitBesideSlowTask(playground);
    expect(failed.errorDetail?.errorMessage).toMatch(/Runtime exited with error: exit status 3/);
  });

  it("ends the environment of a function that runs out of its 128 MB, and starts a new one for the next invocation", { timeout: 90_000 }, async () => {
    // A function timeout of 30 s: on a loaded machine filling 128 MB took longer than the default
    // 3 s, and the environment then ended at the timeout instead (Sandbox.Timedout).
    const playground = await playgrounds.start({ BATCH_SIZE: "1", FUNCTION_TIMEOUT_SECONDS: "30", VISIBILITY_TIMEOUT_SECONDS: "60" });
    await deployed(playground, "nodejs", nodeHandler(`if (title === "hog") { const kept = []; for (;;) kept.push(new Array(1e6).fill(task)); }`));
    const hog = await postTask(playground, "hog");
    const { invocationId } = await invokedWith(playground, hog);
    const failed = await failedInvocation(playground, invocationId, 60_000);
    expect(failed.errorDetail?.errorType).toBe("Runtime.ExitError");
    const next = await postTask(playground, "modest");
    await completed(playground, next);
    expect(eventsOf(playground, "lambda.cold-start")).toHaveLength(2);
  });
});
