/**
 * A binary min-heap ordered by `at` (epoch ms): the queue model keeps every pending deadline here and
 * sets one timer for the earliest. Stale entries are not removed; their owner skips them when they pop.
 */
export class DeadlineHeap<T> {
  private readonly items: { at: number; value: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest deadline, or undefined when empty. */
  peek(): { at: number; value: T } | undefined {
    return this.items[0];
  }

  push(at: number, value: T): void {
    const items = this.items;
    items.push({ at, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= items[i]!.at) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): { at: number; value: T } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && items[left]!.at < items[smallest]!.at) smallest = left;
        if (right < items.length && items[right]!.at < items[smallest]!.at) smallest = right;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}
