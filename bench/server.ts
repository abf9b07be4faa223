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
  /** kill -9 (its data folder is left as the crash left it). */
  kill(): Promise<void>;
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
 * A process of the benchmark's (the playground, a peer, the engine alone), started and waited for
 * in one way: in its own process group (so stopping `npm start` stops the node process under it
 * too), ready once `health` answers 200 or its stdout matches `listening`. Stopping sends SIGTERM
 * (SIGKILL if it is not gone in 10 s); killing sends SIGKILL, leaving its files as a crash does.
 */
interface Child {
  child: ChildProcess;
  pid: number;
  /** Milliseconds from spawn to ready. */
  startedInMs: number;
  /** What `listening` matched in its stdout. */
  listening: RegExpExecArray | undefined;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

async function startChild(command: string, args: string[], ready: { health: string } | { listening: RegExp }, env: Record<string, string> = {}): Promise<Child> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, detached: true, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let listening: RegExpExecArray | undefined;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const matched = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if ("listening" in ready && !listening && (listening = ready.listening.exec(output) ?? undefined)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  });
  try {
    if ("health" in ready) await waitForOk(ready.health, 30_000, exited);
    else await Promise.race([matched, exited.then(() => Promise.reject(new Error("the process exited before it listened")))]);
  } catch (error) {
    kill(child);
    throw new Error(`${args.join(" ")}: ${String(error)}\n${output}`);
  }
  return {
    child,
    pid: child.pid!,
    startedInMs: performance.now() - started,
    listening,
    stop: async () => {
      kill(child, "SIGTERM");
      const forced = setTimeout(() => kill(child, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(forced);
    },
    kill: async () => {
      kill(child, "SIGKILL");
      await exited;
    },
  };
}

/**
 * The playground as `npm start` runs it (or `npm start` itself, `viaNpm`), on free ports with a
 * fresh data folder; resolves once /health answers.
 */
export async function startPlaygroundProcess(env: Record<string, string> = {}, options: { viaNpm?: boolean; nodeArgs?: string[]; dataDir?: string } = {}): Promise<PlaygroundProcess> {
  const [port, sqsPort] = [await freePort(), await freePort()];
  // A folder given is the caller's to remove; a fresh one is removed at stop.
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "qfp-bench-")));
  const [command, args] = options.viaNpm ? ["npm", ["start", "--silent"]] : [process.execPath, [...(options.nodeArgs ?? []), "dist/server/main.js"]];
  const url = `http://127.0.0.1:${port}`;
  const server = await startChild(command, args, { health: `${url}/health` }, { PORT: String(port), SQS_PORT: String(sqsPort), DATA_DIR: dataDir, ...env });
  // Under `npm start` the server is a grandchild: its pid comes from the port it listens on.
  const serverPid = options.viaNpm ? undefined : server.pid;
  return {
    child: server.child,
    url,
    sqsEndpoint: `http://127.0.0.1:${sqsPort}`,
    dataDir,
    startedInMs: server.startedInMs,
    rssMb: () => (serverPid ? rssMbOf(serverPid) : Promise.resolve(Number.NaN)),
    stop: async () => {
      await server.stop();
      // Under `npm start` npm may exit before the server it started has written its last file: ENOTEMPTY is retried.
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 10 });
    },
    kill: () => server.kill(),
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
  pid: number;
  startedInMs: number;
  /** CPU time (user + system) the process has used so far, ms: unlike a rate, barely moved by other load on the machine. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** CPU time of a process from /proc/<pid>/stat (Linux; utime + stime in clock ticks of 10 ms). */
export async function cpuMsOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** fauxqs alone in its own process (bench/peers/fauxqs-alone.mjs); resolves once /health answers. */
export async function startFauxqsAlone(): Promise<PeerProcess> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const fauxqs = await startChild(process.execPath, ["bench/peers/fauxqs-alone.mjs", String(port)], { health: `${endpoint}/health` });
  return { endpoint, pid: fauxqs.pid, startedInMs: fauxqs.startedInMs, cpuMs: () => cpuMsOf(fauxqs.pid), stop: fauxqs.stop };
}

/**
 * Our SQS engine alone in its own process (server/sqs/standalone.ts as `npm run build` bundles
 * it), durable in a data folder as the playground runs it: `dataDir` (the caller's to remove), or a
 * fresh one removed at stop; `memoryOnly` for none. `nodeArgs` go to its node (`--cpu-prof`);
 * `bundle` is another build of it to measure (an earlier commit's, for a before/after).
 * Resolves once it listens.
 */
export async function startEngineAlone(options: { dataDir?: string; memoryOnly?: boolean; nodeArgs?: string[]; bundle?: string } = {}): Promise<PeerProcess & { kill(): Promise<void> }> {
  const port = await freePort();
  const dataDir = options.memoryOnly ? undefined : (options.dataDir ?? (await mkdtemp(join(tmpdir(), "qfp-bench-sqs-"))));
  const args = [...(options.nodeArgs ?? []), options.bundle ?? "dist/server/sqs/standalone.js", String(port), "127.0.0.1", ...(dataDir ? [dataDir] : [])];
  const engine = await startChild(process.execPath, args, { listening: /listening on/ });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: engine.pid,
    startedInMs: engine.startedInMs,
    cpuMs: () => cpuMsOf(engine.pid),
    stop: async () => {
      await engine.stop();
      if (dataDir && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
    kill: engine.kill,
  };
}

/** A bare node:http server with fixed SQS replies (bench/peers/bare-http.mjs): the floor of any SQS on node:http. */
export async function startBareHttpServer(): Promise<PeerProcess> {
  const bare = await startChild(process.execPath, ["bench/peers/bare-http.mjs"], { listening: /listening on (\d+)/ });
  return { endpoint: `http://127.0.0.1:${bare.listening![1]}`, pid: bare.pid, startedInMs: bare.startedInMs, cpuMs: () => cpuMsOf(bare.pid), stop: bare.stop };
}

/** A bare Socket.IO server (bench/peers/bare-socket.mjs); resolves with its URL once it listens. */
export async function startBareSocketServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const bare = await startChild(process.execPath, ["bench/peers/bare-socket.mjs"], { listening: /listening on (\d+)/ });
  return { url: `http://127.0.0.1:${bare.listening![1]}`, stop: bare.stop };
}
