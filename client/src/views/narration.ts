import type { FlowEvent } from "../../../common/events.js";
import { narrate } from "../describe.js";

/** Screen readers get at most one sentence group this often: a burst becomes a summary, not a flood. */
const SPEAK_EVERY_MS = 1500;
/**
 * The flow told in words, in an aria-live region: what a sighted learner sees travel across the
 * visualizer, a screen reader says ("Task 12: message sent to interview-queue; received by the
 * Lambda, attempt 2."). Events are gathered and spoken together at most every 1.5 s.
 */
export function mountNarration(root: HTMLElement): (fresh: FlowEvent[]) => void {
  root.innerHTML = `<h2 class="visually-hidden">Narration</h2><p class="narration" aria-live="polite"></p>`;
  const line = root.querySelector(".narration") as HTMLElement;
  let pending: FlowEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const speak = () => {
    timer = undefined;
    const text = narrate(pending);
    pending = [];
    if (text) line.textContent = text;
  };
  return (fresh) => {
    if (fresh.length === 0) return;
    pending.push(...fresh);
    timer ??= setTimeout(speak, SPEAK_EVERY_MS);
  };
}
