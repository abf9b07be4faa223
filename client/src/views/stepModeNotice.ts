// Step mode outlives the part that turned it on: a learner who left lesson 1 mid-part found the
// flow of lesson 21 stopped before step 1, its Run answered by nothing, and only the stage's
// "Release step 1" as a cue. A part that does not use step mode says so when it is on, and offers
// to turn it off (without "Reset the world", which would also undo the learner's deployed code).
import type { StepPart } from "../../../common/lessons.js";
import type { PlaygroundState } from "../../../common/state.js";
import { call } from "../api.js";
import { refusalOf } from "../refusal.js";

/** Whether a lesson part drives step mode itself (turns it on or off, or has Release buttons): then it needs no notice. */
export const usesStepMode = (parts: StepPart[]) => parts.some((p) => p.kind === "step-mode" || p.kind === "next");

/** The notice's markup, hidden until `showStepModeNotice` finds step mode on. */
export const STEP_MODE_NOTICE = `<div class="step-mode-notice" role="status" hidden><p>Step mode is still on: the flow stops before each of its six steps until you release it (the <strong>Release step</strong> button under the drawing). This part does not use it.</p><button type="button" class="run">Turn step mode off</button> <span class="answer"></span></div>`;

/** Shows or hides the part's notice for step mode as the state has it; wires its button once. */
export function showStepModeNotice(section: HTMLElement, stepMode: PlaygroundState["stepMode"]): void {
  const notice = section.querySelector<HTMLElement>(".step-mode-notice");
  if (!notice) return;
  notice.hidden = !stepMode.enabled;
  if (notice.dataset.wired) return;
  notice.dataset.wired = "true";
  const answer = notice.querySelector(".answer") as HTMLElement;
  notice.querySelector(".run")?.addEventListener("click", () => {
    answer.textContent = "";
    // The steps it held run at once, as lesson 1's last part says.
    void call("PUT", "/api/step-mode", { enabled: false }).then((result) => {
      answer.textContent = result.ok ? "turned off ✓" : `refused: ${refusalOf(result.json, result.status)}`;
    });
  });
}
