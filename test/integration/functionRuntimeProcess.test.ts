import { describe, expect, it } from "vitest";
import { nodeHandler } from "../helpers/functionCode.js";
import { serversPerTest } from "../helpers/process.js";

const servers = serversPerTest();

/** Polls a task until it is completed (or gives up after `timeoutMs`). */
async function statusAfter(url: string, taskId: number, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  let status = "";
  while (Date.now() < until) {
    status = ((await (await fetch(`${url}/tasks/${taskId}`)).json()) as { status: string }).status;
    if (status === "completed") return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

describe("deployed functions under npm start (the built bundle)", () => {
  it("deploys a Node.js handler with the start URL's token and completes a task with it", { timeout: 60_000 }, async () => {
    const server = await servers.start();
    const token = new URL(server.startUrl).searchParams.get("token") ?? "";
    const deploy = await fetch(`${server.url}/api/function/code`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ language: "nodejs", code: nodeHandler() }),
    });
    expect(deploy.status).toBe(200);
    const task = (await (await fetch(`${server.url}/tasks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "from the bundle" }) })).json()) as { id: number };
    expect(await statusAfter(server.url, task.id, 20_000)).toBe("completed");
  });
});
