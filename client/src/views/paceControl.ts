import type { FlowEvent } from "../../../common/events.js";
import type { RunRecording } from "../../../common/run.js";
import type { PlaygroundState } from "../../../common/state.js";
import { Pacer, pacedTime } from "../pace.js";

const PACE_KEY = "queue-flow-playground.lesson-pace";
const TICK_MS = 100;
/** The most events folded per tick to keep the paced picture's fold near the live end. */
const FOLD_CHUNK = 2000;

export interface PaceDeps {
  /** The live recording: the paced picture is its state a few events behind the end. */
  recording: RunRecording;
  /** The live state (the store's fold), drawn as it is once nothing waits. */
  live: () => PlaygroundState;
  /** Draw the flow: the state, the events just shown (animated), whether they came in a burst, and the moment shown (epoch ms). */
  show: (state: PlaygroundState, shown: FlowEvent[], burst: boolean, now: number) => void;
}

export interface PaceControl {
  /** Live events just recorded and folded into the live state. */
  arrive(events: readonly FlowEvent[]): void;
  /** A redraw of the live world (countdowns, a new state): drawn unless paced events still wait. */
  redraw(): void;
  /** Show everything at once and stop pacing what is waiting (a rewind, a reconnect); until the next live events, the recording is left alone. */
  flush(): void;
  /** Whether the drawing follows the lesson pace (and the live draw must leave it alone). */
  readonly pacing: boolean;
  /** Live events not drawn yet (0 in real time): the interview drill waits for the drawing. */
  readonly behind: number;
  /** Whether the drawing has shown every live event that arrived up to `seq` (always, in real time). */
  shownThrough(seq: number): boolean;
}

/**
 * The lesson pace switch and its counter above the drawing: "Lesson pace" plays live events to the
 * drawing one step at a time (client/src/pace.ts) with "catching up (n events)" while it is
 * behind; "Real time" shows them as they come. Bursts are shown in real time either way, and the
 * bar says so. On by default; the learner's choice is kept in the browser.
 */
export function mountPaceControl(root: HTMLElement, deps: PaceDeps): PaceControl {
  root.innerHTML = `<button type="button" class="pace-toggle" aria-pressed="true" title="Play each step of the flow slowly enough to follow it">Lesson pace</button><span class="pace-status" role="status"></span>`;
  const toggle = root.querySelector(".pace-toggle") as HTMLButtonElement;
  const status = root.querySelector(".pace-status") as HTMLElement;
  const pacer = new Pacer();
  let timer: ReturnType<typeof setInterval> | undefined;

  const say = (text: string) => {
    if (status.textContent !== text) status.textContent = text;
  };
  const label = (burst: boolean) => {
    if (pacer.realTime) say("real time");
    // Said once per burst, not counted up ten times a second (each rewrite is a layout).
    else if (burst) say("a burst: shown in real time");
    // Counted in steps of the flow, the events a learner sees go by (SQS calls ride along with them).
    else say(pacer.stepsBehind > 0 ? `catching up (${pacer.stepsBehind} event${pacer.stepsBehind === 1 ? "" : "s"})` : "");
  };

  // The drawing's clock while it is behind: it starts at the moment of the first step shown and
  // runs at the pace of a real clock, jumping ahead when a step shown happened later still. The
  // visibility countdowns on the cards then agree with the sentence under the drawing ("invisible
  // to others for 5 s") instead of running out before the learner has seen the message received.
  let clock: { at: number; wall: number } | null = null;
  const pacedNow = () => (clock ? pacedTime(clock, Date.now(), pacer.nextEventAt) : Date.now());
  let shownState: PlaygroundState | null = null;

  // The paced picture is the recording's state a few events behind its end (common/run.ts folds
  // forward from where it last stood). That fold is kept near the end a chunk per tick, so after a
  // burst of 70,000 events the next paced step does not fold them all at once (one long task).
  let folded = { snapshot: deps.recording.snapshot, count: 0 };
  const foldToward = (target: number): PlaygroundState | null => {
    if (folded.snapshot !== deps.recording.snapshot) folded = { snapshot: deps.recording.snapshot, count: 0 };
    const to = Math.min(target, folded.count + FOLD_CHUNK);
    const state = deps.recording.stateAfter(to);
    folded.count = to;
    return to === target ? state : null;
  };

  const tick = () => {
    const { events, burst } = pacer.tick(Date.now());
    const target = deps.recording.length - pacer.behind;
    const last = events.at(-1);
    if (last) {
      if (clock === null || last.at > pacedNow()) clock = { at: last.at, wall: Date.now() };
      // Nothing left behind: the live fold is that state, at the real time. A fold still far behind
      // (just after a burst) cannot show the paced moment yet: the live state is shown instead.
      shownState = pacer.behind === 0 ? null : foldToward(target);
      if (shownState === null) {
        pacer.flush();
        clock = null;
      }
      deps.show(shownState ?? deps.live(), events, burst, shownState ? pacedNow() : Date.now());
    } else {
      if (folded.count < target) foldToward(target);
      if (shownState && pacer.behind > 0) deps.show(shownState, [], false, pacedNow());
    }
    label(burst);
    if (pacer.behind === 0 && !burst && folded.count >= deps.recording.length && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const setRealTime = (on: boolean) => {
    pacer.realTime = on;
    toggle.setAttribute("aria-pressed", String(!on));
    localStorage.setItem(PACE_KEY, on ? "real-time" : "lesson");
    if (on && pacer.flush().length > 0) deps.show(deps.live(), [], false, Date.now());
    clock = null;
    shownState = null;
    label(false);
  };
  toggle.addEventListener("click", () => setRealTime(!pacer.realTime));
  setRealTime(localStorage.getItem(PACE_KEY) === "real-time");

  return {
    arrive(events) {
      if (events.length === 0 || pacer.realTime) return;
      pacer.arrive(events, Date.now());
      // A recording that started again no longer holds what waits: show it all.
      if (pacer.behind > deps.recording.length) pacer.flush();
      // The drawing showed the live end (nothing was waiting), and now events wait their turn: it
      // is handed the moment actually shown. A redraw the visualizer had deferred held the live
      // state object, which the store keeps folding forward; drawn late, it showed the task
      // completed under "Step 1".
      if (timer !== undefined && shownState === null && pacer.behind > 0) {
        shownState = foldToward(deps.recording.length - pacer.behind);
        if (shownState) deps.show(shownState, [], false, pacedNow());
      }
      // After a quiet moment the first step is shown at once; while the timer runs (a step on
      // screen, a burst), events wait for its next tick: a burst's many batches are drawn ten
      // times a second, not once each.
      if (timer === undefined) {
        tick();
        timer = setInterval(tick, TICK_MS);
      }
    },
    redraw() {
      if (pacer.behind === 0) deps.show(deps.live(), [], false, Date.now());
    },
    flush() {
      pacer.flush();
      clock = null;
      shownState = null;
      // Time travel moves the recording's fold now: this view leaves it alone (its ticks stop until
      // live events come again), and where the fold stands is no longer known.
      clearInterval(timer);
      timer = undefined;
      folded.count = 0;
      label(false);
    },
    get pacing() {
      return !pacer.realTime;
    },
    get behind() {
      return pacer.behind;
    },
    shownThrough: (seq) => pacer.shownThrough(seq),
  };
}
