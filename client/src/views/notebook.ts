import { marked } from "marked";
import type { CheckResult, Lesson, LessonBlock, LessonSummary, PredictionOutcome, StepPart } from "../../../common/lessons.js";
import { call, esc, getJson } from "../api.js";

export interface NotebookDeps {
  /** Type a command into the terminal (opening it if needed). */
  runInTerminal: (command: string) => void;
}

const PROGRESS_KEY = "queue-flow-playground.progress";
const PREDICTIONS_KEY = "queue-flow-playground.predictions";
const SETTING_ROUTE = { faults: ["PUT", "/api/faults"], trigger: ["PATCH", "/api/trigger"], "step-mode": ["PUT", "/api/step-mode"] } as const;

const route = (): { id: string | null; step: number } => {
  const match = /^#\/lessons\/([a-z0-9-]+)(?:\/(\d+))?$/.exec(location.hash);
  return { id: match?.[1] ?? null, step: Math.max(1, Number(match?.[2] ?? 1)) };
};
const progress = (): Record<string, number> => JSON.parse(localStorage.getItem(PROGRESS_KEY) ?? "{}") as Record<string, number>;

/**
 * The lesson notebook. Lessons come from the server (GET /api/lessons/:id); each block's action
 * is a real request; checks are evaluated by the server against the real state.
 */
export async function mountNotebook(root: HTMLElement, deps: NotebookDeps): Promise<{ onStateChange: () => void }> {
  const lessons = await getJson<LessonSummary[]>("/api/lessons");
  let lesson: Lesson | undefined;
  let stepIndex = 0;
  let lastAutoCheck = 0;

  const show = async () => {
    const { id, step } = route();
    const chosen = lessons.find((l) => l.id === id) ?? lessons[0];
    if (!chosen) {
      root.innerHTML = "<p>No lessons found in lessons/.</p>";
      return;
    }
    if (lesson?.id !== chosen.id) lesson = await getJson<Lesson>(`/api/lessons/${chosen.id}`);
    stepIndex = Math.min(step, lesson.steps.length) - 1;
    localStorage.setItem(PROGRESS_KEY, JSON.stringify({ ...progress(), [lesson.id]: stepIndex + 1 }));
    render(lesson);
  };

  const go = (id: string, step: number) => {
    location.hash = `#/lessons/${id}/${step}`;
  };

  const render = (current: Lesson) => {
    const step = current.steps[stepIndex];
    if (!step) return;
    root.innerHTML = `
      <div class="nb-head">
        <label>Lesson <select class="lesson-picker">${lessons.map((l) => `<option value="${l.id}" ${l.id === current.id ? "selected" : ""}>${l.order}. ${esc(l.title)}</option>`).join("")}</select></label>
        <button type="button" class="reset" title="Purge the queues, clear tasks and faults, turn step mode off">Reset the world</button>
      </div>
      <h2 class="lesson-title">${esc(current.title)}</h2>
      <p class="goal"><strong>Goal:</strong> ${esc(current.goal)}</p>
      ${stepIndex === 0 && current.intro ? `<div class="prose">${marked.parse(current.intro)}</div>` : ""}
      <section class="step" aria-label="Step ${stepIndex + 1}">
        <h3>Step ${stepIndex + 1} of ${current.steps.length}: ${esc(step.title)}</h3>
        ${step.parts.map((part, i) => renderPart(part, i)).join("")}
      </section>
      <nav class="nb-nav">
        <button type="button" class="prev" ${stepIndex === 0 ? "disabled" : ""}>◀ Previous</button>
        <span>${stepIndex + 1} / ${current.steps.length}</span>
        <button type="button" class="next" ${stepIndex + 1 >= current.steps.length ? "disabled" : ""}>Next ▶</button>
      </nav>`;
    root.querySelector(".lesson-picker")?.addEventListener("change", (e) => go((e.target as HTMLSelectElement).value, progress()[(e.target as HTMLSelectElement).value] ?? 1));
    root.querySelector(".nb-nav .prev")?.addEventListener("click", () => go(current.id, stepIndex));
    root.querySelector(".nb-nav .next")?.addEventListener("click", () => go(current.id, stepIndex + 2));
    root.querySelector(".nb-head .reset")?.addEventListener("click", () => void call("POST", "/api/reset").then(() => void checkAll(true)));
    step.parts.forEach((part, i) => wire(part, root.querySelector(`[data-part="${i}"]`) as HTMLElement | null));
  };

  const renderPart = (part: StepPart, i: number): string => {
    if (part.kind === "prose") return `<div class="prose">${marked.parse(part.markdown)}</div>`;
    const block = part as LessonBlock;
    switch (block.kind) {
      case "http":
        return `<div class="block http" data-part="${i}"><pre>${esc(`${block.method} ${block.path}\n${Object.entries(block.headers).map(([k, v]) => `${k}: ${v}\n`).join("")}${block.body ? `\n${block.body}` : ""}`)}</pre><button type="button" class="run">Run</button><pre class="answer" hidden></pre></div>`;
      case "terminal":
        return `<div class="block terminal-cmd" data-part="${i}"><pre>$ ${esc(block.command)}</pre><button type="button" class="run">Run in terminal</button></div>`;
      case "check":
        return `<div class="block check" data-part="${i}"><span class="mark" aria-hidden="true">○</span> <span class="label">${esc(block.label)}</span> <button type="button" class="run">Check</button><div class="detail"></div></div>`;
      case "faults":
      case "trigger":
      case "step-mode":
        return `<div class="block setting" data-part="${i}"><div class="kind">${block.kind === "faults" ? "Faults" : block.kind === "trigger" ? "Trigger settings" : "Step mode"}</div><pre>${esc(JSON.stringify(block.body))}</pre><button type="button" class="run">Apply</button><span class="answer"></span></div>`;
      case "code":
        return `<figure class="block code" data-part="${i}"><figcaption>${esc(block.file)}:${block.line}</figcaption><pre><code>${esc(block.code)}</code></pre></figure>`;
      case "predict": {
        const chosen = predictions()[predictionKey(i)];
        return `<fieldset class="block predict" data-part="${i}"><legend>Predict: ${esc(block.question)}</legend>${block.choices
          .map((c, n) => `<label><input type="radio" name="p${i}" value="${n}" ${chosen === c.label ? "checked" : ""}/> ${esc(c.label)}</label>`)
          .join(" ")}<button type="button" class="run">See what really happened</button><div class="answer" aria-live="polite"></div></fieldset>`;
      }
      case "next":
        return `<div class="block step-next" data-part="${i}">${block.step ? `The pipeline waits before <strong>${esc(block.step)}</strong>. ` : ""}<button type="button" class="run">Next step ▶</button><span class="answer"></span></div>`;
      case "redrive":
        return `<div class="block action" data-part="${i}"><button type="button" class="run">Redrive the dead-letter queue</button><span class="answer"></span></div>`;
      case "reset":
        return `<div class="block action" data-part="${i}"><button type="button" class="run">Reset the world</button><span class="answer"></span></div>`;
    }
  };

  const predictionKey = (i: number) => `${lesson?.id}/${stepIndex}/${i}`;
  const predictions = (): Record<string, string> => JSON.parse(localStorage.getItem(PREDICTIONS_KEY) ?? "{}") as Record<string, string>;

  const wire = (part: StepPart, el: HTMLElement | null) => {
    const button = el?.querySelector(".run");
    if (!el || !button) return;
    button.addEventListener("click", () => void act(part, el));
    if (part.kind !== "predict") return;
    // The learner's prediction is kept in the browser, to be compared with what really happens.
    el.addEventListener("change", (e) => {
      const choice = part.choices[Number((e.target as HTMLInputElement).value)];
      if (choice) localStorage.setItem(PREDICTIONS_KEY, JSON.stringify({ ...predictions(), [predictionKey(Number(el.dataset.part))]: choice.label }));
    });
  };

  const act = async (part: StepPart, el: HTMLElement) => {
    const answer = el.querySelector(".answer") as HTMLElement | null;
    switch (part.kind) {
      case "http": {
        const started = performance.now();
        const result = await call(part.method, part.path, part.body ?? undefined, part.headers);
        const ms = Math.round(performance.now() - started);
        if (answer) {
          answer.hidden = false;
          answer.textContent = `HTTP ${result.status} — answered in ${ms} ms\n${result.json === null ? result.text : JSON.stringify(result.json, null, 2)}`;
        }
        return;
      }
      case "terminal":
        deps.runInTerminal(part.command);
        return;
      case "check":
        await runCheck(el);
        return;
      case "predict": {
        const index = [...(el.parentElement?.querySelectorAll(".block.predict") ?? [])].indexOf(el);
        const outcome = (await call("POST", `/api/lessons/${lesson?.id}/predictions`, { step: stepIndex, index })).json as PredictionOutcome;
        const chosen = el.querySelector<HTMLInputElement>("input:checked");
        const label = chosen ? part.choices[Number(chosen.value)]?.label : undefined;
        const real = outcome.matching ?? JSON.stringify(outcome.actual);
        if (answer) answer.textContent = label === undefined ? `What happened: ${real}.` : label === outcome.matching ? `You predicted "${label}" — right: ${real}. ✓` : `You predicted "${label}"; what happened: ${real}.`;
        return;
      }
      case "next": {
        const result = await call("POST", "/api/step-mode/next");
        const released = (result.json as { released?: { stepNumber: number; step: string }; error?: { message: string } }) ?? {};
        if (answer) answer.textContent = released.released ? ` released step ${released.released.stepNumber} (${released.released.step})` : ` ${released.error?.message ?? ""}`;
        return;
      }
      case "redrive":
      case "reset": {
        const result = await call("POST", `/api/${part.kind}`);
        if (answer) answer.textContent = result.ok ? (part.kind === "redrive" ? ` moved ${(result.json as { moved: number }).moved} message(s) back ✓` : " done ✓") : ` refused: ${result.status}`;
        return;
      }
      case "faults":
      case "trigger":
      case "step-mode": {
        const [method, path] = SETTING_ROUTE[part.kind];
        const result = await call(method, path, part.body);
        if (answer) answer.textContent = result.ok ? "applied ✓" : `refused: ${(result.json as { error?: { message?: string } })?.error?.message ?? result.status}`;
        return;
      }
    }
  };

  const runCheck = async (el: HTMLElement) => {
    if (!lesson) return;
    const index = [...(el.parentElement?.querySelectorAll(".block.check") ?? [])].indexOf(el);
    const result = await call("POST", `/api/lessons/${lesson.id}/checks`, { step: stepIndex, index });
    const check = result.json as CheckResult;
    el.classList.toggle("ok", check.ok);
    el.classList.toggle("failed", !check.ok);
    (el.querySelector(".mark") as HTMLElement).textContent = check.ok ? "✓" : "✗";
    (el.querySelector(".detail") as HTMLElement).textContent = check.ok ? "" : `expected ${check.expected}, got ${check.actual}`;
  };

  /** Re-evaluate the step's unticked checks when the world changes, at most twice a second. */
  const checkAll = async (force = false) => {
    if (!force && Date.now() - lastAutoCheck < 500) return;
    lastAutoCheck = Date.now();
    for (const el of root.querySelectorAll<HTMLElement>(".block.check:not(.ok)")) if (force || el.classList.contains("failed")) await runCheck(el);
  };

  window.addEventListener("hashchange", () => void show());
  if (!route().id) {
    const first = lessons[0];
    if (first) history.replaceState(null, "", `#/lessons/${first.id}/${progress()[first.id] ?? 1}`);
  }
  await show();
  return { onStateChange: () => void checkAll() };
}
