// The live side of one visit to a lesson part: its checks, predictions and Release buttons follow
// the real state. Every evaluation reads the state after the latest change (see recheck.ts).
import { predictionMoment, type CheckResult, type Lesson, type PredictBlock, type PredictionOutcome } from "../../../common/lessons.js";
import type { StepModeView } from "../../../common/events.js";
import { call } from "../api.js";
import { predictionText, stepName } from "./notebookBlocks.js";

interface LiveCheck {
  el: HTMLElement;
  index: number;
  /** Evaluated on every change once the learner acted in the part before it, or pressed Check. */
  live: boolean;
  /** A check that passed stays ✓ for this visit: the learner did it. */
  passed: boolean;
  /**
   * Passed on an earlier visit (the learner did this part before): looked at once as the part opens,
   * ✓ only if the world still holds it (a kept ✓ showed "three messages wait" beside a drawing with
   * two, after a reload); judged afresh once the learner acts in the part.
   */
  earlier?: boolean;
  /** Passed on the server, not shown yet: the lesson-paced drawing has not reached the event that made it true. */
  held?: CheckResult & { seq: number };
  /** Made live by the learner's action: its first state (what it waits for) is news too, not only its ✓. */
  awaited?: boolean;
  /** Live as the part opened: nothing to do before it in its part. */
  fromStart: boolean;
}

interface LivePrediction {
  el: HTMLElement;
  index: number;
  block: PredictBlock;
  /** The check whose first pass answers a prediction answered "checked". */
  answeredBy: LiveCheck | undefined;
  baseline?: PredictionOutcome;
  answer?: PredictionOutcome;
}

/** What a learner achieved in a part, kept across visits (the notebook keeps it in the browser). */
export interface KeptResults {
  /** Whether check `index` of the part passed on an earlier visit. */
  passed(index: number): boolean;
  /** Check `index` passed. */
  pass(index: number): void;
  /** Check `index` failed (✗): a pass kept from before no longer speaks for the part. */
  forget(index: number): void;
  /** Prediction `index`'s answer, recorded at its moment on an earlier visit. */
  answer(index: number): PredictionOutcome | undefined;
  answered(index: number, outcome: PredictionOutcome): void;
}

const NOTHING_KEPT: KeptResults = { passed: () => false, pass: () => {}, forget: () => {}, answer: () => undefined, answered: () => {} };

/** What a check that passed on an earlier visit says until the learner does the part again. */
export const EARLIER_WHY = "Passed when you did this part, and the world still holds it. Do the part again and this check follows the world again.";

/** What a check that passed on an earlier visit says when the world no longer holds it. */
export const EARLIER_GONE = "Passed when you did this part before; the world has changed since. Do the part again to see it pass again.";

/** Blocks a learner presses to change the world. */
const ACTIONS = new Set(["http", "terminal", "faults", "trigger", "step-mode", "next", "redrive", "reset"]);

// Glyphs every font draws (an hourglass emoji showed as a box in Debian's Chromium).
const MARKS = { unchecked: "○", waiting: "…", passed: "✓", failed: "✗" } as const;

/** What a prediction answered says while the drawing has not yet shown the moment. */
export const HELD_ANSWER = "It has happened: the drawing is still playing it, at the lesson pace; the answer follows once it has shown it.";

/** What a check that passed says while the drawing has not yet shown how. */
export const HELD_WHY = "the drawing is still playing what happened, at the lesson pace; ✓ once it has shown it";

/**
 * Shows a check's state: waiting says what for; ✗ says why it can no longer pass, in the lesson's
 * words (the label says what was wanted; "expected lastTask.status = completed, got …" named the
 * state's internals, not what the learner sees).
 */
export function showCheck(el: HTMLElement, result: CheckResult): void {
  el.dataset.status = result.status;
  el.classList.toggle("ok", result.status === "passed");
  el.classList.toggle("failed", result.status === "failed");
  el.classList.toggle("waiting", result.status === "waiting");
  (el.querySelector(".mark") as HTMLElement).textContent = MARKS[result.status];
  const detail = el.querySelector(".detail") as HTMLElement;
  detail.textContent =
    result.status === "passed" ? (result.why ? sentence(result.why.charAt(0).toUpperCase() + result.why.slice(1)) : "") : result.status === "waiting" ? `Waiting: ${sentence(result.why)}` : `Can no longer pass: ${sentence(result.why)}`;
}

/** A lesson's words as a sentence: a full stop unless they end with their own ("…before the request?." read as a typo). */
const sentence = (words: string) => (/[.?!]$/.test(words) ? words : `${words}.`);

/** A check as the part shows it before anything is done: ○, nothing said. */
function showUnchecked(el: HTMLElement): void {
  el.dataset.status = "unchecked";
  el.classList.remove("ok", "failed", "waiting");
  (el.querySelector(".mark") as HTMLElement).textContent = MARKS.unchecked;
  (el.querySelector(".detail") as HTMLElement).textContent = "";
}

/** A check passed on an earlier visit, as the world is now: ✓ if it still holds, else ○; says which. */
function showEarlier(el: HTMLElement, holds: boolean): void {
  if (holds) showCheck(el, { status: "passed", ok: true, label: "", expected: "", actual: "", why: "" });
  else showUnchecked(el);
  (el.querySelector(".detail") as HTMLElement).textContent = holds ? EARLIER_WHY : EARLIER_GONE;
}

/**
 * A check whose state changed, brought into view in its lesson column if it is out of it (only the
 * column scrolls, never the page; a tall check keeps its top in view). At 1024×768 lesson 3's part 3
 * has its checks under a 12-line code block, and its terminal docks under the lesson: "one message
 * is in flight" turned ✓ below the column's edge, unseen. Scrolled only when the state changes, so
 * a learner reading elsewhere is moved once per answer, never while a check waits.
 */
function bringIntoView(el: HTMLElement): void {
  const column = el.closest<HTMLElement>(".notebook");
  if (!column || column.scrollHeight <= column.clientHeight) return;
  const box = column.getBoundingClientRect();
  const shown = el.getBoundingClientRect();
  const margin = 8;
  if (shown.top < box.top) column.scrollTop -= box.top - shown.top + margin;
  else if (shown.bottom > box.bottom) column.scrollTop += Math.max(0, Math.min(shown.bottom - box.bottom + margin, shown.top - box.top - margin));
}

export class LivePart {
  private readonly checks: LiveCheck[] = [];
  private readonly predictions: LivePrediction[] = [];
  private readonly nexts: HTMLElement[];
  private closed = false;

  constructor(
    private readonly lesson: Lesson,
    private readonly part: number,
    section: HTMLElement,
    /** The learner's kept choice for prediction `index` of this part. */
    private readonly chosen: (index: number) => string | undefined,
    /** Whether the flow drawing has shown every event up to `seq` (it may play them at the lesson pace). */
    private readonly drawnThrough: (seq: number) => boolean = () => true,
    /** Checks passed and predictions answered on earlier visits: going back to a part shows them, not ○. */
    private readonly kept: KeptResults = NOTHING_KEPT,
  ) {
    const blocks = [...section.querySelectorAll<HTMLElement>(".block")];
    const steps = lesson.steps[part]?.parts ?? [];
    // A check with nothing to do before it in its part is about the world as it is: live at once.
    let acted = false;
    for (const el of blocks) {
      const block = steps[Number(el.dataset.part)];
      if (block && ACTIONS.has(block.kind)) acted = true;
      if (block?.kind === "check") {
        const index = this.checks.length;
        const earlier = kept.passed(index);
        this.checks.push({ el, index, live: !acted || earlier, passed: false, earlier, fromStart: !acted });
      }
      if (block?.kind === "predict") {
        const index = this.predictions.length;
        // Without its seq: recorded on an earlier visit (perhaps before a restart numbered events afresh), the drawing is past it.
        const earlier = kept.answer(index);
        this.predictions.push({ el, index, block, answeredBy: undefined, answer: earlier && { actual: earlier.actual, matching: earlier.matching } });
      }
    }
    for (const prediction of this.predictions) {
      prediction.answeredBy = this.checks.find((c) => prediction.el.compareDocumentPosition(c.el) & Node.DOCUMENT_POSITION_FOLLOWING);
    }
    this.nexts = blocks.filter((el) => el.classList.contains("step-next"));
    this.actions = blocks.filter((el) => ACTIONS.has(steps[Number(el.dataset.part)]?.kind ?? ""));
  }

  private readonly actions: HTMLElement[];

  /**
   * The learner pressed `el` (an action or a Check): it and the checks after it up to the part's
   * next action go live, and so does every check before it (the learner has moved past them).
   * A check further on waits for its own action: live at the first press, lesson 13's "the
   * consumer took it once it was back" was ✓ on the previous part's task before the consumer had
   * even been stopped. After a code cell's Deploy or Reset, such a check goes back to ○.
   */
  acted(el: HTMLElement): void {
    // The learner is doing the part again: an earlier visit's ✓ no longer speaks for the world,
    // not even for a check whose own action is still to come (lesson 1's "the stepped task is
    // completed" stayed ✓ while the new task waited at step 5).
    for (const check of this.checks) {
      if (!check.earlier) continue;
      check.earlier = check.passed = false;
      showUnchecked(check.el);
    }
    const follows = (a: Node, b: Node) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    // An action still behind a hint (a lab's fix) is not one the learner can press: lab 5's proof
    // checks waited ○ after "Start a trial" for a terminal block the learner typed by hand instead.
    const nextAction = this.actions.find((action) => follows(el, action) && !action.hidden);
    const pressedCheck = el.classList.contains("check");
    const deployedCode = el.classList.contains("handler");
    for (const check of this.checks) {
      const led = follows(el, check.el) && (!nextAction || follows(check.el, nextAction));
      // A code cell's Deploy or Reset changes the function the checks further on are about: a ✓
      // the version before earned is taken back, and they wait for their own action again (lesson
      // 21's "the invocation failed" stayed ✓ on the learner's earlier version after the typo's deploy).
      if (deployedCode && follows(el, check.el) && !led) {
        Object.assign(check, { live: false, passed: false, held: undefined, awaited: false });
        showUnchecked(check.el);
        continue;
      }
      if (!(check.el === el || follows(check.el, el) || led)) continue;
      check.live = true;
      check.awaited = true;
      // Its action done again: judged again on the world now, its ✓ kept on screen until the answer
      // says otherwise (a lab's verdict stayed ✓ through twice the orders it asks for). Not at a
      // Check press: a ✓ may be a passing moment ("the task waits behind the poison message" in
      // lesson 15), and judged again later it went back to waiting for good.
      if (led && !pressedCheck && !check.earlier) check.passed = false;
    }
  }

  /**
   * The world was reset from this part: the learner starts it again. Checks go back to ○ (live
   * again only once their action is done), predictions wait for their moment again, and every
   * Release button is to press again. `pressed`: the part's own Reset, when that was it: then only
   * what follows it starts again.
   */
  restart(pressed?: HTMLElement): void {
    // Only what follows the Reset pressed: a clean-up Reset at a part's end (a lab's last step)
    // leaves the verdict above it ✓.
    const after = (el: HTMLElement) => !pressed || (pressed.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    for (const check of this.checks) {
      if (!after(check.el)) continue;
      Object.assign(check, { live: check.fromStart, passed: false, earlier: false, held: undefined, awaited: false });
      showUnchecked(check.el);
    }
    for (const prediction of this.predictions) {
      if (!after(prediction.el)) continue;
      prediction.baseline = prediction.answer = undefined;
      (prediction.el.querySelector(".answer") as HTMLElement).textContent = "";
    }
    for (const el of this.nexts) if (after(el)) el.classList.remove("done", "ready");
    // What the part's actions answered is about the world before the reset ("applied ✓" beside a
    // step mode the reset turned off): only the Reset pressed keeps its "done ✓".
    for (const el of this.actions) {
      const answer = el === pressed || !after(el) ? null : el.querySelector<HTMLElement>(".answer");
      if (!answer) continue;
      answer.textContent = "";
      if (answer.tagName === "PRE") answer.hidden = true;
    }
  }

  /** Whether time alone may change something shown (a deadline, a countdown, a step arriving). */
  get waiting(): boolean {
    return this.checks.some((c) => (c.live && !c.passed) || c.held) || this.predictions.some((p) => !p.answer) || this.nexts.some((el) => !el.classList.contains("done"));
  }

  close(): void {
    this.closed = true;
  }

  /**
   * Show what really happened for a prediction (its answer, or when it will come). An answer the
   * lesson-paced drawing has not shown yet waits for it: "what happened: once, with five records"
   * beside a drawing still showing the handler idle told the ending first.
   */
  reveal(el: HTMLElement): void {
    const prediction = this.predictions.find((p) => p.el === el);
    if (!prediction) return;
    const answer = prediction.answer;
    const drawn = !answer || answer.seq === undefined || this.drawnThrough(answer.seq);
    (el.querySelector(".answer") as HTMLElement).textContent = drawn ? predictionText(prediction.block, this.chosen(prediction.index), answer) : HELD_ANSWER;
  }

  /** Show a prediction's answer if its moment has already come. */
  revealIfAnswered(el: HTMLElement): void {
    if (this.predictions.find((p) => p.el === el)?.answer) this.reveal(el);
  }

  /**
   * The drawing has shown more: a ✓ held back until it reached the event that made its check true
   * is shown now. (A ✓ ahead of the picture told the learner it was done before they saw it happen.)
   */
  drawn(): void {
    for (const prediction of this.predictions) {
      const text = (prediction.el.querySelector(".answer") as HTMLElement).textContent;
      if (text === HELD_ANSWER && prediction.answer?.seq !== undefined && this.drawnThrough(prediction.answer.seq)) this.reveal(prediction.el);
    }
    for (const check of this.checks) {
      if (!check.held || !this.drawnThrough(check.held.seq)) continue;
      this.show(check, check.held);
      check.held = undefined;
      this.kept.pass(check.index);
    }
  }

  /**
   * Show a check's state; a change the learner waits for (any change after the first state, or the
   * first state of a check their action made live) is brought into view. A check live from the start
   * shows "waiting" as the part opens: scrolling to it then would hide the part's beginning.
   */
  private show(check: LiveCheck, result: CheckResult): void {
    const before = check.el.dataset.status;
    showCheck(check.el, result);
    if (result.status !== before && (before !== "unchecked" || check.awaited)) bringIntoView(check.el);
  }

  /** Re-evaluate everything live on the state as it is now. */
  async evaluate(): Promise<void> {
    this.drawn();
    for (const check of this.checks) {
      if (!check.live || check.passed) continue;
      const answer = await call("POST", `/api/lessons/${this.lesson.id}/checks`, { step: this.part, index: check.index });
      if (this.closed) return;
      if (!answer.ok) throw new Error(`check ${check.index}: HTTP ${answer.status}`);
      const result = answer.json as CheckResult;
      check.passed = result.status === "passed";
      if (check.earlier && check.passed) {
        showEarlier(check.el, true);
        continue;
      }
      if (check.earlier) {
        // No longer true: a check with an action before it waits for the learner to do it again.
        check.earlier = false;
        check.live = check.fromStart;
        if (!check.live) {
          showEarlier(check.el, false);
          continue;
        }
      }
      if (check.passed && result.seq !== undefined && !this.drawnThrough(result.seq)) {
        check.held = { ...result, seq: result.seq };
        this.show(check, { ...result, status: "waiting", ok: false, why: HELD_WHY });
      } else {
        this.show(check, result);
        if (check.passed) this.kept.pass(check.index);
        // Gone back to later, a part whose check ended ✗ said "Passed when you did this part before".
        if (result.status === "failed") this.kept.forget(check.index);
      }
    }
    for (const prediction of this.predictions) {
      if (prediction.answer) continue;
      // A ✓ from an earlier visit does not answer it: the world has moved on since.
      if (prediction.block.when === "checked" && (!prediction.answeredBy?.passed || prediction.answeredBy.earlier)) continue;
      const answer = await call("POST", `/api/lessons/${this.lesson.id}/predictions`, { step: this.part, index: prediction.index });
      if (this.closed) return;
      if (!answer.ok) throw new Error(`prediction ${prediction.index}: HTTP ${answer.status}`);
      const outcome = answer.json as PredictionOutcome;
      if (prediction.block.when === "checked") prediction.answer = outcome;
      else if (!prediction.baseline) prediction.baseline = outcome;
      else prediction.answer = predictionMoment(prediction.baseline, outcome);
      if (prediction.answer) this.kept.answered(prediction.index, prediction.answer);
      // Answered at its moment: shown at once to a learner who made a choice.
      if (prediction.answer && this.chosen(prediction.index) !== undefined) this.reveal(prediction.el);
    }
    await this.showWaitingStep();
  }

  /** Beside the first Release button still to press: whether its step has arrived. */
  private async showWaitingStep(): Promise<void> {
    const next = this.nexts.find((el) => !el.classList.contains("done"));
    if (!next) return;
    const reply = await call("GET", "/api/step-mode");
    const view = reply.ok ? (reply.json as StepModeView) : null;
    // Released while the answer was on its way: "released step n ✓" stays (it once got overwritten).
    if (this.closed || !view || next.classList.contains("done")) return;
    const waiting = view.paused[0];
    const named = next.dataset.step;
    const answer = next.querySelector(".answer") as HTMLElement;
    next.classList.toggle("ready", Boolean(waiting && (!named || waiting.step === named)));
    if (!view.enabled) answer.textContent = " step mode is off";
    else if (waiting && (!named || waiting.step === named)) answer.textContent = ` ${stepName(waiting.step)} is waiting for you`;
    else if (waiting) answer.textContent = ` ${stepName(waiting.step)} waits first`;
    else answer.textContent = named ? ` ${stepName(named)} has not arrived yet` : " no step is waiting yet";
  }
}
