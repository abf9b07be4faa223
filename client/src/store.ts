import type { FlowEvent, Snapshot } from "../../common/events.js";
import { applyEvent, emptyState, stateFromSnapshot, type PlaygroundState } from "../../common/state.js";

type Render = (state: PlaygroundState, fresh: FlowEvent[]) => void;

/**
 * The page's state: the shared fold over the event contract. Events may arrive by the thousand;
 * they are folded at once but drawn at most once per animation frame, with the events of that
 * frame handed to the views that animate them.
 */
export class ClientStore {
  state: PlaygroundState = emptyState();
  private readonly renders: Render[] = [];
  private fresh: FlowEvent[] = [];
  private scheduled = false;

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
    requestAnimationFrame(() => {
      this.scheduled = false;
      const fresh = this.fresh.length > 200 ? this.fresh.slice(-200) : this.fresh;
      this.fresh = [];
      for (const render of this.renders) render(this.state, fresh);
    });
  }
}
