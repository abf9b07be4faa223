import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let home: string | undefined;

/**
 * The environment a test playground's terminal shells inherit: this process's, with HOME an empty
 * folder of this test process. A shell reads `~/.bashrc`, and a machine's own can be slow and
 * lock-taking: this one's runs `pyenv init`, whose rehash waits up to 60 s for a lock that a shell
 * killed mid-start (tests kill shells) leaves behind, and every later shell then showed no prompt
 * within a test's 15 s. The playground itself keeps the learner's rc files: only tests get this.
 */
export function testShellEnv(): Record<string, string | undefined> {
  if (!home) {
    const dir = mkdtempSync(join(tmpdir(), "qfp-home-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    home = dir;
  }
  return { ...process.env, HOME: home };
}
