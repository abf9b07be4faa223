import { networkInterfaces } from "node:os";
import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import {
  TERMINAL_INPUT_MAX_CHARS,
  TERMINAL_NAMESPACE,
  type TerminalClientToServerEvents,
  type TerminalDisabled,
  type TerminalServerToClientEvents,
} from "../../common/terminal.js";
import { makeDataDir, playgroundPerTest, removeDataDir } from "../helpers/playground.js";
import { spawnServer } from "../helpers/process.js";

/** This machine's address on a network, if it has one: where a classroom's audience connects from. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((entry) => entry.family === "IPv4" && !entry.internal)?.address;

type TerminalClient = Socket<TerminalServerToClientEvents, TerminalClientToServerEvents>;

const playgrounds = playgroundPerTest();
const sockets: TerminalClient[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

const until = async (condition: () => boolean, what: () => string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what()}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A real socket.io-client on /terminal that records everything the server says. */
function openTerminal(url: string, auth?: Record<string, unknown>) {
  const socket: TerminalClient = io(`${url}${TERMINAL_NAMESPACE}`, { transports: ["websocket"], forceNew: true, ...(auth ? { auth } : {}) });
  sockets.push(socket);
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

async function shellPid(terminal: ReturnType<typeof openTerminal>): Promise<number> {
  terminal.type("echo pid-$((0))-$$");
  return Number(/pid-0-(\d+)/.exec(await terminal.waitFor(/pid-0-\d+/))?.[1]);
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const startWithTerminal = async () => {
  const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
  return { playground, terminal: openTerminal(playground.url, { token: playground.terminalToken }) };
};

describe("the terminal namespace, with a real shell behind it", () => {
  it("gives a client with the run's token a shell that runs what it types", async () => {
    const { terminal } = await startWithTerminal();
    terminal.type("echo hello-$((1+2))");
    await terminal.waitFor(/hello-3/);
  });

  it("has awslocal on PATH, pointed at the playground's SQS", async () => {
    const { playground, terminal } = await startWithTerminal();
    terminal.type("awslocal sqs get-queue-url --queue-name interview-queue");
    await terminal.waitFor(new RegExp(`"QueueUrl": "${playground.queues.queueUrl}"`));
  });

  it("reaches the playground's API at $PLAYGROUND_URL", async () => {
    const { terminal } = await startWithTerminal();
    terminal.type("curl -s $PLAYGROUND_URL/health");
    await terminal.waitFor(/"status": ?"ok"/);
  });

  it("resizes the shell's terminal to the size the client sends", async () => {
    const { terminal } = await startWithTerminal();
    terminal.socket.emit("terminal:resize", { cols: 123, rows: 45 });
    terminal.type("stty size");
    await terminal.waitFor(/[\r\n]45 123\r\n/);
  });

  it("ignores a size out of range", async () => {
    const { terminal } = await startWithTerminal();
    terminal.socket.emit("terminal:resize", { cols: 100, rows: 30 });
    terminal.socket.emit("terminal:resize", { cols: 1000, rows: 1.5 });
    terminal.type("stty size");
    await terminal.waitFor(/[\r\n]30 100\r\n/);
  });

  it("ignores input that is not text or is over the size limit, and keeps the shell", async () => {
    const { terminal } = await startWithTerminal();
    (terminal.socket as unknown as Socket).emit("terminal:input", { not: "text" });
    terminal.socket.emit("terminal:input", `${"#".repeat(TERMINAL_INPUT_MAX_CHARS)}\recho big-$((2+2))\r`);
    terminal.type("echo small-$((3+3))");
    expect(await terminal.waitFor(/small-6/)).not.toMatch(/big-4/);
  });

  it("delivers a long output whole and in order", async () => {
    const { terminal } = await startWithTerminal();
    terminal.type("seq 1 200000; echo end-$((4+4))");
    const output = await terminal.waitFor(/end-8/);
    const numbers = output.split(/[\r\n]+/).filter((line) => /^\d+$/.test(line)).map(Number);
    expect(numbers).toEqual(Array.from({ length: 200_000 }, (_, i) => i + 1));
  });

  it("reports the shell's exit with its code", async () => {
    const { terminal } = await startWithTerminal();
    terminal.type("exit 3");
    expect(await terminal.exited).toEqual({ exitCode: 3 });
  });

  it("kills the shell when its client disconnects", async () => {
    const { terminal } = await startWithTerminal();
    const pid = await shellPid(terminal);
    terminal.socket.disconnect();
    await until(() => !isRunning(pid), () => `shell ${pid} still running`);
  });

  it("kills every shell when the playground stops", async () => {
    const { playground, terminal } = await startWithTerminal();
    const pid = await shellPid(terminal);
    await playground.stop();
    await until(() => !isRunning(pid), () => `shell ${pid} still running`);
  });
});

describe("who gets no shell", () => {
  it.each([
    ["a missing token", undefined],
    ["a wrong token", { token: "0".repeat(32) }],
  ])("refuses %s with terminal:disabled and the reason, then disconnects", async (_name, auth) => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const terminal = openTerminal(playground.url, auth);
    expect(await terminal.disabled).toEqual({
      code: "bad-token",
      reason: `the terminal needs the token from the start URL (${playground.url}/?token=…) that the server printed`,
    });
    expect(await terminal.disconnected).toBe("io server disconnect");
    expect(terminal.output()).toBe("");
  });

  it("refuses the classroom's presenter token: only the terminal token opens it", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false" });
    const terminal = openTerminal(playground.url, { token: playground.presenterToken });
    expect((await terminal.disabled).code).toBe("bad-token");
  });

  it.skipIf(!lanAddress)("refuses a client on the network in a classroom, even with the token", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", HOST: "0.0.0.0", CLASSROOM: "true" });
    const terminal = openTerminal(playground.url.replace("localhost", lanAddress ?? ""), { token: playground.terminalToken });
    expect((await terminal.disabled).code).toBe("not-loopback");
    expect(await terminal.disconnected).toBe("io server disconnect");
  });

  it("refuses even the right token when the playground is bound beyond loopback", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", HOST: "0.0.0.0", CLASSROOM: "true" });
    const terminal = openTerminal(playground.url, { token: playground.terminalToken });
    expect((await terminal.disabled).code).toBe("not-loopback");
    expect(await terminal.disconnected).toBe("io server disconnect");
  });
});

describe("the server process's start URL", () => {
  it("carries the token that opens the terminal", async () => {
    const dataDir = await makeDataDir();
    const server = await spawnServer({ DATA_DIR: dataDir, TRIGGER_ENABLED: "false" });
    try {
      const start = new URL(server.startUrl);
      expect(start.pathname).toBe("/");
      const terminal = openTerminal(start.origin, { token: start.searchParams.get("token") });
      terminal.type("echo started-$((5+5))");
      await terminal.waitFor(/started-10/);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
      await removeDataDir(dataDir);
    }
  });
});
