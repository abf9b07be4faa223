import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CheckResult, Lesson, LessonBlock } from "../../common/lessons.js";
import type { TestPlayground } from "./playground.js";
import { ROOT } from "./process.js";

const run = promisify(execFile);
const CHECK_TIMEOUT_MS = 25_000;

/** A shell like the playground's terminal: the project's bin/ first, the embedded SQS as the endpoint. */
export async function runInShell(playground: TestPlayground, command: string): Promise<{ stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    PATH: `${join(ROOT, "bin")}:${process.env.PATH ?? ""}`,
    AWS_ENDPOINT_URL: playground.sqsEndpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
    PLAYGROUND_URL: playground.url,
  };
  // Generous: a burst of 200 curls on a busy 2-core machine can take tens of seconds.
  return run("bash", ["-c", command], { cwd: ROOT, env, timeout: 120_000 });
}

async function request(playground: TestPlayground, block: Extract<LessonBlock, { kind: "http" }>): Promise<void> {
  const response = await fetch(`${playground.url}${block.path}`, { method: block.method, headers: block.headers, ...(block.body === null ? {} : { body: block.body }) });
  if (response.status >= 400) throw new Error(`${block.method} ${block.path} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

/** In step mode, Next is pressed once a step waits (as a learner would, seeing it wait). */
async function pressNext(playground: TestPlayground, step: string | null): Promise<void> {
  const deadline = Date.now() + CHECK_TIMEOUT_MS;
  for (;;) {
    const view = (await (await playground.get("/api/step-mode")).json()) as { paused: { step: string }[] };
    const waiting = view.paused[0];
    if (waiting && (step === null || waiting.step === step)) break;
    if (Date.now() > deadline) throw new Error(`no step "${step ?? "any"}" waited; waiting: ${JSON.stringify(view.paused)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await expectOk(playground.send("POST", "/api/step-mode/next"));
}

async function perform(playground: TestPlayground, block: LessonBlock): Promise<void> {
  switch (block.kind) {
    case "http":
      return request(playground, block);
    case "next":
      return pressNext(playground, block.step);
    case "redrive":
    case "reset":
      return expectOk(playground.send("POST", `/api/${block.kind}`));
    case "terminal":
      await runInShell(playground, block.command);
      return;
    case "faults":
      await expectOk(playground.send("PUT", "/api/faults", block.body));
      return;
    case "trigger":
      await expectOk(playground.send("PATCH", "/api/trigger", block.body));
      return;
    case "step-mode":
      await expectOk(playground.send("PUT", "/api/step-mode", block.body));
      return;
    case "check":
    case "code":
    case "predict":
      return;
  }
}

async function expectOk(response: Promise<Response>): Promise<void> {
  const answer = await response;
  if (!answer.ok) throw new Error(`refused: ${answer.status} ${await answer.text()}`);
}

/** Checks describe where the world ends up: poll one until it passes, or fail with its last answer. */
async function awaitCheck(playground: TestPlayground, lessonId: string, step: number, index: number, timeoutMs: number): Promise<CheckResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = (await (await playground.send("POST", `/api/lessons/${lessonId}/checks`, { step, index })).json()) as CheckResult;
    if (result.ok || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The reference solution of a lesson is the lesson itself, done in order: every request, command
 * and setting as a learner pressing Run would, and every check waited for until it turns ✓.
 */
export async function solveLesson(playground: TestPlayground, lesson: Lesson, options: { checkTimeoutMs?: number } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [stepIndex, step] of lesson.steps.entries()) {
    let checkIndex = 0;
    let predictIndex = 0;
    // A request may wait on step mode's Next, pressed by a later block: it is awaited before checks.
    let pending: Promise<void>[] = [];
    const settle = async () => {
      await Promise.all(pending);
      pending = [];
    };
    for (const part of step.parts) {
      if (part.kind === "prose") continue;
      if (part.kind === "http") pending.push(request(playground, part));
      else if (part.kind === "check") {
        await settle();
        results.push(await awaitCheck(playground, lesson.id, stepIndex, checkIndex++, options.checkTimeoutMs ?? CHECK_TIMEOUT_MS));
      } else if (part.kind === "predict") {
        const outcome = await playground.send("POST", `/api/lessons/${lesson.id}/predictions`, { step: stepIndex, index: predictIndex++ });
        if (!outcome.ok) throw new Error(`prediction ${predictIndex - 1} of step ${stepIndex}: ${outcome.status}`);
      } else await perform(playground, part);
    }
    await settle();
  }
  return results;
}
