// The tools under the flow drawing, one click away: the terminal, tasks, the queue inspector, the
// timeline with the wire inspector, the chart, time travel and the chaos panel, as tabs over one
// drawer. The drawer is closed at first (the drawing gets the room); choosing a tab opens it, and
// its ✕ (or Escape on a tab) closes it. Choosing the open tab again leaves it open: a learner who
// clicked "Timeline" to come back to it saw the drawer vanish. The terminal opens taller (at least
// 20 rows) when a lesson block sends it a command.

export type DockSize = "closed" | "open" | "tall";

export interface Dock {
  /** Show a tab's panel; `tall` makes the drawer tall enough for a 20-row terminal. */
  open(tab: string, size?: Exclude<DockSize, "closed">): void;
  close(): void;
  readonly size: DockSize;
  readonly tab: string | null;
  /** Called after the drawer changed size or tab (the terminal refits itself). */
  onChange(listener: () => void): void;
}

/**
 * Wire the tab buttons (`[role=tab][data-tab]`) to their panels (`[role=tabpanel][data-tab]`)
 * inside `root`, with the keyboard of the ARIA tabs pattern (← → Home End move between tabs).
 */
export function mountDock(root: HTMLElement): Dock {
  const tabs = [...root.querySelectorAll<HTMLButtonElement>("[role=tab][data-tab]")];
  const panels = new Map([...root.querySelectorAll<HTMLElement>("[role=tabpanel][data-tab]")].map((p) => [p.dataset.tab as string, p]));
  const sizeButton = root.querySelector(".dock-size") as HTMLButtonElement;
  const closeButton = root.querySelector(".dock-close") as HTMLButtonElement;
  const listeners: (() => void)[] = [];
  let size: DockSize = "closed";
  let current: string | null = null;

  const render = () => {
    root.dataset.size = size;
    document.body.dataset.dock = size;
    for (const tab of tabs) {
      const selected = tab.dataset.tab === current && size !== "closed";
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected || (size === "closed" && tab === tabs[0]) || (current === null && tab === tabs[0]) ? 0 : -1;
    }
    for (const [name, panel] of panels) panel.hidden = size === "closed" || name !== current;
    sizeButton.hidden = size === "closed";
    closeButton.hidden = size === "closed";
    sizeButton.textContent = size === "tall" ? "▾" : "▴";
    sizeButton.setAttribute("aria-label", size === "tall" ? "Make the drawer smaller" : "Make the drawer taller");
    sizeButton.title = sizeButton.getAttribute("aria-label") as string;
    for (const listener of listeners) listener();
  };

  const dock: Dock = {
    open(tab, to = size === "tall" ? "tall" : "open") {
      current = tab;
      size = to;
      render();
    },
    close() {
      size = "closed";
      render();
    },
    get size() {
      return size;
    },
    get tab() {
      return size === "closed" ? null : current;
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };

  for (const tab of tabs) {
    tab.addEventListener("click", () => dock.open(tab.dataset.tab as string));
    tab.addEventListener("keydown", (key) => {
      if (key.key === "Escape" && dock.tab) return dock.close();
      const at = tabs.indexOf(tab);
      const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[key.key];
      if (to === undefined) return;
      key.preventDefault();
      const next = tabs[(to + tabs.length) % tabs.length] as HTMLButtonElement;
      next.focus();
      dock.open(next.dataset.tab as string);
    });
  }
  sizeButton.addEventListener("click", () => current && dock.open(current, size === "tall" ? "open" : "tall"));
  closeButton.addEventListener("click", () => {
    dock.close();
    // The keyboard stays in the tool bar, on the tab that was open.
    tabs.find((tab) => tab.dataset.tab === current)?.focus();
  });
  render();
  return dock;
}
