import { io, type Socket } from "socket.io-client";
import { TERMINAL_NAMESPACE, type TerminalClientToServerEvents, type TerminalServerToClientEvents } from "../../../common/terminal.js";
import { esc } from "../api.js";

type TerminalSocket = Socket<TerminalServerToClientEvents, TerminalClientToServerEvents>;
const TOKEN_KEY = "queue-flow-playground.token";
const SCREEN_READER_KEY = "queue-flow-playground.terminal-screen-reader";

/** The per-run token from the start URL (`/?token=…`); kept for the tab so reloads keep the terminal. */
function token(): string | null {
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY);
}

/**
 * A real shell in the page: xterm.js ↔ Socket.IO ↔ node-pty on the server. xterm is loaded only
 * when the terminal is first opened, so it costs nothing to a page that never uses it.
 */
export function mountTerminal(root: HTMLElement): { open: () => Promise<void>; type: (command: string) => Promise<void> } {
  root.innerHTML = `<div class="term-head"><h2>Terminal</h2><span><button type="button" class="term-sr" aria-pressed="false">Screen reader mode</button> <button type="button" class="open-terminal">Open terminal</button></span></div><div class="term-status" role="status"></div><div class="term" hidden></div>`;
  const status = root.querySelector(".term-status") as HTMLElement;
  const area = root.querySelector(".term") as HTMLElement;
  const button = root.querySelector(".open-terminal") as HTMLButtonElement;
  let ready: Promise<TerminalSocket | null> | undefined;
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
    const secret = token();
    if (!secret) {
      status.innerHTML = `The terminal needs the link with <code>?token=…</code> that <code>npm start</code> printed. Open that link to use it.`;
      return null;
    }
    const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit"), import("@xterm/xterm/css/xterm.css")]);
    area.hidden = false;
    button.hidden = true;
    const term = new Terminal({ convertEol: false, fontSize: 14, cursorBlink: true, screenReaderMode: screenReader.getAttribute("aria-pressed") === "true" });
    setScreenReader = (on) => (term.options.screenReaderMode = on);
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(area);
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
      window.addEventListener("resize", () => {
        fit.fit();
        socket.emit("terminal:resize", { cols: term.cols, rows: term.rows });
      });
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
  };
}
