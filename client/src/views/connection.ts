// The connection to the playground, made visible: while the socket is down a banner says so and
// every control is disabled (a click would fail silently); once it is back, the page has been
// re-synced from the server's fresh snapshot (main.ts) and the controls come back. A connection the
// server refuses (a page from an earlier run, too many pages) says why and what to do instead.

/** The controls that act on the playground: everything clickable in the lesson, the stage and the presenter bar. */
const CONTROLS = ".layout button, .layout input, .layout select, .presenter-bar button, .presenter-bar select";

export interface ConnectionView {
  connected(): void;
  lost(reason: string): void;
  /** The server refused this page (`connect_error` with a code): Socket.IO does not retry those. */
  refused(code: string, message: string): void;
}

/** What the banner says: a headline, the reason, and what the learner can do. */
interface Banner {
  title: string;
  reason: string;
  next: string;
}

const LOST_NEXT = "Trying again… The buttons are off until it is back.";

/**
 * A refusal in the learner's words. `UnknownToken`: the page holds a token this run did not give
 * out, most likely from the link of an earlier run (the playground makes new ones at each start;
 * the server cannot tell that from a mistyped token, so the banner names both), so its terminal and, while followers
 * watch, its controls would be refused; the page has no way to get the new one (only whoever reads
 * the start-up output does), so it says where the new link is.
 */
function refusalBanner(code: string, message: string): Banner {
  if (code === "UnknownToken") {
    return {
      title: "This page's link is not one this run of the playground gave out.",
      reason: "Most likely the playground has restarted since the link was printed (it makes new tokens at each start) and this page still holds the old one; or the token in the link was changed or mistyped.",
      next: `Open the link that npm start printed when it started again (the line "playground  ${location.origin}/?token=…"). Reloading this page keeps the old token. The buttons stay off until then.`,
    };
  }
  return { title: "The playground refused this page.", reason: message, next: "The buttons are off; reload the page to try again." };
}

/**
 * `status` is the header's small live/connecting text; `banner` the alert shown while the
 * connection is lost. Controls disabled here are marked, so that only they are enabled again;
 * controls drawn while offline (a lesson step rendered after the refusal) are disabled as they
 * appear, and a capture-phase click guard refuses any a view turns back on, until the connection is back.
 */
export function mountConnection(status: HTMLElement, banner: HTMLElement): ConnectionView {
  let offline = false;
  document.addEventListener(
    "click",
    (click) => {
      if (!offline) return;
      const control = (click.target as HTMLElement).closest("button, input, select");
      if (control && !control.closest(".connection-banner")) {
        click.preventDefault();
        click.stopImmediatePropagation();
      }
    },
    true,
  );
  const disableControls = () => {
    for (const control of document.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(CONTROLS)) {
      if (control.disabled) continue;
      control.disabled = true;
      control.dataset.offline = "true";
    }
  };
  const drawnWhileOffline = new MutationObserver(disableControls);
  const setOffline = (on: boolean) => {
    offline = on;
    document.body.classList.toggle("offline", on);
    banner.hidden = !on;
    if (on) {
      disableControls();
      drawnWhileOffline.observe(document.body, { childList: true, subtree: true });
    } else {
      drawnWhileOffline.disconnect();
      for (const control of document.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>("[data-offline]")) {
        control.disabled = false;
        delete control.dataset.offline;
      }
    }
  };
  const show = ({ title, reason, next }: Banner) => {
    (banner.querySelector(".connection-title") as HTMLElement).textContent = title;
    (banner.querySelector(".connection-reason") as HTMLElement).textContent = reason;
    (banner.querySelector(".connection-next") as HTMLElement).textContent = next;
    setOffline(true);
  };
  return {
    connected() {
      status.textContent = "live";
      setOffline(false);
    },
    lost(reason) {
      status.textContent = "reconnecting…";
      show({ title: "The connection to the playground is lost.", reason, next: LOST_NEXT });
    },
    refused(code, message) {
      status.textContent = code === "UnknownToken" ? "not connected: link from an earlier run or mistyped" : `not connected: ${message}`;
      show(refusalBanner(code, message));
    },
  };
}
