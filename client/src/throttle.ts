/**
 * A view drawn at most once per `ms`. In a burst of thousands of events, rewriting a table's or a
 * layer's HTML on every animation frame cost more than the frame itself (the tab's longest task
 * passed a second); a few redraws a second read the same. The newest call is always drawn: one
 * that comes too soon is drawn, with its own arguments, once the interval is over — so a view
 * rewound by time travel ends on the moment chosen, not on the live state.
 */
export function atMostEvery<Args extends unknown[]>(ms: number, draw: (...args: Args) => void): (...args: Args) => void {
  let last = -Infinity;
  let latest: Args | undefined;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  return (...args) => {
    const now = performance.now();
    if (now - last >= ms) {
      last = now;
      latest = undefined;
      draw(...args);
      return;
    }
    latest = args;
    trailing ??= setTimeout(() => {
      trailing = undefined;
      if (!latest) return;
      const pending = latest;
      latest = undefined;
      last = performance.now();
      draw(...pending);
    }, ms - (now - last));
  };
}

const shown = new WeakMap<Element, string>();

/** Set an element's HTML only when it changed: an identical rewrite still costs a style and layout pass. */
export function setHtml(element: Element, html: string): void {
  if (shown.get(element) === html) return;
  shown.set(element, html);
  element.innerHTML = html;
}
