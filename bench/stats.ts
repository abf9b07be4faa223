/** Small statistics for the benchmark: percentiles of one run, medians across repeated runs. */

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Round for a report: figures are noisy past a tenth of their unit. */
export const round = (value: number, digits = 1): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** How many times `fn` runs and the median of what it returns, field by field. */
export async function medianOfRuns<T extends Record<string, number>>(runs: number, fn: (run: number) => Promise<T>): Promise<{ median: T; runs: T[] }> {
  const results: T[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await fn(run));
  const first = results[0] as T;
  const out = {} as Record<string, number>;
  for (const key of Object.keys(first)) out[key] = median(results.map((r) => r[key] as number));
  return { median: out as T, runs: results };
}

/**
 * Runs `call` from `concurrency` loops until the calls have handled `count` items (each call
 * returns how many it handled: 1 for a send, up to 10 for a receive); resolves with the number
 * handled, which the calls still in flight at the end may take a little past `count`.
 */
export async function handleConcurrently(count: number, concurrency: number, call: () => Promise<number>): Promise<number> {
  let handled = 0;
  const loop = async () => {
    while (handled < count) {
      // Added once the call returns: `handled += await call()` adds to the value read before the
      // call, so every other loop's count in the meantime would be lost.
      const items = await call();
      handled += items;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return handled;
}
