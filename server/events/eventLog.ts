import type { FlowEvent, FlowEventBody } from "../../common/events.js";

export type Clock = () => number;
export type Publish = (body: FlowEventBody) => FlowEvent;
type Listener = (event: FlowEvent) => void;

/**
 * The spine of the playground: every state change becomes one numbered event here, is kept in a
 * bounded log (for snapshots and replay), and is handed to each subscriber in order.
 */
export class EventLog {
  private readonly ring: FlowEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private seq = 0;

  constructor(
    private readonly capacity: number,
    private readonly clock: Clock = Date.now,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
  }

  readonly publish: Publish = (body) => {
    const event = { ...body, seq: ++this.seq, at: this.clock() } as FlowEvent;
    this.ring.push(event);
    // Trim in chunks so a full log costs amortised O(1) per event, not a shift of the whole array.
    if (this.ring.length > this.capacity * 1.25) this.ring.splice(0, this.ring.length - this.capacity);
    for (const listener of this.listeners) listener(event);
    return event;
  };

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** The most recent events, oldest first. */
  recent(limit = this.capacity): FlowEvent[] {
    return this.ring.slice(Math.max(0, this.ring.length - Math.min(limit, this.capacity)));
  }
}
