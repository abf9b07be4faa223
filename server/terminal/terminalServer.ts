import { spawn, type IPty } from "node-pty";
import type { Namespace, Socket } from "socket.io";
import {
  TERMINAL_INPUT_MAX_CHARS,
  TERMINAL_NAMESPACE,
  TERMINAL_SIZE_MAX,
  TERMINAL_SIZE_MIN,
  type TerminalClientToServerEvents,
  type TerminalServerToClientEvents,
  type TerminalSize,
} from "../../common/terminal.js";
import type { PlaygroundSocketServer } from "../events/socketServer.js";
import { refusal, type AccessRule } from "./access.js";
import { findExecutable, shellEnvironment, type ShellSetup } from "./shellEnv.js";
import { writeCurlCredentials, type CurlCredentials } from "./curlConfig.js";

type TerminalNamespace = Namespace<TerminalClientToServerEvents, TerminalServerToClientEvents>;
type TerminalSocket = Socket<TerminalClientToServerEvents, TerminalServerToClientEvents>;

export interface TerminalOptions extends AccessRule, ShellSetup {
  log?: (message: string, error?: unknown) => void;
  /**
   * The shell's own token: its curl sends it to the playground, which counts it as the
   * presenter's on this machine, so the lessons' curl commands work while followers watch.
   */
  shellToken?: string;
}

export interface TerminalService {
  /** Kill every shell (server shutdown); their sockets are left to Socket.IO's own close. */
  close(): void;
}

/** Output not yet written out by Socket.IO past which the shell is paused until it is. */
const OUTPUT_HIGH_WATER_CHARS = 256 * 1024;
const INITIAL_SIZE: TerminalSize = { cols: 80, rows: 24 };

const isSize = (value: unknown): value is TerminalSize => {
  const { cols, rows } = (value ?? {}) as Partial<TerminalSize>;
  const fits = (n: unknown) => Number.isInteger(n) && (n as number) >= TERMINAL_SIZE_MIN && (n as number) <= TERMINAL_SIZE_MAX;
  return typeof value === "object" && fits(cols) && fits(rows);
};

/**
 * A real shell per connection on the `/terminal` namespace, for whoever holds the run's token on
 * this machine (see common/terminal.ts). Everyone else gets `terminal:disabled` and no process.
 */
export function attachTerminal(io: PlaygroundSocketServer, options: TerminalOptions): TerminalService {
  // Socket.IO types every namespace with the server's events; this one has its own contract.
  const namespace = io.of(TERMINAL_NAMESPACE) as unknown as TerminalNamespace;
  // Worked out when the first terminal opens, not at start-up: searching PATH cost start-up time
  // that most runs never use.
  let found: { env: Record<string, string>; shell: string } | undefined;
  let curl: CurlCredentials | undefined;
  const shellSetup = () => {
    if (found) return found;
    if (options.shellToken) curl = writeCurlCredentials(["localhost", "127.0.0.1", new URL(options.playgroundUrl).hostname], options.shellToken, options.baseEnv.HOME);
    const env = shellEnvironment({ ...options, ...(curl ? { curlHome: curl.curlHome } : {}) });
    return (found = { env, shell: findExecutable("bash", env.PATH ?? "") ?? "sh" });
  };
  const shells = new Set<IPty>();

  namespace.on("connection", (socket) => {
    const refused = refusal(options, socket.handshake.address, socket.handshake.auth);
    if (refused) {
      socket.emit("terminal:disabled", refused);
      socket.disconnect(true);
      return;
    }
    let pty: IPty;
    try {
      const { env, shell } = shellSetup();
      pty = spawn(shell, [], { name: env.TERM ?? "xterm-256color", ...INITIAL_SIZE, cwd: env.PWD ?? options.rootDir, env });
    } catch (error) {
      options.log?.("terminal: could not start a shell", error);
      socket.emit("terminal:output", `could not start ${shellSetup().shell} (details in the server log)\r\n`);
      socket.emit("terminal:exit", { exitCode: 127 });
      return;
    }
    shells.add(pty);
    connect(socket, pty, () => shells.delete(pty));
  });

  return {
    close: () => {
      for (const pty of shells) pty.kill();
      shells.clear();
      curl?.remove();
    },
  };
}

function connect(socket: TerminalSocket, pty: IPty, forget: () => void): void {
  let exited = false;
  let pending = "";
  let unsent = 0;

  const flush = () => {
    if (!pending) return;
    const output = pending;
    pending = "";
    // A shell prints far faster than a browser draws (`yes`, a big `cat`): stop reading from it
    // while Socket.IO holds much unsent, so the server's memory stays flat. Counted before the
    // emit: on an idle connection "drain" fires inside it, and must find this output counted.
    unsent += output.length;
    socket.emit("terminal:output", output);
    if (unsent > OUTPUT_HIGH_WATER_CHARS) pty.pause();
  };
  const drained = () => {
    unsent = 0;
    if (!exited) pty.resume();
  };
  socket.conn.on("drain", drained);

  pty.onData((data) => {
    if (!pending) setImmediate(flush);
    pending += data;
  });
  pty.onExit(({ exitCode }) => {
    exited = true;
    forget();
    flush();
    socket.emit("terminal:exit", { exitCode });
  });

  socket.on("terminal:input", (data) => {
    if (exited || typeof data !== "string" || data.length > TERMINAL_INPUT_MAX_CHARS) return;
    pty.write(data);
  });
  socket.on("terminal:resize", (size) => {
    if (exited || !isSize(size)) return;
    pty.resize(size.cols, size.rows);
  });
  socket.on("disconnect", () => {
    socket.conn.off("drain", drained);
    // SIGHUP, as when a terminal window closes: bash passes it on to its jobs.
    if (!exited) pty.kill();
  });
}
