/**
 * When the page's recording (every event since it connected, for time travel, the lesson pace
 * and export) has grown past `soft` events, it starts again from a fresh snapshot: asked of the
 * server, about a megabyte to parse, a task of 10–30 ms on the page's main thread. In a burst that
 * task landed among the burst's own work and, on a busy machine, became a long task; so past
 * `soft` the restart waits for a quiet moment (no events for `quietMs`), and happens at once only
 * past `hard`, which bounds the page's memory in a burst that never pauses.
 *
 * `seen(length)` is called with the recording's length after every batch of events; `restart`
 * is called at most once until `done()` says the last restart finished (its snapshot arrived).
 */
export function restartWhenQuiet(options: { soft: number; hard: number; quietMs: number; restart: () => void }): { seen(length: number): void; done(): void } {
  let asked = false;
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(quiet);
    quiet = undefined;
    asked = true;
    options.restart();
  };
  return {
    seen(length) {
      if (asked || length <= options.soft) return;
      if (length > options.hard) return restart();
      clearTimeout(quiet);
      quiet = setTimeout(restart, options.quietMs);
    },
    done() {
      asked = false;
    },
  };
}
