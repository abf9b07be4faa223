// CPU time of processes from /proc (Linux only): what a benchmark run cost each process.
import { readdirSync, readFileSync } from "node:fs";

/** User and system CPU time. */
export interface CpuTime {
  /** seconds */
  user: number;
  /** seconds */
  system: number;
}

/** User and system CPU of a process so far (s), from /proc/<pid>/stat; zeros once it is gone. */
export function cpuOf(pid: number): CpuTime {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** The pids whose parent is `pid` (the playground's execution environments, for its pid). */
export function childrenOf(pid: number): number[] {
  return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry) && parentOf(entry) === pid).map(Number);
}

function parentOf(entry: string): number | undefined {
  try {
    return Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * Starts counting the CPU of `pid` and of its children (those alive at the end included).
 * @returns a function giving the CPU each spent since: `own` for `pid`, `children` summed
 */
export function cpuSince(pid: number): () => { own: CpuTime; children: CpuTime } {
  const before = new Map([pid, ...childrenOf(pid)].map((p) => [p, cpuOf(p)]));
  const spent = (p: number): CpuTime => {
    const now = cpuOf(p);
    const then = before.get(p) ?? { user: 0, system: 0 };
    return { user: now.user - then.user, system: now.system - then.system };
  };
  return () => ({
    own: spent(pid),
    children: childrenOf(pid)
      .map(spent)
      .reduce((a, b) => ({ user: a.user + b.user, system: a.system + b.system }), { user: 0, system: 0 }),
  });
}
