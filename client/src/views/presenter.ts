import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, PresenterPosition, ServerToClientEvents } from "../../../common/events.js";
import type { PlaygroundState } from "../../../common/state.js";
import { call } from "../api.js";
import { mountAutoplay } from "./autoplay.js";
import type { ChaosPanel } from "./chaos.js";

export interface PresenterDeps {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  chaos: ChaosPanel;
  /** The event the page shows (time travel), or null for live. */
  shownSeq: () => number | null;
  stepWaiting: () => boolean;
}

export interface Presenter {
  /** Counters follow the moment shown. */
  update(state: PlaygroundState): void;
  /** Tell followers where the presenter is (lesson, step, moment). */
  announce(): void;
}

const RESET_CONFIRM_MS = 3000;
const ANNOUNCE_EVERY_MS = 150;

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/** The lesson and step of the page's deep link (`#/lessons/<id>/<step>`). */
export function positionOf(hash: string, seq: number | null): PresenterPosition {
  const match = /^#\/lessons\/([a-z0-9-]+)(?:\/(\d+))?$/.exec(hash);
  return { lessonId: match?.[1] ?? null, step: Math.max(1, Number(match?.[2] ?? 1)), seq };
}

/**
 * The presenter view (`?presenter`, or the header's toggle): the drawing fills the screen, the
 * lesson is a narrow column of its step's blocks (prose folded away), one slim bar holds a clock,
 * counters, the follower address with a QR code, autoplay and the list of keys; and the keyboard (a remote clicker sends arrows or Page Up/Down):
 * → / Page Down next step, ← / Page Up previous, space Run (the step's next block), s step mode's
 * Next, f the chaos panel, r reset (press twice); Esc leaves a form field.
 */
export function mountPresenter(root: HTMLElement, deps: PresenterDeps): Presenter {
  const followUrl = `${location.origin}/follow`;
  // One slim row: what the room needs at a glance, and the presenter's controls; the followers'
  // address with its QR code and the list of keys open on demand, over the page.
  root.innerHTML = `
    <time class="pr-clock" aria-label="Time now"></time>
    <span class="pr-elapsed" aria-label="Time since the presenter view opened"></span>
    <dl class="pr-counters" aria-label="Counters"></dl>
    <span class="pr-followers" role="status">0 followers</span>
    <button type="button" class="pr-qr-toggle" aria-expanded="false" aria-controls="pr-qr">Follow link</button>
    <div class="pr-autoplay"></div>
    <button type="button" class="pr-keys-toggle" aria-expanded="false" aria-controls="pr-keys">Keys</button>
    <div class="pr-qr" id="pr-qr" hidden><p>Follow along: <a class="pr-url" href="${followUrl}">${followUrl}</a></p><div class="pr-qr-code"></div></div>
    <p class="pr-keys" id="pr-keys" hidden>→ / Page Down next step · ← / Page Up previous · space Run (the step's next block) · s release the waiting step (step mode) · f chaos panel · r r reset the world · Esc leave a field</p>
    <p class="pr-status" role="status"></p>`;
  const status = root.querySelector(".pr-status") as HTMLElement;
  const counters = root.querySelector(".pr-counters") as HTMLElement;
  const qr = root.querySelector(".pr-qr") as HTMLElement;
  const qrCode = root.querySelector(".pr-qr-code") as HTMLElement;
  const keysList = root.querySelector(".pr-keys") as HTMLElement;
  const keysToggle = root.querySelector(".pr-keys-toggle") as HTMLButtonElement;
  keysToggle.addEventListener("click", () => {
    keysList.hidden = !keysList.hidden;
    keysToggle.setAttribute("aria-expanded", String(!keysList.hidden));
  });
  const qrToggle = root.querySelector(".pr-qr-toggle") as HTMLButtonElement;
  mountAutoplay(root.querySelector(".pr-autoplay") as HTMLElement, { stepWaiting: deps.stepWaiting });

  const opened = Date.now();
  const tick = () => {
    (root.querySelector(".pr-clock") as HTMLElement).textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const seconds = Math.floor((Date.now() - opened) / 1000);
    (root.querySelector(".pr-elapsed") as HTMLElement).textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} in`;
  };
  tick();
  setInterval(tick, 1000);

  deps.socket.on("classroom:followers", (count) => {
    (root.querySelector(".pr-followers") as HTMLElement).textContent = `${count} follower${count === 1 ? "" : "s"}`;
  });

  qrToggle.addEventListener("click", async () => {
    if (!qrCode.innerHTML) {
      // The QR code library loads only when asked for.
      const { renderSVG } = await import("uqr");
      qrCode.innerHTML = renderSVG(followUrl);
      qrCode.querySelector("svg")?.setAttribute("role", "img");
      qrCode.querySelector("svg")?.setAttribute("aria-label", `QR code for ${followUrl}`);
    }
    qr.hidden = !qr.hidden;
    qrToggle.setAttribute("aria-expanded", String(!qr.hidden));
  });

  // Playback moves the shown moment many times a second: followers hear the latest, a few times a second.
  let announcing: ReturnType<typeof setTimeout> | undefined;
  const announce = () => {
    announcing ??= setTimeout(announceNow, ANNOUNCE_EVERY_MS);
  };
  const announceNow = () => {
    announcing = undefined;
    deps.socket.emit("presenter:announce", positionOf(location.hash, deps.shownSeq()), (reply) => {
      if ("error" in reply) status.textContent = `Followers do not follow: ${reply.error.message}. Open the presenter link printed at start (…?presenter=<token>).`;
    });
  };
  window.addEventListener("hashchange", announce);
  deps.socket.on("connect", announce);

  const say = (text: string) => (status.textContent = text);
  const runNext = () => {
    const button = [...document.querySelectorAll<HTMLButtonElement>(".step .run")].find((b) => !b.dataset.ran && b.offsetParent !== null);
    if (!button) return say("every block of this step has run: → for the next step");
    button.click();
  };
  // A block run by mouse counts too, so space goes on from there.
  document.addEventListener("click", (click) => {
    const button = (click.target as HTMLElement).closest<HTMLElement>(".step .run");
    if (button) button.dataset.ran = "true";
  });

  let resetArmed = 0;
  const keys: Record<string, () => void> = {
    ArrowRight: () => document.querySelector<HTMLButtonElement>(".nb-nav .next:not(:disabled)")?.click(),
    PageDown: () => document.querySelector<HTMLButtonElement>(".nb-nav .next:not(:disabled)")?.click(),
    ArrowLeft: () => document.querySelector<HTMLButtonElement>(".nb-nav .prev:not(:disabled)")?.click(),
    PageUp: () => document.querySelector<HTMLButtonElement>(".nb-nav .prev:not(:disabled)")?.click(),
    " ": runNext,
    s: () =>
      void call("POST", "/api/step-mode/next").then((r) => {
        const answer = r.json as { released?: { stepNumber: number; step: string }; error?: { message: string } } | null;
        say(answer?.released ? `released step ${answer.released.stepNumber} (${answer.released.step})` : (answer?.error?.message ?? `HTTP ${r.status}`));
      }),
    f: () => deps.chaos.toggle(),
    r: () => {
      if (Date.now() - resetArmed > RESET_CONFIRM_MS) {
        resetArmed = Date.now();
        return say("press r again to reset the world");
      }
      resetArmed = 0;
      void call("POST", "/api/reset").then((r) => say(r.ok ? "the world was reset" : `reset refused: HTTP ${r.status}`));
    },
  };
  document.addEventListener("keydown", (key) => {
    if (!document.body.classList.contains("presenter") || key.ctrlKey || key.metaKey || key.altKey) return;
    // Esc leaves a form field (the chaos panel's, say), so the keys drive the lesson again.
    if (key.key === "Escape" && isTyping(key.target)) return (key.target as HTMLElement).blur();
    if (isTyping(key.target)) return;
    // On the drawer's tabs the arrows move between tabs (views/dock.ts), not between lesson steps.
    if (key.target instanceof HTMLElement && key.target.getAttribute("role") === "tab") return;
    // Space on a focused button presses that button, as everywhere else.
    if (key.key === " " && key.target instanceof HTMLButtonElement) return;
    const action = keys[key.key];
    if (!action) return;
    key.preventDefault();
    action();
  });

  return {
    announce,
    update(state) {
      const c = state.counters;
      // The drawing shows tasks by status and the queues' contents; the bar adds the run's totals.
      const items: [string, number][] = [
        ["sent", c.sent],
        ["invocations", c.invocations],
      ];
      const html = items.map(([label, value]) => `<div><dt>${label}</dt><dd>${value}</dd></div>`).join("");
      if (counters.innerHTML !== html) counters.innerHTML = html;
    },
  };
}
