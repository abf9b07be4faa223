import type { FlowEvent, Snapshot } from "../../common/events.js";
import { applyEvent, emptyState, stateFromSnapshot, type PlaygroundState } from "../../common/state.js";

type Render = (state: PlaygroundState, fresh: FlowEvent[]) => void;

/**
 * Live redraws are at least this far apart. A burst brings events every few milliseconds, and
 * redrawing on every animation frame ran the page's whole style, layout and paint pipeline sixty
 * times a second on top of the folding; ten times a second looks the same and leaves the tab
 * time to answer. A quiet moment's single event is still drawn at the next frame.
 */
const RENDER_EVERY_MS = 100;
/** The most events handed to the views per redraw (the newest); the state holds them all. */
const FRESH_LIMIT = 2000;

/**
 * The page's state: the shared fold over the event contract. Events may arrive by the thousand;
 * they are folded at once but drawn at most once per animation frame and every RENDER_EVERY_MS,
 * with the events since the last redraw handed to the views that animate them.
 */
export class ClientStore {
  state: PlaygroundState = emptyState();
  private readonly renders: Render[] = [];
  private fresh: FlowEvent[] = [];
  private scheduled = false;
  private renderedAt = -Infinity;

  onRender(render: Render): void {
    this.renders.push(render);
  }

  load(snapshot: Snapshot): void {
    this.state = stateFromSnapshot(snapshot);
    this.fresh = [];
    this.schedule();
  }

  apply(events: FlowEvent[]): void {
    for (const event of events) {
      if (event.seq <= this.state.seq) continue;
      applyEvent(this.state, event);
      this.fresh.push(event);
    }
    this.schedule();
  }

  /** Redraw without new events (countdowns, the clock). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const render = () =>
      requestAnimationFrame(() => {
        this.scheduled = false;
        this.renderedAt = performance.now();
        const fresh = this.fresh.length > FRESH_LIMIT ? this.fresh.slice(-FRESH_LIMIT) : this.fresh;
        this.fresh = [];
        for (const view of this.renders) view(this.state, fresh);
      });
    const wait = this.renderedAt + RENDER_EVERY_MS - performance.now();
    if (wait > 0) setTimeout(render, wait);
    else render();
  }
}
