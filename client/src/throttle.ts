/**
 * A view drawn at most once per `ms`. In a burst of thousands of events, rewriting a table's or a
 * layer's HTML on every animation frame cost more than the frame itself (the tab's longest task
 * passed a second); a few redraws a second read the same. The newest state is always drawn: a
 * call that comes too soon asks `redraw` for another pass once the interval is over.
 */
export function atMostEvery<Args extends unknown[]>(ms: number, draw: (...args: Args) => void, redraw: () => void): (...args: Args) => void {
  let last = -Infinity;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  return (...args) => {
    const now = performance.now();
    if (now - last >= ms) {
      last = now;
      draw(...args);
      return;
    }
    trailing ??= setTimeout(() => {
      trailing = undefined;
      redraw();
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
