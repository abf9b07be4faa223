/**
 * After the learner moves to another lesson step (the address changes to `#/lessons/<id>/<n>`),
 * the keyboard focus goes to the new step's heading and the change is announced, instead of
 * falling to <body>. The notebook renders the step (views/notebook.ts); this watches for its
 * heading, `.step h3`, to appear after a move, so the notebook needs no hook of its own.
 * A re-render that is not a move (a check updating) does not take the focus.
 */
export function followStepChanges(notebook: HTMLElement, announcer: HTMLElement): void {
  let moved = false;
  // Capture: this runs before the notebook's own listener draws the step (its mutations are seen
  // between listeners, so a flag set after them would come too late).
  window.addEventListener("hashchange", () => (moved = true), { capture: true });
  let shown = "";
  new MutationObserver(() => {
    const heading = notebook.querySelector<HTMLElement>(".step h3, .step h2");
    const text = heading?.textContent?.trim() ?? "";
    if (!heading || !moved || text === shown) return;
    moved = false;
    shown = text;
    heading.tabIndex = -1;
    // The presenter's arrow keys keep working: a focused heading is not a form field.
    heading.focus({ preventScroll: false });
    announcer.textContent = `Now on ${text}`;
  }).observe(notebook, { childList: true, subtree: true });
}
