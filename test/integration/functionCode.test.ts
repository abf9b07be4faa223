import { describe, expect, it } from "vitest";
import { FUNCTION_CODE_LIMIT } from "../../common/events.js";
import { deploy, deployed, hasPython, nodeHandler } from "../helpers/functionCode.js";
import { isType, playgroundPerTest, type TestPlayground } from "../helpers/playground.js";

const python = hasPython();
const playgrounds = playgroundPerTest();

interface CodeView {
  language: string;
  code: string;
  version: number;
  pythonAvailable: boolean;
  defaults: { nodejs: string; python: string };
}
const codeView = async (playground: TestPlayground) => (await (await playground.get("/api/function/code")).json()) as CodeView;
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; line?: number; column?: number } }).error;

describe("GET, PUT and DELETE /api/function/code", () => {
  it("shows the lesson's handler as version 0, with the defaults of both languages", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const view = await codeView(playground);
    expect(view).toMatchObject({ language: "nodejs", version: 0, pythonAvailable: python });
    expect(view.code).toBe(view.defaults.nodejs);
    expect(view.defaults.python).toMatch(/def lambda_handler\(event, context\):/);
  });

  it("deploys new code as the next version and says so on the timeline", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const code = nodeHandler();
    expect((await deployed(playground, "nodejs", code)).version).toBe(1);
    const changed = `${code}\n// changed\n`;
    expect((await deployed(playground, "nodejs", changed)).version).toBe(2);
    expect(await codeView(playground)).toMatchObject({ language: "nodejs", code: changed, version: 2 });
    await playground.waitForEvent(isType("function.deployed", (e) => e.version === 2 && e.language === "nodejs"));
  });

  it("makes no new version of the code that already runs (a double press of Deploy), as PublishVersion does not", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const code = nodeHandler();
    expect((await deployed(playground, "nodejs", code)).version).toBe(1);
    expect(await deployed(playground, "nodejs", code)).toMatchObject({ version: 1, unchanged: true });
    expect(playground.events.recent().filter(isType("function.deployed"))).toHaveLength(1);
  });

  it("refuses TypeScript that does not compile with 400 CompileError at its line and column, and changes nothing", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const before = await codeView(playground);
    const response = await deploy(playground, "nodejs", "export const handler = async (event) => {\n  const total = ;\n};\n");
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: "CompileError", message: "Unexpected \";\"", line: 2, column: 17 });
    expect(await codeView(playground)).toEqual(before);
    expect(playground.events.recent().some((e) => e.type === "function.deployed")).toBe(false);
  });

  it.skipIf(!python)("refuses Python that does not compile with 400 CompileError at its line, and changes nothing", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const before = await codeView(playground);
    const response = await deploy(playground, "python", "def lambda_handler(event, context):\n    x = [1, 2\n    return x\n");
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: "CompileError", line: 2 });
    expect(error.message).toMatch(/^SyntaxError: /);
    expect(await codeView(playground)).toEqual(before);
  });

  const versionsStartedAfter = (playground: TestPlayground, seq: number) =>
    playground.events.recent().flatMap((e) => (e.seq > seq && e.type === "lambda.cold-start" ? [e.version] : []));

  it("goes back to the lesson's handler (version 0, in environments of its own) on DELETE", async () => {
    const playground = await playgrounds.start({ LESSON_FUNCTION: "runtime" });
    await deployed(playground, "nodejs", nodeHandler());
    const beforeDelete = playground.events.lastSeq;
    const response = await fetch(`${playground.url}/api/function/code`, { method: "DELETE", headers: { "content-type": "application/json", authorization: `Bearer ${playground.terminalToken}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ version: 0, language: "nodejs" });
    const { id } = (await (await playground.post("/tasks", { title: "in process again" })).json()) as { id: number };
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === id && e.task.status === "completed"));
    expect(versionsStartedAfter(playground, beforeDelete)).toEqual([0]);
  });

  it("goes back to the lesson's handler when the world is reset (every lesson starts from the playground's own handler)", async () => {
    const playground = await playgrounds.start({ LESSON_FUNCTION: "runtime" });
    await deployed(playground, "nodejs", nodeHandler());
    expect((await playground.send("POST", "/api/reset")).status).toBe(200);
    expect(await codeView(playground)).toMatchObject({ version: 0 });
    const afterReset = playground.events.lastSeq;
    const { id } = (await (await playground.post("/tasks", { title: "after the reset" })).json()) as { id: number };
    await playground.waitForEvent(isType("task.updated", (e) => e.taskId === id && e.task.status === "completed"));
    // The learner's version's environments were retired: the lesson's handler starts its own.
    expect(versionsStartedAfter(playground, afterReset)).toEqual([0]);
  });

  it("says when python3 is missing, and refuses a Python deploy with 409 PythonUnavailable", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" }, undefined, { functionRuntime: { pythonCommand: "/nonexistent/python3" } });
    expect((await codeView(playground)).pythonAvailable).toBe(false);
    const response = await deploy(playground, "python", "def lambda_handler(event, context):\n    return {}\n");
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe("PythonUnavailable");
    expect((await codeView(playground)).version).toBe(0);
  });

  it("refuses a deploy without the page's token with 403 PageTokenRequired", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const response = await deploy(playground, "nodejs", nodeHandler(), "not-the-token");
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe("PageTokenRequired");
    expect((await codeView(playground)).version).toBe(0);
  });

  it("refuses a deploy in a classroom, even with the presenter's token, with 403 CodeCellsOff", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", CLASSROOM: "true" });
    const response = await deploy(playground, "nodejs", nodeHandler(), playground.presenterToken);
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe("CodeCellsOff");
  });

  it("refuses a body that is not {language, code} with 400 InvalidFunctionCode", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const response = await fetch(`${playground.url}/api/function/code`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${playground.terminalToken}` },
      body: JSON.stringify({ language: "ruby", code: "puts 1" }),
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("InvalidFunctionCode");
  });

  it("refuses code one character over the limit with 400 InvalidFunctionCode naming the limit, even when JSON escapes every character", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const code = "\u0001".repeat(FUNCTION_CODE_LIMIT + 1);
    const response = await fetch(`${playground.url}/api/function/code`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${playground.terminalToken}` },
      body: JSON.stringify({ language: "nodejs", code }),
    });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("InvalidFunctionCode");
    expect(error.message).toContain(`at most ${FUNCTION_CODE_LIMIT} characters`);
    expect(((await (await playground.get("/api/function/code")).json()) as { version: number }).version).toBe(0);
  });
});
