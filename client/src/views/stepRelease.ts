import type { PlaygroundState } from "../../../common/state.js";
import { call, esc } from "../api.js";

/** Draws what step mode holds, from the state the drawing shows. */
export type StepRelease = (stepMode: PlaygroundState["stepMode"]) => void;

/**
 * Step mode's part of the line under the drawing, beside the sentence that says what waits: the
 * **Release step n** button while a step waits (`POST /api/step-mode/next`), "Step mode on: nothing
 * waits now" between pauses, and nothing when step mode is off. The sentence itself is the
 * narration's ("Step 4 waits: the trigger is about to invoke …"): a line of its own above the
 * drawing said the same again and took the drawing's height, so its words fell under 12 px with
 * the drawer open at 768 px. A screen reader hears what waits from this part's live region.
 */
export function mountStepRelease(root: HTMLElement): StepRelease {
  root.setAttribute("aria-live", "polite");
  return ({ enabled, paused }) => {
    const waiting = paused[0];
    const markup = !enabled
      ? ""
      : waiting
        ? `<span class="visually-hidden">Step mode: step ${waiting.stepNumber} waits — ${esc(waiting.detail)}.</span><button type="button" class="next-step" title="Step ${waiting.stepNumber} waits: ${esc(waiting.detail)}">Release step ${waiting.stepNumber} ▶</button>`
        : `<span class="step-mode-idle">Step mode on: nothing waits now</span>`;
    // Rewritten only when it changes: the drawing is redrawn several times a second, and a button
    // rebuilt each time would drop its keyboard focus and a click in progress.
    if (root.dataset.shown === markup) return;
    root.dataset.shown = markup;
    root.innerHTML = markup;
    root.querySelector(".next-step")?.addEventListener("click", () => void call("POST", "/api/step-mode/next"));
  };
}
