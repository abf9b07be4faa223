import { io, type Socket } from "socket.io-client";
import { TERMINAL_NAMESPACE, type TerminalClientToServerEvents, type TerminalServerToClientEvents } from "../../../common/terminal.js";
import { esc } from "../api.js";
import { runToken } from "../presenter.js";

type TerminalSocket = Socket<TerminalServerToClientEvents, TerminalClientToServerEvents>;
const SCREEN_READER_KEY = "queue-flow-playground.terminal-screen-reader";


/**
 * A real shell in the page: xterm.js ↔ Socket.IO ↔ node-pty on the server. xterm is loaded only
 * when the terminal is first opened, so it costs nothing to a page that never uses it.
 */
export interface TerminalView {
  open: () => Promise<void>;
  /** Type a command and press Enter, opening the terminal first if needed. */
  type: (command: string) => Promise<void>;
  /** Give the terminal the keyboard (once it is open). */
  focus: () => void;
}

/**
 * The terminal's font: a monospace font the machine has, at a line height that leaves room under
 * the baseline. At xterm's default line height, Debian's Chromium cut the underscore off each
 * row (`task_id` read `task id`); test/e2e/terminalText.test.ts checks the pixels.
 */
export const TERMINAL_FONT = { fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace', fontSize: 14, lineHeight: 1.25 };

export function mountTerminal(root: HTMLElement): TerminalView {
  root.innerHTML = `<div class="term-head"><h2>Terminal</h2><span><button type="button" class="term-sr" aria-pressed="false" aria-label="Screen reader" title="Screen reader: xterm's screen reader mode keeps the output where a screen reader can read it"><span class="long">Screen reader</span><span class="short" aria-hidden="true">SR</span></button> <button type="button" class="open-terminal">Open terminal</button></span></div><div class="term-status" role="status"></div><div class="term" hidden></div>`;
  const status = root.querySelector(".term-status") as HTMLElement;
  const area = root.querySelector(".term") as HTMLElement;
  const button = root.querySelector(".open-terminal") as HTMLButtonElement;
  let ready: Promise<TerminalSocket | null> | undefined;
  let focusTerminal = () => {};
  // xterm's screen-reader mode keeps an accessible copy of the output that screen readers can read.
  const screenReader = root.querySelector(".term-sr") as HTMLButtonElement;
  let setScreenReader: (on: boolean) => void = () => {};
  const showScreenReader = (on: boolean) => {
    screenReader.setAttribute("aria-pressed", String(on));
    localStorage.setItem(SCREEN_READER_KEY, String(on));
    setScreenReader(on);
  };
  showScreenReader(localStorage.getItem(SCREEN_READER_KEY) === "true");
  screenReader.addEventListener("click", () => showScreenReader(screenReader.getAttribute("aria-pressed") !== "true"));

  const start = async (): Promise<TerminalSocket | null> => {
    const secret = runToken();
    if (!secret) {
      status.innerHTML = `The terminal needs the link with <code>?token=…</code> that <code>npm start</code> printed. Open that link to use it.`;
      return null;
    }
    const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit"), import("@xterm/xterm/css/xterm.css")]);
    area.hidden = false;
    button.hidden = true;
    const term = new Terminal({ convertEol: false, ...TERMINAL_FONT, cursorBlink: true, screenReaderMode: screenReader.getAttribute("aria-pressed") === "true" });
    setScreenReader = (on) => (term.options.screenReaderMode = on);
    focusTerminal = () => term.focus();
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(area);
    // The font may arrive after the first measure: measure again once it is there.
    await document.fonts.load(`${TERMINAL_FONT.fontSize}px "DejaVu Sans Mono"`).catch(() => []);
    fit.fit();
    const socket: TerminalSocket = io(TERMINAL_NAMESPACE, { auth: { token: secret }, transports: ["websocket"] });
    return new Promise((resolve) => {
      socket.on("terminal:disabled", ({ reason }) => {
        status.innerHTML = esc(reason);
        area.hidden = true;
        resolve(null);
      });
      socket.on("terminal:output", (data) => term.write(data));
      socket.on("terminal:exit", ({ exitCode }) => (status.textContent = `The shell ended (exit ${exitCode}). Reload the page for a new one.`));
      socket.on("connect", () => {
        socket.emit("terminal:resize", { cols: term.cols, rows: term.rows });
        status.textContent = "";
        resolve(socket);
      });
      term.onData((data) => socket.emit("terminal:input", data));
      // The drawer it lives in grows and shrinks: the shell learns the new size each time.
      new ResizeObserver(() => {
        if (area.clientHeight === 0) return;
        fit.fit();
        socket.emit("terminal:resize", { cols: term.cols, rows: term.rows });
      }).observe(area);
    });
  };

  const open = async () => {
    ready ??= start();
    await ready;
  };
  button.addEventListener("click", () => void open());
  return {
    open,
    type: async (command) => {
      ready ??= start();
      const socket = await ready;
      socket?.emit("terminal:input", `${command}\r`);
    },
    focus: () => focusTerminal(),
  };
}
