import { execFile } from "node:child_process";

/** A Python interpreter the runtime can use: its real path (not a shim) and its version. */
export interface PythonInfo {
  executable: string;
  version: string;
}

/**
 * Where python3 is looked for when the command is the default: the one on PATH first (pyenv, a
 * venv: what the learner's own shell runs), then the system's. A version manager's shim can stall
 * (pyenv waits on a lock a killed shell left, on a loaded machine past the probe's time): the
 * system's interpreter is then used rather than saying Python is not installed.
 */
const FALLBACK = "/usr/bin/python3";

/**
 * Looks for python3 (3.8 or later): runs it once and asks for its own path, so that cold starts
 * skip a version manager's shim (pyenv's costs a few hundred ms per start).
 * @returns null when there is no usable python3 (the code cells then say so)
 */
export async function findPython(command = "python3"): Promise<PythonInfo | null> {
  for (const candidate of command === "python3" ? [command, FALLBACK] : [command]) {
    const found = await probe(candidate);
    if (found) return found;
  }
  return null;
}

/** Runs `command` once (up to 20 s); resolves with what it says of itself, or null when it is not a usable python3. */
function probe(command: string): Promise<PythonInfo | null> {
  return new Promise((resolve) => {
    execFile(command, ["-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"], { timeout: 20_000 }, (error, stdout) => {
      if (error) return resolve(null);
      const [executable, version] = stdout.trim().split("\n");
      const [major = 0, minor = 0] = (version ?? "").split(".").map(Number);
      resolve(executable && version && major === 3 && minor >= 8 ? { executable, version } : null);
    });
  });
}
