import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { makeDataDir, removeDataDir } from "./playground.js";
import { testShellEnv } from "./shellHome.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** The API's base URL (the printed start URL without its `/?token=…`). */
  url: string;
  /** The printed start URL, token included. */
  startUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start`'s command as a real child process, on free ports; resolves once it prints its URL. */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  // Exactly what `npm start` runs: the bundle `npm run build` makes (npm test builds it first).
  const child = spawn(process.execPath, ["dist/server/main.js"], {
    cwd: ROOT,
    // The server passes its environment to the terminal's shells: HOME as in testShellEnv.
    env: { ...testShellEnv(), PORT: "0", SQS_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    // A server that did not start in time is killed: the test that wanted it has failed, and a
    // child left running would outlive the test file (its worker exits without killing it).
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Up to the line's end: a chunk may stop in the middle of the URL.
      const match = /playground\s+(http:\/\/\S+)\r?\n/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({ child, url: new URL(match[1]).origin, startUrl: match[1], output: () => output, exited });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before starting:\n${output}`)));
  });
}

/**
 * For a test file whose tests spawn servers on a fresh data dir each: `start` spawns one on it;
 * after each test, any still running is killed and the data dir removed.
 */
export function serversPerTest(): { readonly dataDir: string; start: (env?: Record<string, string>) => Promise<ServerProcess> } {
  let dataDir = "";
  const running: ServerProcess[] = [];
  beforeEach(async () => {
    dataDir = await makeDataDir();
  });
  afterEach(async () => {
    for (const server of running.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    await removeDataDir(dataDir);
  });
  return {
    get dataDir() {
      return dataDir;
    },
    start: async (env = {}) => {
      const server = await spawnServer({ DATA_DIR: dataDir, ...env });
      running.push(server);
      return server;
    },
  };
}
