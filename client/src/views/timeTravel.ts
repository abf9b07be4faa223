import type { FlowEvent } from "../../../common/events.js";
import { RunRecording } from "../../../common/run.js";
import type { PlaygroundState } from "../../../common/state.js";
import { esc } from "../api.js";
import { describe } from "../describe.js";

/** Draw the panels that show the world (visualizer, tasks, queue, timeline) at the moment `now`. */
export type Draw = (state: PlaygroundState, fresh: FlowEvent[], now: number) => void;

export interface TimeTravelDeps {
  /** The live recording, fed by the socket; the page may replace what is shown with an imported one. */
  recording: RunRecording;
  draw: Draw;
  /** Where the shown moment moved to (a seq, or null for live), for the presenter to announce. */
  onMove?: (seq: number | null) => void;
}

export interface TimeTravel {
  /** Live events arrived (already recorded, folded into `state`): drawn now, or later in slow motion. */
  onLive(state: PlaygroundState, fresh: FlowEvent[]): void;
  /** Show the moment of event `seq` (null: live), as the presenter's page asks a follower's to. */
  goToSeq(seq: number | null): void;
  /** True while the page shows the live world (no rewind, no replay, no slow motion behind). */
  readonly live: boolean;
}

const SPEEDS = [0.25, 0.5, 1, 2, 4];
const TICK_MS = 50;
/** Playback skips quiet stretches longer than this (run time): nobody wants to watch an idle queue. */
const MAX_IDLE_MS = 1500;
const MOMENTS_SHOWN = 12;

/** The moments worth jumping to: where things went wrong, or were changed on purpose. */
const isMoment = (e: FlowEvent) =>
  e.type === "message.dead-lettered" || e.type === "world.reset" || e.type === "faults.changed" || e.type === "trigger.updated" || (e.type === "task.updated" && e.task.status === "failed" && e.from !== "failed");

/**
 * A scrubber over the event log. Moving it folds the recording's snapshot plus the events up to
 * that point (common/run.ts) and redraws the world as it was; Play replays from there at 0.25× to
 * 4×; slow motion plays live bursts at that speed instead of all at once; Live returns to now.
 * An imported run replaces the live recording until "Back to live".
 */
export function mountTimeTravel(root: HTMLElement, deps: TimeTravelDeps): TimeTravel {
  root.innerHTML = `
    <div class="tt-head"><h2>Time travel</h2><span class="tt-source"></span></div>
    <div class="tt-controls">
      <button type="button" class="tt-play" aria-label="Play from this moment">▶ Play</button>
      <input type="range" class="tt-range" min="0" max="0" step="1" value="0" aria-label="Moment in the event log" />
      <button type="button" class="tt-live" aria-label="Back to the live flow">Live</button>
      <label>Speed <select class="tt-speed">${SPEEDS.map((s) => `<option value="${s}" ${s === 1 ? "selected" : ""}>${s}×</option>`).join("")}</select></label>
      <label><input type="checkbox" class="tt-slow" /> Slow motion for live bursts</label>
    </div>
    <p class="tt-at" aria-live="polite">Live</p>
    <div class="tt-moments" role="group" aria-label="Moments to jump to"></div>
    <div class="tt-files">
      <button type="button" class="tt-export">Export run</button>
      <label class="tt-import-label">Import run <input type="file" class="tt-import" accept=".json,application/json" /></label>
      <button type="button" class="tt-back" hidden>Back to live</button>
      <p class="tt-error" role="alert"></p>
    </div>`;
  const $ = <T extends HTMLElement>(selector: string) => root.querySelector(selector) as T;
  const range = $<HTMLInputElement>(".tt-range");
  const play = $<HTMLButtonElement>(".tt-play");
  const at = $<HTMLElement>(".tt-at");
  const source = $<HTMLElement>(".tt-source");
  const moments = $<HTMLElement>(".tt-moments");
  const error = $<HTMLElement>(".tt-error");
  const back = $<HTMLButtonElement>(".tt-back");
  const speed = $<HTMLSelectElement>(".tt-speed");
  const slow = $<HTMLInputElement>(".tt-slow");

  let recording = deps.recording;
  let replaying: string | null = null;
  /** The position shown (events folded), or null for live. */
  let position: number | null = null;
  let playing = false;
  let playhead = 0;
  let lastTick = 0;
  let shownMoments = "";
  /** The moments found so far, and how far the recording has been scanned for them (live events arrive by the thousand). */
  let found: FlowEvent[] = [];
  let scanned = 0;
  let scannedFrom = recording.snapshot;

  const shown = () => position ?? recording.length;
  const timeOf = (count: number) => recording.eventAt(count)?.at ?? recording.eventAt(1)?.at ?? Date.now();

  // Called on every live frame: only what changed is written, since each write to the DOM (even of
  // the same text) costs the page a style and layout pass in the middle of a burst.
  const label = () => {
    const event = recording.eventAt(shown());
    const when = event ? `event ${event.seq} at ${new Date(event.at).toLocaleTimeString()}` : "the start of the recording";
    const text = position === null ? "Live" : `${playing ? "Playing" : "Showing"} ${when}${event ? ` — ${describe(event)}` : ""}${recording === deps.recording && position < recording.length ? ` (${recording.length - position} events behind live)` : ""}`;
    write(range, "max", String(recording.length));
    write(range, "value", String(shown()));
    write(at, "textContent", text);
    if (range.getAttribute("aria-valuetext") !== text) range.setAttribute("aria-valuetext", text);
    write(root.dataset, "seq", String(event?.seq ?? recording.snapshot.seq));
    write(root.dataset, "live", String(position === null));
    write(play, "textContent", playing ? "❚❚ Pause" : "▶ Play");
    if (play.getAttribute("aria-label") !== (playing ? "Pause playback" : "Play from this moment")) play.setAttribute("aria-label", playing ? "Pause playback" : "Play from this moment");
    write(source, "textContent", replaying ? `replaying ${replaying}` : "");
    write(back, "hidden", replaying === null);
  };

  const renderMoments = () => {
    const events = recording.events();
    // A recording that started again (a reconnect that missed too much) is scanned from its start.
    if (recording.snapshot !== scannedFrom) [found, scanned, scannedFrom] = [[], 0, recording.snapshot];
    for (; scanned < events.length; scanned++) if (isMoment(events[scanned] as FlowEvent)) found.push(events[scanned] as FlowEvent);
    if (found.length > MOMENTS_SHOWN * 4) found = found.slice(-MOMENTS_SHOWN);
    const list = found.slice(-MOMENTS_SHOWN);
    const key = list.map((e) => e.seq).join(",");
    if (key === shownMoments) return;
    shownMoments = key;
    moments.innerHTML = list.length
      ? `<span class="tt-moments-label">Jump to:</span> ${list.map((e) => `<button type="button" class="tt-moment" data-seq="${e.seq}">${new Date(e.at).toLocaleTimeString()} ${esc(describe(e))}</button>`).join(" ")}`
      : "";
  };

  /** Show position `count`; `fresh` are the events that lead there from the last one shown (animated). */
  const show = (count: number | null, fresh: FlowEvent[] = [], now?: number) => {
    const moved = count !== position;
    position = count === null ? null : Math.max(0, Math.min(count, recording.length));
    if (position === null && replaying === null) playing = false;
    const state = recording.stateAfter(shown());
    deps.draw(state, fresh, position === null ? Date.now() : (now ?? timeOf(position)));
    label();
    if (moved && replaying === null) deps.onMove?.(position === null ? null : (recording.eventAt(position)?.seq ?? recording.snapshot.seq));
  };

  const goLive = () => {
    playing = false;
    if (replaying !== null) {
      replaying = null;
      recording = deps.recording;
      [found, scanned, shownMoments] = [[], 0, ""];
      renderMoments();
    }
    show(null);
  };

  const startPlaying = () => {
    if (position === null || position >= recording.length) show(replaying === null ? Math.max(0, recording.length - 1) : 0);
    playing = true;
    playhead = timeOf(shown());
    lastTick = performance.now();
    label();
  };

  setInterval(() => {
    const tickAt = performance.now();
    const elapsed = tickAt - lastTick;
    lastTick = tickAt;
    if (!playing || position === null) return;
    playhead += elapsed * Number(speed.value);
    const next = recording.eventAt(position + 1);
    if (next && next.at - playhead > MAX_IDLE_MS) playhead = next.at - MAX_IDLE_MS;
    let count = position;
    while (count < recording.length && (recording.eventAt(count + 1)?.at ?? Infinity) <= playhead) count += 1;
    if (count !== position) show(count, recording.events().slice(position, count), playhead);
    // At the end of the recording: live slow motion waits for more; otherwise playback is over.
    if (count >= recording.length && !(slow.checked && replaying === null)) {
      if (replaying === null) show(null);
      else {
        playing = false;
        label();
      }
    }
  }, TICK_MS);

  range.addEventListener("input", () => {
    playing = false;
    show(Number(range.value));
  });
  play.addEventListener("click", () => {
    if (playing) {
      playing = false;
      label();
    } else startPlaying();
  });
  $<HTMLButtonElement>(".tt-live").addEventListener("click", goLive);
  back.addEventListener("click", goLive);
  moments.addEventListener("click", (click) => {
    const seq = Number((click.target as HTMLElement).closest("[data-seq]")?.getAttribute("data-seq"));
    if (!Number.isFinite(seq)) return;
    playing = false;
    show(recording.positionOf(seq));
  });
  $<HTMLButtonElement>(".tt-export").addEventListener("click", () => {
    const file = recording.toFile(new Date());
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(file)], { type: "application/json" }));
    link.download = `queue-flow-run-${file.exportedAt.replace(/[:.]/g, "-")}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  });
  $<HTMLInputElement>(".tt-import").addEventListener("change", async (change) => {
    const input = change.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    error.textContent = "";
    try {
      // zod and the file schema load only when a run is imported.
      const { parseRunFile } = await import("../../../common/runFile.js");
      const run = parseRunFile(await file.text());
      recording = RunRecording.fromFile(run);
      replaying = file.name;
      [found, scanned, shownMoments] = [[], 0, ""];
      renderMoments();
      playing = false;
      show(0);
    } catch (failure) {
      error.textContent = `Could not import ${file.name}: ${(failure as Error).message}`;
    }
  });
  label();

  return {
    onLive(state, fresh) {
      if (replaying === null) renderMoments();
      if (position === null && !slow.checked) {
        deps.draw(state, fresh, Date.now());
        label();
        return;
      }
      // Slow motion: the burst is played from where the view is, at the chosen speed.
      if (position === null && fresh.length > 0) {
        show(Math.max(0, recording.length - fresh.length));
        startPlaying();
      } else label();
    },
    goToSeq(seq) {
      if (replaying !== null) return;
      playing = false;
      show(seq === null ? null : recording.positionOf(seq));
    },
    get live() {
      return position === null;
    },
  };
}

/** Set a property only when its value differs. */
function write<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  if (target[key] !== value) target[key] = value;
}
