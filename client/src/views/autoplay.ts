// Autoplay: a lesson's reference solution — its own blocks, in order, as test/helpers/lessonSolver.ts
// does headlessly — pressed in the page with pauses, so a room can watch a lesson run by itself.
// It drives the notebook through its buttons, exactly as a presenter would.

export interface AutoplayDeps {
  /** Whether the pipeline waits in step mode (a `next` block presses Next only then). */
  stepWaiting: () => boolean;
}

const CHECK_PATIENCE_MS = 45_000;
const WAIT_STEP_MS = 30_000;

class Stopped extends Error {}

export function mountAutoplay(root: HTMLElement, deps: AutoplayDeps): void {
  root.innerHTML = `
    <button type="button" class="ap-start" aria-label="Autoplay this lesson">Autoplay</button>
    <label>Pause <select class="ap-pause"><option value="300">short</option><option value="1500" selected>1.5 s</option><option value="3000">3 s</option></select></label>
    <span class="ap-status" role="status"></span>`;
  const start = root.querySelector(".ap-start") as HTMLButtonElement;
  const status = root.querySelector(".ap-status") as HTMLElement;
  const pauseMs = () => Number((root.querySelector(".ap-pause") as HTMLSelectElement).value);
  let running: AbortController | null = null;

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new Stopped());
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => (clearTimeout(timer), reject(new Stopped())), { once: true });
    });
  const until = async (condition: () => boolean, timeoutMs: number, what: string, signal: AbortSignal) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(what);
      await sleep(100, signal);
    }
  };
  const heading = () => document.querySelector(".step h3")?.textContent ?? "";
  const press = (block: Element) => (block.querySelector(".run") as HTMLButtonElement | null)?.click();

  const doBlock = async (block: HTMLElement, signal: AbortSignal) => {
    const kind = block.classList;
    if (kind.contains("check")) {
      const deadline = Date.now() + CHECK_PATIENCE_MS;
      while (!kind.contains("ok")) {
        if (Date.now() > deadline) throw new Error(`the check "${block.querySelector(".label")?.textContent ?? ""}" did not pass`);
        press(block);
        await sleep(1000, signal);
      }
    } else if (kind.contains("step-next")) {
      await until(deps.stepWaiting, WAIT_STEP_MS, "no step waited for Next", signal);
      press(block);
      await sleep(200, signal);
    } else if (!kind.contains("code") && !kind.contains("predict")) press(block);
  };

  const play = async (signal: AbortSignal) => {
    const lesson = /^#\/lessons\/([a-z0-9-]+)/.exec(location.hash)?.[1];
    if (!lesson) throw new Error("open a lesson first");
    location.hash = `#/lessons/${lesson}/1`;
    await until(() => heading().startsWith("Part 1 of"), 10_000, "the lesson did not open", signal);
    for (;;) {
      const title = heading();
      status.textContent = `playing: ${title}`;
      const blocks = [...document.querySelectorAll<HTMLElement>(".step > [data-part]")];
      for (const block of blocks) {
        block.classList.add("autoplay-current");
        block.scrollIntoView({ block: "nearest" });
        await sleep(pauseMs(), signal);
        try {
          await doBlock(block, signal);
        } finally {
          block.classList.remove("autoplay-current");
        }
      }
      // A prediction is answered once its step has run: the answer is what really happened.
      for (const predict of blocks.filter((b) => b.classList.contains("predict"))) {
        const choice = predict.querySelector<HTMLInputElement>("input:checked") ?? predict.querySelector<HTMLInputElement>("input");
        if (choice) choice.checked = true;
        press(predict);
      }
      await sleep(pauseMs(), signal);
      const next = document.querySelector<HTMLButtonElement>(".nb-nav .next");
      if (!next || next.disabled) return;
      next.click();
      await until(() => heading() !== title, 10_000, "the next part did not open", signal);
    }
  };

  start.addEventListener("click", () => {
    if (running) {
      running.abort();
      return;
    }
    running = new AbortController();
    start.textContent = "Stop";
    start.setAttribute("aria-label", "Stop autoplay");
    play(running.signal).then(
      () => (status.textContent = "autoplay done"),
      (error: unknown) => (status.textContent = error instanceof Stopped ? "autoplay stopped" : `autoplay stopped: ${(error as Error).message}`),
    ).finally(() => {
      running = null;
      start.textContent = "Autoplay";
      start.setAttribute("aria-label", "Autoplay this lesson");
    });
  });
}
