import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A port nobody listens on right now (the OS picks it; closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface PlaygroundProcess {
  child: ChildProcess;
  url: string;
  sqsEndpoint: string;
  dataDir: string;
  /** Milliseconds from spawn to the first /health answered 200. */
  startedInMs: number;
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** Poll `url` until it answers 200, or give up after `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let gone = false;
  void exited?.then(() => (gone = true));
  while (performance.now() < deadline && !gone) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(gone ? `${url}: the process exited before answering` : `${url} did not answer within ${timeoutMs} ms`);
}

/** Resident memory of a process, from /proc (Linux). */
export async function rssMbOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/**
 * The playground as `npm start` runs it (or `npm start` itself, `viaNpm`), on free ports with a
 * fresh data folder; resolves once /health answers.
 */
export async function startPlaygroundProcess(env: Record<string, string> = {}, options: { viaNpm?: boolean; nodeArgs?: string[] } = {}): Promise<PlaygroundProcess> {
  const [port, sqsPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(tmpdir(), "qfp-bench-"));
  const started = performance.now();
  const [command, args] = options.viaNpm ? ["npm", ["start", "--silent"]] : [process.execPath, [...(options.nodeArgs ?? []), "dist/server/main.js"]];
  const child = spawn(command, args, {
    cwd: ROOT,
    // Its own process group, so stopping `npm start` stops the node process under it too.
    detached: true,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", PORT: String(port), SQS_PORT: String(sqsPort), DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${url}/health`, 30_000, exited);
  } catch (error) {
    kill(child);
    throw new Error(`${String(error)}\n${output}`);
  }
  const startedInMs = performance.now() - started;
  // Under `npm start` the server is a grandchild: its pid comes from the port it listens on.
  const serverPid = options.viaNpm ? undefined : child.pid;
  return {
    child,
    url,
    sqsEndpoint: `http://127.0.0.1:${sqsPort}`,
    dataDir,
    startedInMs,
    rssMb: () => (serverPid ? rssMbOf(serverPid) : Promise.resolve(Number.NaN)),
    stop: async () => {
      kill(child, "SIGTERM");
      const forced = setTimeout(() => kill(child, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(forced);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function kill(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export interface PeerProcess {
  endpoint: string;
  startedInMs: number;
  stop(): Promise<void>;
}

/** fauxqs alone in its own process (bench/peers/fauxqs-alone.mjs); resolves once /health answers. */
export async function startFauxqsAlone(): Promise<PeerProcess> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ["bench/peers/fauxqs-alone.mjs", String(port)], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${endpoint}/health`, 30_000, exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    endpoint,
    startedInMs: performance.now() - started,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A bare Socket.IO server (bench/peers/bare-socket.mjs); resolves with its URL once it listens. */
export async function startBareSocketServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["bench/peers/bare-socket.mjs"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`bare socket server exited: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
