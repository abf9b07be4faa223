import type { FlowEvent } from "../../../common/events.js";
import { BurstTally, narrate } from "../describe.js";
import { LESSON_PACE } from "../pace.js";
import type { RedrivePolicies } from "../redrivePolicies.js";
import { filterOf, narrationLine, purgeLine } from "../stepWords.js";

/** Screen readers get at most one sentence group this often: a burst becomes a summary, not a flood. */
const SPEAK_EVERY_MS = 1500;
const BURST_SAY_EVERY_MS = 1000;

export interface Narration {
  /** Events just shown on the drawing (in order); `burst` when they were shown at once, in real time. */
  (shown: FlowEvent[], burst?: boolean): void;
}

/**
 * What just happened, in words, under the drawing: the last step shown as one sentence ("Step 4:
 * the trigger received the message of task 12, receive 2 of 3; …"), so the picture never runs
 * ahead of its explanation. A screen reader hears the same flow from an aria-live region, grouped
 * at most every 1.5 s and summed up during bursts ("Task 12: message sent to interview-queue;
 * received by the Lambda, attempt 2.").
 */
export function mountNarration(root: HTMLElement, policies: RedrivePolicies): Narration {
  root.innerHTML = `<p class="narration-line" aria-hidden="true">Each step of the flow lights up on the drawing as it happens, with its number from the lesson.</p><p class="narration visually-hidden" aria-live="polite"></p>`;
  const visible = root.querySelector(".narration-line") as HTMLElement;
  const spoken = root.querySelector(".narration") as HTMLElement;
  // The policy of the queue an event happened in (a dead-letter queue's: its source queue's).
  const line = (event: FlowEvent) => narrationLine(event, "queue" in event ? policies.of(event.queue) : null);
  let pending: FlowEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const speak = () => {
    timer = undefined;
    const text = narrate(pending);
    pending = [];
    if (text) spoken.textContent = text;
  };
  const filteredLine = (shown: FlowEvent[], last: FlowEvent) => {
    const filter = filterOf(shown, last);
    return filter ? line(filter) : null;
  };
  let burstSaidAt = -Infinity;
  // A burst's events not summed up yet, and the summary that will say them.
  let unsaid: FlowEvent[] = [];
  // A burst is over after the lesson pace's quiet spell without one of its events.
  const tally = new BurstTally(LESSON_PACE.burstQuietMs);
  let trailing: ReturnType<typeof setTimeout> | undefined;
  const show = (text: string | null) => {
    if (text && visible.textContent !== text) visible.textContent = text;
  };
  const sayBurst = () => {
    clearTimeout(trailing);
    trailing = undefined;
    burstSaidAt = performance.now();
    // A burst whose events say nothing a sentence can tell (only heartbeats, say) leaves the line as it is.
    const counted = tally.line();
    const other = counted ? "" : narrate(unsaid);
    const summary = counted ?? (other && `A burst, shown in real time: ${other}`);
    unsaid = [];
    if (summary) show(summary);
  };
  const say = ((shown, burst = false) => {
    if (shown.length === 0) return;
    for (const event of shown) policies.apply(event);
    tally.see(shown, performance.now());
    // The latest step shown, or a reset after it: the old world's last sentence must not stay under an empty drawing.
    const last = burst ? shown.findLast((e) => e.type === "world.reset") : shown.findLast((e) => line(e) !== null);
    if (last) {
      clearTimeout(trailing);
      trailing = undefined;
      unsaid = [];
      show(purgeLine(shown, last) ?? filteredLine(shown, last) ?? line(last));
    } else if (burst) {
      // Summed up once a second (a sentence rewritten ten times a second cannot be read), and once
      // more a second after the last: the line said "Task 9: now processing" for minutes after the
      // burst's last second, whose events were never summed up, had completed every task.
      unsaid.push(...shown);
      if (unsaid.length > 5000) unsaid = unsaid.slice(-5000);
      const since = performance.now() - burstSaidAt;
      if (since > BURST_SAY_EVERY_MS) sayBurst();
      else trailing ??= setTimeout(sayBurst, BURST_SAY_EVERY_MS - since);
    }
    pending.push(...shown);
    if (pending.length > 5000) pending = pending.slice(-5000);
    timer ??= setTimeout(speak, SPEAK_EVERY_MS);
  }) as Narration;
  return say;
}
