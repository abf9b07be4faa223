// A recorded run: the snapshot a page started from and every event after it. Time travel, replay
// and export all read it; the state at any moment is the shared fold (common/state.ts) of the
// snapshot plus the events up to that moment, so a rewound or replayed view is exact.
import type { FlowEvent, Snapshot } from "./events.js";
import { applyEvent, stateFromSnapshot, type PlaygroundState } from "./state.js";

export const RUN_FORMAT = "queue-flow-playground.run";
export const RUN_VERSION = 1;

/** The exported file (JSON). `version` changes whenever a reader of the old one would misread it. */
export interface RunFile {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  /** ISO time of the export. */
  exportedAt: string;
  /** Where the recording starts: the state is `stateFromSnapshot(snapshot)`. */
  snapshot: Snapshot;
  /** Every event after `snapshot.seq`, in sequence order. */
  events: FlowEvent[];
}

export class RunRecording {
  private readonly recorded: FlowEvent[] = [];
  /** The last state handed out, so moving forward folds only the events in between. */
  private cursor: { count: number; state: PlaygroundState } | null = null;

  constructor(private base: Snapshot) {}

  static fromFile(file: RunFile): RunRecording {
    const recording = new RunRecording(file.snapshot);
    recording.record(file.events);
    return recording;
  }

  get snapshot(): Snapshot {
    return this.base;
  }

  /** How many events are recorded: the positions are 0 (the snapshot) to `length`. */
  get length(): number {
    return this.recorded.length;
  }

  get lastSeq(): number {
    return this.recorded.at(-1)?.seq ?? this.base.seq;
  }

  /** The event that leads to position `count` (its last event), if any. */
  eventAt(count: number): FlowEvent | undefined {
    return count > 0 ? this.recorded[count - 1] : undefined;
  }

  events(): readonly FlowEvent[] {
    return this.recorded;
  }

  /** Record live events; those at or before the last one recorded are skipped (a batch may repeat the snapshot's). Returns the new ones. */
  record(events: readonly FlowEvent[]): FlowEvent[] {
    const fresh: FlowEvent[] = [];
    for (const event of events) {
      if (event.seq <= this.lastSeq) continue;
      this.recorded.push(event);
      fresh.push(event);
    }
    return fresh;
  }

  /**
   * A new snapshot (after a reconnect). When its recent events cover the gap, the recording goes
   * on from where it was; otherwise (the server restarted, or too much was missed) it starts
   * again from this snapshot. True when it went on.
   */
  resume(snapshot: Snapshot): boolean {
    const missing = snapshot.events.filter((e) => e.seq > this.lastSeq);
    const covered = snapshot.seq >= this.lastSeq && (missing.length === 0 ? snapshot.seq === this.lastSeq : missing[0]?.seq === this.lastSeq + 1);
    if (covered) {
      this.record(missing);
      return true;
    }
    this.restart(snapshot);
    return false;
  }

  restart(snapshot: Snapshot): void {
    this.base = snapshot;
    this.recorded.length = 0;
    this.cursor = null;
  }

  /** The position (0…length) that shows the event `seq`: the last position whose event is at or before it. */
  positionOf(seq: number): number {
    let low = 0;
    let high = this.recorded.length;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.recorded[mid - 1]?.seq ?? Infinity) <= seq) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * The state after the first `count` events. The object returned is the recording's own and is
   * valid until the next call (moving forward folds on into it): read it, do not keep it.
   */
  stateAfter(count: number): PlaygroundState {
    const target = Math.max(0, Math.min(count, this.recorded.length));
    if (!this.cursor || this.cursor.count > target) this.cursor = { count: 0, state: stateFromSnapshot(this.base) };
    for (let i = this.cursor.count; i < target; i++) applyEvent(this.cursor.state, this.recorded[i] as FlowEvent);
    this.cursor.count = target;
    return this.cursor.state;
  }

  toFile(exportedAt: Date): RunFile {
    return { format: RUN_FORMAT, version: RUN_VERSION, exportedAt: exportedAt.toISOString(), snapshot: this.base, events: [...this.recorded] };
  }
}
