// The interview drill: one question at a time (`#/drill/<n>`), in the notebook's place. The learner
// writes an answer (kept in the browser), runs the experiment on the real components with one
// click, then reads the explanation and its AWS source; each question links to its lesson.
import { marked } from "marked";
import type { Drill } from "../../../common/drill.js";
import { call, esc } from "../api.js";
import { runExperiment, type ExperimentRun, type RunDeps } from "./drillRun.js";
import { renderPart } from "./notebookBlocks.js";

const ANSWERS_KEY = "queue-flow-playground.drill";

interface Kept {
  answer?: string;
  /** The experiment ran to the end once: the explanation is shown on later visits too. */
  ran?: boolean;
}
const kept = (): Record<string, Kept> => JSON.parse(localStorage.getItem(ANSWERS_KEY) ?? "{}") as Record<string, Kept>;
const keep = (id: string, change: Kept) => localStorage.setItem(ANSWERS_KEY, JSON.stringify({ ...kept(), [id]: { ...kept()[id], ...change } }));

/** `#/drill/<n>`, questions counted from 1; null when the address is not the drill's. */
export const drillRoute = (): number | null => {
  const match = /^#\/drill(?:\/(\d+))?$/.exec(location.hash);
  return match ? Math.max(1, Number(match[1] ?? 1)) : null;
};

export interface DrillView {
  /** Draw question `n` (1-based) into the notebook's root. */
  show(n: number): void;
  /** Leaving the drill: stop a running experiment. */
  leave(): void;
}

/** The drill's questions from `GET /api/drill`; null when this playground's lessons have none. */
export async function loadDrill(): Promise<Drill | null> {
  const answer = await call("GET", "/api/drill");
  return answer.ok ? (answer.json as Drill) : null;
}

export function mountDrill(root: HTMLElement, drill: Drill, deps: RunDeps & { backToLessons: () => string }): DrillView {
  let run: ExperimentRun | undefined;
  const leave = () => {
    run?.cancel();
    run = undefined;
  };

  const show = (n: number) => {
    leave();
    const index = Math.min(n, drill.questions.length) - 1;
    const q = drill.questions[index];
    if (!q) return;
    const mine = kept()[q.id] ?? {};
    const first = q.experiment.findIndex((p) => p.kind !== "prose");
    const setup = q.experiment.slice(0, Math.max(0, first)).map((p, i) => renderPart(p, i, undefined)).join("");
    const blocks = q.experiment.map((p, i) => (i < first ? "" : renderPart(p, i, undefined))).join("");
    const last = index + 1 >= drill.questions.length;
    root.innerHTML = `
      <div class="nb-head">
        <a class="drill-back" href="${esc(deps.backToLessons())}">◀ Lessons</a>
        <label>Question <select class="drill-picker">${drill.questions.map((d, i) => `<option value="${i + 1}" ${i === index ? "selected" : ""}>${i + 1}. ${esc(d.question)}</option>`).join("")}</select></label>
      </div>
      <h2 class="lesson-title">${esc(drill.title)}</h2>
      <section class="step drill" aria-label="Question ${index + 1} of ${drill.questions.length}">
        <h3 tabindex="-1">Question ${index + 1} of ${drill.questions.length}: ${esc(q.question)}</h3>
        <p class="drill-lesson">Taught in <a href="#/lessons/${esc(q.lesson.id)}/${q.lesson.part}">${esc(q.lesson.title)}</a>.</p>
        <label class="drill-answer-label" for="drill-answer">1. Your answer, in your own words <span class="hint">(kept in this browser only)</span></label>
        <textarea id="drill-answer" rows="5" placeholder="What would you tell the interviewer?">${esc(mine.answer ?? "")}</textarea>
        <h4>2. The experiment <span class="hint">(about ${q.seconds} s on the real queue and trigger)</span></h4>
        ${setup}
        <div class="drill-run-row"><button type="button" class="run-experiment">Run the experiment ▶</button> <span class="drill-status" aria-live="polite"></span></div>
        <div class="drill-blocks">${blocks}</div>
        <section class="drill-why" aria-label="Explanation" ${mine.ran ? "" : "hidden"}>
          <h4>3. Why</h4>
          <div class="prose">${marked.parse(q.explanation)}</div>
          <p class="drill-source">Source: <a href="${esc(q.source.url)}" target="_blank" rel="noopener noreferrer">${esc(q.source.title)}</a></p>
        </section>
      </section>
      <nav class="nb-nav" aria-label="Questions">
        <button type="button" class="prev" ${index === 0 ? "disabled" : ""}>◀ Previous</button>
        ${last ? `<span class="finished">That was the last question.</span>` : `<button type="button" class="next">Next question ▶</button>`}
      </nav>`;
    const go = (m: number) => (location.hash = `#/drill/${m}`);
    root.querySelector(".drill-picker")?.addEventListener("change", (e) => go(Number((e.target as HTMLSelectElement).value)));
    root.querySelector(".nb-nav .prev")?.addEventListener("click", () => go(index));
    root.querySelector(".nb-nav .next")?.addEventListener("click", () => go(index + 2));
    root.querySelector("#drill-answer")?.addEventListener("input", (e) => keep(q.id, { answer: (e.target as HTMLTextAreaElement).value }));

    const button = root.querySelector(".run-experiment") as HTMLButtonElement;
    const status = root.querySelector(".drill-status") as HTMLElement;
    const why = root.querySelector(".drill-why") as HTMLElement;
    const section = root.querySelector(".drill-blocks") as HTMLElement;
    // The experiment is pressed by its one button; a block's own button would press it twice.
    for (const own of section.querySelectorAll<HTMLButtonElement>(".block .run")) own.disabled = true;
    button.addEventListener("click", () => {
      button.disabled = true;
      status.textContent = "running… each block lights up as it is pressed; watch the flow on the right.";
      for (const el of section.querySelectorAll<HTMLElement>(".block")) el.classList.remove("done", "running");
      const current = runExperiment(q, section, deps);
      run = current;
      void current.done.then((passed) => {
        if (run !== current) return;
        run = undefined;
        button.disabled = false;
        button.textContent = "Run it again ▶";
        status.textContent = passed ? "done: every check passed. Compare with your answer, then read why." : "stopped: a check did not pass (see the block marked above). Run it again, or read why.";
        keep(q.id, { ran: true });
        why.hidden = false;
        why.scrollIntoView({ block: "nearest" });
      });
    });
  };
  return { show, leave };
}
