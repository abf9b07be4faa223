// The contract of the `/terminal` Socket.IO namespace: a real shell on the playground's machine
// for the browser's embedded terminal. Server and client both import this file.
//
// Connect with `io("/terminal", { auth: { token } })`, the token being the `?token=` of the start
// URL the server prints. Each connection gets its own shell, killed when the socket disconnects;
// after `terminal:exit` a new shell needs a new connection.

export const TERMINAL_NAMESPACE = "/terminal";

/** The longest `terminal:input` accepted (a large paste); a longer one is dropped whole. */
export const TERMINAL_INPUT_MAX_CHARS = 64 * 1024;

/** Columns and rows are whole numbers in this range; any other size is ignored. */
export const TERMINAL_SIZE_MIN = 2;
export const TERMINAL_SIZE_MAX = 500;

/** What a client sends as `socket.handshake.auth`. */
export interface TerminalAuth {
  token: string;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** Why a connection got no shell: a missing or wrong token, a playground bound beyond loopback, in a classroom or in a container, or a remote client. */
export type TerminalDisabledCode = "bad-token" | "not-loopback" | "classroom" | "container" | "remote-client";

export interface TerminalDisabled {
  code: TerminalDisabledCode;
  /** A sentence to show the learner as it is. */
  reason: string;
}

export interface TerminalClientToServerEvents {
  /** Keystrokes or pasted text, as the terminal emulator produces them (`\r` for Enter). */
  "terminal:input": (data: string) => void;
  "terminal:resize": (size: TerminalSize) => void;
}

export interface TerminalServerToClientEvents {
  /** What the shell wrote, batched per tick; write it to the emulator as it is. */
  "terminal:output": (data: string) => void;
  "terminal:exit": (exit: { exitCode: number }) => void;
  /** Sent instead of a shell, just before the server disconnects the socket. */
  "terminal:disabled": (disabled: TerminalDisabled) => void;
}
