const PRESENTER_KEY = "queue-flow-playground.presenter";

/**
 * The classroom's presenter token, from the presenter URL the server prints (`/?presenter=…`);
 * kept for the tab so reloads keep control. Without it, a classroom page follows read-only.
 */
export function presenterToken(): string | null {
  const fromUrl = new URLSearchParams(location.search).get("presenter");
  if (fromUrl) sessionStorage.setItem(PRESENTER_KEY, fromUrl);
  return fromUrl ?? sessionStorage.getItem(PRESENTER_KEY);
}
