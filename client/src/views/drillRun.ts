// One click runs a drill question's experiment: its blocks pressed in order, as a learner would
// press them in a lesson, each check waited for on the real state until it passes.
import type { DrillQuestion } from "../../../common/drill.js";
import type { CheckResult, LessonBlock } from "../../../common/lessons.js";
import { call } from "../api.js";
import { act } from "./notebookBlocks.js";
import { showCheck } from "./notebookLive.js";

/** A pause between actions, so the learner (and the lesson-paced drawing) can follow each one. */
const BETWEEN_ACTIONS_MS = 600;
/** A terminal command runs in the learner's shell; the page cannot see it finish, so it waits this long. */
const TERMINAL_MS = 2500;
const CHECK_EVERY_MS = 500;
const DRAWING_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunDeps {
  runInTerminal: (command: string) => void;
  /** Called once a terminal command has had its time: the terminal, opened tall for it, may shrink back. */
  terminalDone: () => void;
  /** Live events the lesson-paced drawing has not shown yet. */
  drawingBehind: () => number;
}

/** Resolves once the drawing has shown every live event (at most DRAWING_WAIT_MS: a paced drawing always catches up). */
async function drawingCaughtUp(behind: () => number, cancelled: () => boolean): Promise<void> {
  const until = Date.now() + DRAWING_WAIT_MS;
  while (behind() > 0 && !cancelled() && Date.now() < until) await sleep(200);
}

export interface ExperimentRun {
  /** Stop before the next block (the learner left the question). */
  cancel(): void;
  /** True when every check passed; false when one failed, timed out, an action was refused, or the run was cancelled. */
  done: Promise<boolean>;
}

/**
 * Run `question`'s experiment in `section`, whose `.block` elements are its blocks
 * (`data-part` = index in `question.experiment`). Checks are evaluated by the server
 * (`POST /api/drill/checks`) and shown with the lessons' three states; one waits at most the
 * question's `seconds` plus 30 s.
 */
export function runExperiment(question: DrillQuestion, section: HTMLElement, deps: RunDeps): ExperimentRun {
  let cancelled = false;
  const caughtUp = () => drawingCaughtUp(deps.drawingBehind, () => cancelled);
  let pressed = false;
  const done = (async () => {
    const found = await settingsNow();
    const finished = await pressAll();
    // Cut short (the learner left, a check failed): what it changed is put back, as a finished one
    // does itself. An experiment that began with a Reset owns the world it made: a Reset puts back
    // what its terminal commands changed too (left during its minute-long wait, the retention
    // experiment kept the queue at 60 s, and later lessons' messages expired).
    if (!finished && found) {
      if (pressed && question.experiment.find((b) => b.kind !== "prose")?.kind === "reset") await call("POST", "/api/reset");
      await restore(found);
    }
    return finished;
  })();
  async function pressAll(): Promise<boolean> {
    let checkIndex = 0;
    for (const el of section.querySelectorAll<HTMLElement>(".block")) {
      const block = question.experiment[Number(el.dataset.part)];
      if (cancelled) return false;
      if (!block || block.kind === "prose") continue;
      // At the learner's pace: the next block waits until the drawing has shown what the last one did.
      await caughtUp();
      el.classList.add("running");
      el.scrollIntoView({ block: "nearest" });
      if (block.kind !== "check") pressed = true;
      const ok = block.kind === "check" ? await waitForCheck(question, checkIndex++, el, caughtUp, () => cancelled) : await press(block, el, deps);
      el.classList.remove("running");
      if (!ok) return false;
      el.classList.add("done");
    }
    return !cancelled;
  }
  return { cancel: () => (cancelled = true), done };
}

/** What an experiment may change: the trigger's settings (both mappings' Enabled), the function's timeout, the faults. */
interface Settings {
  trigger: Record<string, unknown>;
  fifoEnabled: unknown;
  timeout: unknown;
  faults: unknown;
}

async function settingsNow(): Promise<Settings | null> {
  const [trigger, fifo, fn, faults] = await Promise.all(["/api/trigger", "/api/trigger/fifo", "/api/function", "/api/faults"].map((path) => call("GET", path)));
  if (!trigger?.ok || !fn?.ok || !faults?.ok) return null;
  const { BatchSize, MaximumBatchingWindowInSeconds, FunctionResponseTypes, ScalingConfig, Enabled, FilterCriteria } = trigger.json as Record<string, unknown>;
  return {
    trigger: { BatchSize, MaximumBatchingWindowInSeconds, FunctionResponseTypes, ScalingConfig, Enabled, FilterCriteria: FilterCriteria ?? {} },
    fifoEnabled: fifo?.ok ? (fifo.json as { Enabled?: unknown }).Enabled : undefined,
    timeout: (fn.json as { Timeout?: unknown }).Timeout,
    faults: faults.json,
  };
}

async function restore(found: Settings): Promise<void> {
  await call("PATCH", "/api/trigger", found.trigger);
  if (typeof found.fifoEnabled === "boolean") await call("PATCH", "/api/trigger/fifo", { Enabled: found.fifoEnabled });
  await call("PATCH", "/api/function", { Timeout: found.timeout });
  await call("PUT", "/api/faults", found.faults);
}

async function press(block: LessonBlock, el: HTMLElement, deps: RunDeps): Promise<boolean> {
  await act(block, el, deps.runInTerminal);
  const said = el.querySelector(".answer")?.textContent ?? "";
  await sleep(block.kind === "terminal" ? TERMINAL_MS : BETWEEN_ACTIONS_MS);
  if (block.kind === "terminal") deps.terminalDone();
  // act() words a refusal as "refused: …" (settings, reset, redrive) or an HTTP status of 400 and up.
  return !/refused|HTTP [45]\d\d/.test(said);
}

async function waitForCheck(question: DrillQuestion, index: number, el: HTMLElement, caughtUp: () => Promise<void>, cancelled: () => boolean): Promise<boolean> {
  const deadline = Date.now() + question.seconds * 1000 + 30_000;
  for (;;) {
    const answer = await call("POST", "/api/drill/checks", { question: question.id, index });
    if (!answer.ok) return false;
    const result = answer.json as CheckResult;
    // A pass is shown once the drawing shows it too (a check never runs ahead of the picture).
    if (result.status === "passed") await caughtUp();
    showCheck(el, result);
    if (result.status !== "waiting") return result.status === "passed";
    if (Date.now() > deadline || cancelled()) return false;
    await sleep(CHECK_EVERY_MS);
  }
}
