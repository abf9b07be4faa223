import { execFile } from "node:child_process";

/** A Python interpreter the runtime can use: its real path (not a shim) and its version. */
export interface PythonInfo {
  executable: string;
  version: string;
}

/**
 * Looks for python3 (3.8 or later): runs it once and asks for its own path, so that cold starts
 * skip a version manager's shim (pyenv's costs a few hundred ms per start).
 * @returns null when there is no usable python3 (the code cells then say so)
 */
export function findPython(command = "python3"): Promise<PythonInfo | null> {
  return new Promise((resolve) => {
    execFile(command, ["-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"], { timeout: 10_000 }, (error, stdout) => {
      if (error) return resolve(null);
      const [executable, version] = stdout.trim().split("\n");
      const [major = 0, minor = 0] = (version ?? "").split(".").map(Number);
      resolve(executable && version && major === 3 && minor >= 8 ? { executable, version } : null);
    });
  });
}
