import { io, type Socket } from "socket.io-client";
import { afterEach } from "vitest";
import { TERMINAL_NAMESPACE, type TerminalClientToServerEvents, type TerminalDisabled, type TerminalServerToClientEvents } from "../../common/terminal.js";

export type TerminalClient = Socket<TerminalServerToClientEvents, TerminalClientToServerEvents>;

/** Waits until `condition` holds, polling every 10 ms; fails naming `what` after the timeout. */
export const until = async (condition: () => boolean, what: () => string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what()}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** For a test file that opens terminals: `open` gives a real socket.io-client on /terminal; all are disconnected after each test. */
export function terminalsPerTest(): { open: typeof openTerminal } {
  const sockets: TerminalClient[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  return {
    open: (url, auth) => {
      const terminal = openTerminal(url, auth);
      sockets.push(terminal.socket);
      return terminal;
    },
  };
}

/** A real socket.io-client on /terminal that records everything the server says. */
function openTerminal(url: string, auth?: Record<string, unknown>) {
  const socket: TerminalClient = io(`${url}${TERMINAL_NAMESPACE}`, { transports: ["websocket"], forceNew: true, ...(auth ? { auth } : {}) });
  let output = "";
  socket.on("terminal:output", (data) => (output += data));
  const disabled = new Promise<TerminalDisabled>((resolve) => socket.once("terminal:disabled", resolve));
  const exited = new Promise<{ exitCode: number }>((resolve) => socket.once("terminal:exit", resolve));
  const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));
  const type = (line: string) => socket.emit("terminal:input", `${line}\r`);
  /** Resolves with all output so far once it matches (typed commands are echoed, so match what only running them prints). */
  const waitFor = async (pattern: RegExp) => {
    await until(() => pattern.test(output), () => `no output matching ${pattern} in:\n${JSON.stringify(output)}\n`);
    return output;
  };
  return { socket, type, waitFor, disabled, exited, disconnected, output: () => output };
}
