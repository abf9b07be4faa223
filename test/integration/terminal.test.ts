import { networkInterfaces } from "node:os";
import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { TERMINAL_INPUT_MAX_CHARS } from "../../common/terminal.js";
import { makeDataDir, playgroundPerTest, removeDataDir } from "../helpers/playground.js";
import { spawnServer } from "../helpers/process.js";
import { terminalsPerTest, until } from "../helpers/terminal.js";

/** This machine's address on a network, if it has one: where a classroom's audience connects from. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((entry) => entry.family === "IPv4" && !entry.internal)?.address;

const playgrounds = playgroundPerTest();
const terminals = terminalsPerTest();
const openTerminal = terminals.open;

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

  it("refuses even the right token in a classroom bound to a loopback address (CLASSROOM=true HOST=127.0.0.2)", async () => {
    const playground = await playgrounds.start({ TRIGGER_ENABLED: "false", HOST: "127.0.0.2", CLASSROOM: "true" });
    const terminal = openTerminal(playground.url, { token: playground.terminalToken });
    expect(await terminal.disabled).toMatchObject({ code: "classroom", reason: expect.stringContaining("classroom") });
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
