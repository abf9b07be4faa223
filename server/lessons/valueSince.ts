/** A page stops asking about a check or prediction once it is answered or left: its watch ends after this long (ms). */
const WATCH_MS = 30_000;
/** Pages ask about a few checks at a time; past this many watches the one asked about longest ago ends. */
const MAX_WATCHES = 16;

interface Watch {
  read: () => unknown;
  /** The value as JSON, to compare. */
  value: string;
  /** The sequence number of the event after which it took that value. */
  since: number;
  askedAt: number;
}

/**
 * Since which event a check's status or a prediction's value has been what it is now. The page
 * shows a check's ✓ or a prediction's answer once the lesson-paced drawing has drawn that event;
 * the state's latest sequence number instead held it back behind every later event (the
 * deletions after a completion), seconds at the lesson's pace. A value is watched from the first
 * time a page asks about it (until then the latest sequence number is all that is known), and
 * re-read once per turn of the event loop after events arrive, not once per event, so a burst
 * costs one read per watch per turn.
 */
export class ValueSince {
  private readonly watches = new Map<string, Watch>();
  private latestSeq = 0;
  private scheduled = false;

  constructor(private readonly clock: () => number) {}

  /** Called after each event has been folded into the state the watched values read. */
  observe(seq: number): void {
    this.latestSeq = seq;
    if (this.scheduled || this.watches.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.reread();
    });
  }

  /**
   * The sequence number since which `read()` has had the value it has now (`seq` when it changed
   * since the last look, or when `key` was not watched yet). Starts or renews the watch of `key`.
   * @param key what is read, e.g. `check:<lesson>:<part>:<index>`
   * @param read the value now, JSON-serialisable
   * @param seq the state's latest sequence number
   * @param current the value now, when the caller has just read it (read() is not called again)
   */
  since(key: string, read: () => unknown, seq: number, current: unknown = read()): number {
    this.latestSeq = Math.max(this.latestSeq, seq);
    const now = this.clock();
    const value = JSON.stringify(current);
    let watch = this.watches.get(key);
    if (!watch) {
      watch = { read, value, since: seq, askedAt: now };
      this.watches.set(key, watch);
      if (this.watches.size > MAX_WATCHES) this.watches.delete(this.watches.keys().next().value as string);
    } else if (watch.value !== value) {
      watch.value = value;
      watch.since = seq;
    }
    watch.askedAt = now;
    // Most recently asked last: the first key is the one to end when there are too many.
    this.watches.delete(key);
    this.watches.set(key, watch);
    return watch.since;
  }

  private reread(): void {
    const now = this.clock();
    for (const [key, watch] of this.watches) {
      if (now - watch.askedAt > WATCH_MS) {
        this.watches.delete(key);
        continue;
      }
      const value = JSON.stringify(watch.read());
      if (value === watch.value) continue;
      watch.value = value;
      watch.since = this.latestSeq;
    }
  }
}
