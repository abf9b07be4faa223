// A lab's hints unlock one by one: everything after a hint in its part (prose, blocks, the next
// hint), up to the next check, stays hidden until the learner asks for that hint, so the last hint
// can hold the fix.

const KEY = "queue-flow-playground.hints";

const revealed = (): Record<string, number> => JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, number>;

/**
 * Show `section`'s parts as far as the hints asked for so far allow (kept in the browser per lesson
 * part, under `key`); each hint's button reveals the next. Returns the reveal action for the
 * notebook to wire to the hint buttons.
 */
export function applyHints(section: HTMLElement, key: string): () => void {
  const hints = [...section.querySelectorAll<HTMLElement>(":scope > .block.hint")];
  const draw = () => {
    const shown = revealed()[key] ?? 0;
    let hide = false;
    let n = 0;
    for (const el of section.querySelectorAll<HTMLElement>(":scope > .prose, :scope > .block")) {
      // A check is never hidden, and ends a hint's hidden stretch: a lab's verdict shows before its fix.
      if (el.classList.contains("check")) hide = false;
      if (!el.classList.contains("hint")) {
        el.hidden = hide;
        continue;
      }
      n += 1;
      const open = n <= shown;
      el.hidden = hide;
      const button = el.querySelector(".run") as HTMLButtonElement;
      button.hidden = open;
      button.textContent = `Show hint ${n} of ${hints.length}`;
      (el.querySelector(".hint-text") as HTMLElement).hidden = !open;
      (el.querySelector(".hint-text") as HTMLElement).dataset.hint = `Hint ${n} of ${hints.length}`;
      if (!open) hide = true;
    }
  };
  draw();
  return () => {
    const all = revealed();
    all[key] = Math.min(hints.length, (all[key] ?? 0) + 1);
    localStorage.setItem(KEY, JSON.stringify(all));
    draw();
    // The keyboard and a screen reader go to the hint just opened.
    const text = hints[(all[key] ?? 1) - 1]?.querySelector<HTMLElement>(".hint-text");
    text?.setAttribute("tabindex", "-1");
    text?.focus();
  };
}
