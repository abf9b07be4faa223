const PRESENTER_KEY = "queue-flow-playground.presenter";
const RUN_TOKEN_KEY = "queue-flow-playground.token";

/** A secret from the page's URL (`?name=…`), kept for the tab so reloads keep it. */
function fromUrlOrTab(name: string, key: string): string | null {
  const fromUrl = new URLSearchParams(location.search).get(name);
  if (fromUrl) sessionStorage.setItem(key, fromUrl);
  return fromUrl ?? sessionStorage.getItem(key);
}

/**
 * The classroom's presenter token, from the presenter URL the server prints (`/?presenter=…`);
 * kept for the tab so reloads keep control. Without it, a classroom page follows read-only.
 */
export function presenterToken(): string | null {
  return fromUrlOrTab("presenter", PRESENTER_KEY);
}

/** The per-run token of the start URL (`/?token=…`): it opens the terminal. */
export function runToken(): string | null {
  return fromUrlOrTab("token", RUN_TOKEN_KEY);
}

/**
 * What the page sends as its control credential (HTTP `Authorization: Bearer`, Socket.IO
 * `auth.presenter`): the presenter token, else the run token of the printed link, which the server
 * counts as the presenter's on the learner's own machine, so followers watching there never lock
 * the learner's page out. A follower's page sends none: it only watches.
 */
export function controlCredential(): string | null {
  if (new URLSearchParams(location.search).has("follow")) return null;
  return presenterToken() ?? runToken();
}
