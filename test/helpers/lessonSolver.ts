import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { predictionMoment, type CheckResult, type Lesson, type LessonBlock, type PredictionOutcome } from "../../common/lessons.js";
import type { TestPlayground } from "./playground.js";
import { deploy as deployCode } from "./functionCode.js";
import { ROOT } from "./process.js";

const run = promisify(execFile);
// Labs wait on retries (5 s each) and on backlogs draining: a check may take a while to turn ✓.
const CHECK_TIMEOUT_MS = 45_000;

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
    case "trial":
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
    case "handler": {
      // The learner's Deploy, with the cell's starting code: the lesson's reference solution.
      const source = block.sources[0];
      if (source) await expectOk(deployCode(playground, source.language, source.code));
      return;
    }
    case "check":
    case "code":
    case "predict":
    case "hint":
      return;
  }
}

async function expectOk(response: Promise<Response>): Promise<void> {
  const answer = await response;
  if (!answer.ok) throw new Error(`refused: ${answer.status} ${await answer.text()}`);
}

/**
 * Checks describe where the world ends up: poll one until it passes, or fail with its last answer.
 * Every ✗ shown on the way is kept in `shownFailed`: a check must never fail while it can pass.
 */
async function awaitCheck(evaluate: () => Promise<CheckResult>, timeoutMs: number, shownFailed: CheckResult[], stopOnFailed: boolean): Promise<CheckResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await evaluate();
    if (result.status === "failed") shownFailed.push(result);
    if (result.ok || (stopOnFailed && result.status === "failed") || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function readOutcome(playground: TestPlayground, lessonId: string, step: number, index: number): Promise<PredictionOutcome> {
  const answer = await playground.send("POST", `/api/lessons/${lessonId}/predictions`, { step, index });
  if (!answer.ok) throw new Error(`prediction ${index} of part ${step}: ${answer.status}`);
  return (await answer.json()) as PredictionOutcome;
}

/**
 * A prediction answered "changes": watched from the moment the solver meets it, as the page does;
 * the first changed outcome that matches a choice is its answer (see predictionMoment).
 */
function watchChanges(playground: TestPlayground, lessonId: string, step: number, index: number): Promise<PredictionOutcome> {
  return (async () => {
    const baseline = await readOutcome(playground, lessonId, step, index);
    const deadline = Date.now() + CHECK_TIMEOUT_MS;
    for (;;) {
      const outcome = await readOutcome(playground, lessonId, step, index);
      const moment = predictionMoment(baseline, outcome);
      if (moment || Date.now() > deadline) return moment ?? outcome;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
}

export interface SolveOptions {
  /** How long one check may wait to pass (ms). */
  checkTimeoutMs?: number;
  /** Where a check is evaluated (default: the lesson's own checks route); the interview drill has its own. */
  evaluateCheck?: (part: number, index: number) => Promise<CheckResult>;
  /**
   * Each request answered before the next block, as the drill's Run the experiment presses them
   * (default: a lesson's requests are left running until the next check, since one may wait on a
   * step-mode Release pressed by a later block).
   */
  oneAtATime?: boolean;
  /** Only these parts (0-based), in order — a lab's broken setup and its proof without the fix. */
  parts?: number[];
  /** Stop waiting for a check once it shows ✗ (the lab tests that expect a verdict to fail). */
  stopOnFailed?: boolean;
}

export interface SolvedLesson {
  checks: CheckResult[];
  /** Every check answer that was ✗ while the solver waited (should be none). */
  shownFailed: CheckResult[];
  predictions: PredictionOutcome[];
}

/**
 * The reference solution of a lesson is the lesson itself, done in order: every request, command
 * and setting as a learner pressing Run would, and every check waited for until it turns ✓.
 */
export async function solveLesson(playground: TestPlayground, lesson: Lesson, options: SolveOptions = {}): Promise<SolvedLesson> {
  const evaluate =
    options.evaluateCheck ?? (async (step: number, index: number) => (await (await playground.send("POST", `/api/lessons/${lesson.id}/checks`, { step, index })).json()) as CheckResult);
  const results: CheckResult[] = [];
  const shownFailed: CheckResult[] = [];
  const predictions: PredictionOutcome[] = [];
  for (const [stepIndex, step] of lesson.steps.entries()) {
    if (options.parts && !options.parts.includes(stepIndex)) continue;
    let checkIndex = 0;
    let predictIndex = 0;
    // A request may wait on step mode's Next, pressed by a later block: it is awaited before checks.
    let pending: Promise<void>[] = [];
    const watches: Promise<PredictionOutcome>[] = [];
    // Predictions answered "checked" wait for the next check to pass.
    let awaitingCheck: number[] = [];
    const settle = async () => {
      await Promise.all(pending);
      pending = [];
    };
    for (const part of step.parts) {
      if (part.kind === "prose") continue;
      if (part.kind === "http" && options.oneAtATime) await request(playground, part);
      else if (part.kind === "http") pending.push(request(playground, part));
      else if (part.kind === "check") {
        await settle();
        // A check with a stated deadline may take that long (a retention period of 60 s): wait for it.
        const timeoutMs = Math.max(options.checkTimeoutMs ?? CHECK_TIMEOUT_MS, part.deadline ? part.deadline.seconds * 1000 + 5000 : 0);
        const index = checkIndex++;
        results.push(await awaitCheck(() => evaluate(stepIndex, index), timeoutMs, shownFailed, options.stopOnFailed ?? false));
        for (const index of awaitingCheck) watches.push(readOutcome(playground, lesson.id, stepIndex, index));
        awaitingCheck = [];
      } else if (part.kind === "predict") {
        if (part.when === "changes") watches.push(watchChanges(playground, lesson.id, stepIndex, predictIndex++));
        else awaitingCheck.push(predictIndex++);
      } else await perform(playground, part);
    }
    await settle();
    predictions.push(...(await Promise.all(watches)));
  }
  return { checks: results, shownFailed, predictions };
}
