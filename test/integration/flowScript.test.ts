import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/process.js";
import { playgroundPerTest } from "../helpers/playground.js";

const run = promisify(execFile);
const playgrounds = playgroundPerTest();

const script = (url: string, timeout = "10") =>
  run("bash", ["test_complete_flow.sh"], { cwd: ROOT, env: { ...process.env, PLAYGROUND_URL: url, TIMEOUT_SECONDS: timeout } });

describe("./test_complete_flow.sh", () => {
  it("walks a task through all six steps and exits 0", async () => {
    const playground = await playgrounds.start();
    const { stdout } = await script(playground.url);
    for (const step of ["Step 1", "Step 2", "Step 3", "Steps 4–5", "Step 6"]) expect(stdout).toContain(step);
    expect(stdout).toMatch(/task 1 is completed/);
    expect(stdout).toMatch(/PASSED: task 1 went through all six steps/);
    expect(playground.store.get(1)?.status).toBe("completed");
  });

  it("exits non-zero with a clear message when the task is not completed in time", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const failure = (await script(playground.url, "1").then(
      () => undefined,
      (error: unknown) => error,
    )) as { code: number; stderr: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/FAILED: task 1 is still 'pending' after 1s \(is the trigger enabled\?/);
  });

  it("says so when no playground is running", async () => {
    const failure = (await script("http://127.0.0.1:9").catch((error: unknown) => error)) as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/no playground answers at http:\/\/127.0.0.1:9/);
  });
});
