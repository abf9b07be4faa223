import "../notebook.css";
import { marked } from "marked";
import type { Lesson, LessonSummary, PredictionOutcome } from "../../../common/lessons.js";
import type { PlaygroundState } from "../../../common/state.js";
import { call, esc, getJson } from "../api.js";
import { mountHandlerCell, showLog } from "./handlerCell.js";
import { applyHints } from "./hints.js";
import { drillRoute, loadDrill, mountDrill } from "./drill.js";
import { act, renderPart } from "./notebookBlocks.js";
import { LivePart, type KeptResults } from "./notebookLive.js";
import { Rechecker } from "./recheck.js";
import { STEP_MODE_NOTICE, showStepModeNotice, usesStepMode } from "./stepModeNotice.js";

export interface NotebookDeps {
  /** Type a command into the terminal (opening it if needed). */
  runInTerminal: (command: string) => void;
  /** Live events the lesson-paced drawing has not shown yet: the drill's experiments wait for it. */
  drawingBehind?: () => number;
  /** Whether the drawing has shown every event up to `seq`: a check's ✓ waits for it. */
  drawnThrough?: (seq: number) => boolean;
  /** A drill experiment's terminal command has had its time: the terminal may give the drawing its room back. */
  terminalDone?: () => void;
  /** Step mode as the live state has it: a part that does not use it says when it is on. */
  stepMode?: () => PlaygroundState["stepMode"];
}

const PROGRESS_KEY = "queue-flow-playground.progress";
const PREDICTIONS_KEY = "queue-flow-playground.predictions";
/** Checks passed ("<lesson>/<part>/check/<i>": true) and predictions answered (".../predict/<i>": the outcome), kept so that going back to a part shows them. */
const RESULTS_KEY = "queue-flow-playground.results";

/** `#/lessons/<id>/<part>`, parts counted from 1. */
const route = (): { id: string | null; part: number } => {
  const match = /^#\/lessons\/([a-z0-9-]+)(?:\/(\d+))?$/.exec(location.hash);
  return { id: match?.[1] ?? null, part: Math.max(1, Number(match?.[2] ?? 1)) };
};
/** How the picker and the onward line name a lesson: "7. Retry logic…", a lab "Lab 2. A poison message…". */
const numbered = (l: Pick<LessonSummary, "kind" | "order" | "title">) => `${l.kind === "lab" ? "Lab " : ""}${l.order}. ${esc(l.title)}`;

/**
 * The picker: the lessons, then the failure labs as a group of their own. Its button shows the
 * chosen title (selectedcontent), so that it can wrap (notebook.css); a browser without the
 * customizable select drops both and keeps the native one, whose title attribute names the lesson.
 */
function pickerOptions(lessons: LessonSummary[], currentId: string): string {
  const option = (l: LessonSummary) => `<option value="${l.id}" ${l.id === currentId ? "selected" : ""}>${numbered(l)}</option>`;
  const group = (label: string, kind: LessonSummary["kind"]) => {
    const members = lessons.filter((l) => l.kind === kind);
    return members.length ? `<optgroup label="${label}">${members.map(option).join("")}</optgroup>` : "";
  };
  return group("Lessons", "lesson") + group("Failure labs: find and fix the cause", "lab");
}

const progress = (): Record<string, number> => JSON.parse(localStorage.getItem(PROGRESS_KEY) ?? "{}") as Record<string, number>;
const predictions = (): Record<string, string> => JSON.parse(localStorage.getItem(PREDICTIONS_KEY) ?? "{}") as Record<string, string>;
const results = (): Record<string, true | PredictionOutcome> => JSON.parse(localStorage.getItem(RESULTS_KEY) ?? "{}") as Record<string, true | PredictionOutcome>;
const keep = (key: string, value: true | PredictionOutcome) => localStorage.setItem(RESULTS_KEY, JSON.stringify({ ...results(), [key]: value }));

/**
 * After a terminal command, in a lesson column the docked terminal made short: the block pressed in
 * view, and the first check after it as well, as far as that keeps the block's button in view.
 * Walking lesson 1 at 1024×768, "no message is waiting" turned ✓ below the column's edge, unseen.
 */
function keepInView(block: HTMLElement, button: Element): void {
  block.scrollIntoView({ block: "nearest" });
  const column = block.closest<HTMLElement>(".notebook");
  let check = block.nextElementSibling;
  while (check && !check.matches(".block.check")) check = check.nextElementSibling;
  if (!column || !check) return;
  const box = column.getBoundingClientRect();
  const below = check.getBoundingClientRect().bottom - box.bottom;
  const room = button.getBoundingClientRect().top - box.top;
  if (below > 0 && room > 0) column.scrollTop += Math.min(below + 8, room);
}

/** A code block the presenter view folds (notebook.css), shown or folded again. */
function unfold(toggle: HTMLButtonElement): void {
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  toggle.textContent = open ? "Hide the code" : "Show the code";
}

/** What the learner achieved in part `part` of lesson `id`, kept in the browser. */
function keptResults(id: string, part: number): KeptResults {
  const key = (kind: string, index: number) => `${id}/${part}/${kind}/${index}`;
  return {
    passed: (index) => results()[key("check", index)] === true,
    pass: (index) => keep(key("check", index), true),
    forget: (index) => {
      const all = results();
      delete all[key("check", index)];
      localStorage.setItem(RESULTS_KEY, JSON.stringify(all));
    },
    answer: (index) => {
      const outcome = results()[key("predict", index)];
      return typeof outcome === "object" ? outcome : undefined;
    },
    answered: (index, outcome) => keep(key("predict", index), outcome),
  };
}

/**
 * The lesson notebook. Lessons come from the server (GET /api/lessons/:id), one part at a time;
 * each block's action is a real request; checks are evaluated by the server against the real
 * state, again after every change (never throttled away) and every second while one waits.
 */
export async function mountNotebook(root: HTMLElement, deps: NotebookDeps): Promise<{ onStateChange: () => void; onDrawn: () => void }> {
  const [lessons, drill] = await Promise.all([getJson<LessonSummary[]>("/api/lessons"), loadDrill()]);
  let lesson: Lesson | undefined;
  let partIndex = 0;
  let live: LivePart | undefined;
  // On the column, not on each part: the drill's blocks (drawn in the same place) have code blocks too.
  root.addEventListener("click", (click) => {
    const toggle = (click.target as Element).closest<HTMLButtonElement>(".code-toggle");
    if (toggle) unfold(toggle);
  });
  const recheck = new Rechecker(
    () => live?.evaluate() ?? Promise.resolve(),
    () => live?.waiting ?? false,
  );
  // The world reset under way (the head's or a part's), settled when it is done, failed or not.
  let worldReset: Promise<unknown> = Promise.resolve();
  const resetting = (reset: Promise<unknown>) => {
    worldReset = reset.catch(() => {});
  };

  // The keyboard goes to the new part's heading, announced, by views/stepFocus.ts (the one place that does it).
  // The interview drill takes the notebook's place at `#/drill/<n>`; "◀ Lessons" returns to the lesson left.
  const drillView = drill ? mountDrill(root, drill, { runInTerminal: deps.runInTerminal, terminalDone: deps.terminalDone ?? (() => {}), drawingBehind: deps.drawingBehind ?? (() => 0), backToLessons: () => `#/lessons/${lesson?.id ?? lessons[0]?.id ?? ""}/${partIndex + 1}` }) : undefined;

  const show = async () => {
    const question = drillRoute();
    if (question !== null && drillView) {
      live?.close();
      live = undefined;
      root.removeAttribute("data-code");
      drillView.show(question);
      return;
    }
    drillView?.leave();
    const { id, part } = route();
    const chosen = lessons.find((l) => l.id === id) ?? lessons[0];
    if (!chosen) {
      root.innerHTML = "<p>No lessons found in lessons/.</p>";
      return;
    }
    if (lesson?.id !== chosen.id) lesson = await getJson<Lesson>(`/api/lessons/${chosen.id}`);
    partIndex = Math.min(part, lesson.steps.length) - 1;
    localStorage.setItem(PROGRESS_KEY, JSON.stringify({ ...progress(), [lesson.id]: partIndex + 1 }));
    render(lesson, linkNotice(id, chosen, part, lesson.steps.length));
  };

  /**
   * What the page says when a link asked for something it does not have: a lesson whose name no
   * lesson has (an old or mistyped link opened lesson 1 without a word), or a part past the last.
   */
  const linkNotice = (asked: string | null, shown: LessonSummary, part: number, parts: number): string | null => {
    if (asked !== null && asked !== shown.id) return `There is no lesson called “${esc(asked)}” (the link may be mistyped or from an older version): here is ${numbered(shown)}. The list above has every lesson and lab.`;
    if (part > parts) return `This ${shown.kind === "lab" ? "lab" : "lesson"} has ${parts} part${parts === 1 ? "" : "s"}: here is the last.`;
    return null;
  };

  const go = (id: string, part: number) => {
    location.hash = `#/lessons/${id}/${part}`;
  };

  const predictionKey = (index: number) => `${lesson?.id}/${partIndex}/${index}`;

  const render = (current: Lesson, notice: string | null = null) => {
    const part = current.steps[partIndex];
    if (!part) return;
    const order = lessons.findIndex((l) => l.id === current.id);
    const nextLesson = lessons[order + 1];
    const last = partIndex + 1 >= current.steps.length;
    let predictIndex = 0;
    const body = part.parts.map((p, i) => renderPart(p, i, p.kind === "predict" ? predictions()[predictionKey(predictIndex++)] : undefined)).join("");
    // A part with its own reset block shows that one only: two "Reset the world" buttons, one under
    // the other, left the learner guessing which to press.
    const headReset = part.parts.some((p) => p.kind === "reset") ? "" : `<button type="button" class="reset" title="Purge the queues, clear tasks and faults, turn step mode off">Reset the world</button>`;
    const onward = !last
      ? `<button type="button" class="next">Next<span class="nav-part"> part</span> ▶</button>`
      : nextLesson
        ? `<button type="button" class="next-lesson" aria-describedby="nb-next-title">Next ${nextLesson.kind === "lab" ? "lab" : "lesson"} ▶</button>`
        : `<span class="finished">That was the last lesson.</span>`;
    // A lesson with code cells keeps one, wider lesson column in all its parts (client/src/style.css):
    // widened only on the parts with a cell, the drawing changed size at every Next.
    root.toggleAttribute("data-code", current.steps.some((step) => step.parts.some((p) => p.kind === "handler")));
    root.innerHTML = `
      <div class="nb-head">
        <label>${current.kind === "lab" ? "Lab" : "Lesson"} <select class="lesson-picker" title="${numbered(current)}"><button type="button"><selectedcontent></selectedcontent></button>${pickerOptions(lessons, current.id)}</select></label>
        ${drill ? `<a class="drill-link" href="#/drill" title="Questions interviewers ask, each answered by an experiment">Interview drill</a>` : ""}
        ${headReset}
      </div>
      ${notice ? `<p class="nb-notice" role="status">${notice}</p>` : ""}
      <h2 class="lesson-title">${current.kind === "lab" ? `<span class="lab-badge">Failure lab ${current.order}</span> ` : ""}${esc(current.title)}</h2>
      <p class="goal"><strong>Goal:</strong> ${esc(current.goal)}</p>
      ${partIndex === 0 && current.intro ? `<div class="prose">${marked.parse(current.intro)}</div>` : ""}
      <section class="step" aria-label="Part ${partIndex + 1} of ${current.steps.length}">
        <h3 tabindex="-1">Part ${partIndex + 1} of ${current.steps.length}: ${esc(part.title)}</h3>
        ${usesStepMode(part.parts) ? "" : STEP_MODE_NOTICE}
        ${body}
        ${last && nextLesson ? `<p class="nb-onward">Once the checks above are ✓, this ${current.kind === "lab" ? "lab" : "lesson"} is done. Next: <span id="nb-next-title">${numbered(nextLesson)}</span></p>` : ""}
      </section>
      <nav class="nb-nav" aria-label="Lesson parts">
        <button type="button" class="prev" ${partIndex === 0 ? "disabled" : ""}>◀ Previous<span class="nav-part"> part</span></button>
        <span class="nb-count">Part <span class="nb-count-of">${partIndex + 1} / ${current.steps.length}</span></span>
        ${onward}
      </nav>`;
    root.querySelector(".lesson-picker")?.addEventListener("change", (e) => {
      const id = (e.target as HTMLSelectElement).value;
      go(id, progress()[id] ?? 1);
    });
    root.querySelector(".nb-nav .prev")?.addEventListener("click", () => go(current.id, partIndex));
    root.querySelector(".nb-nav .next")?.addEventListener("click", () => go(current.id, partIndex + 2));
    if (nextLesson) root.querySelector(".nb-nav .next-lesson")?.addEventListener("click", () => go(nextLesson.id, 1));
    root.querySelector(".nb-head .reset")?.addEventListener("click", () =>
      resetting(
        call("POST", "/api/reset").then((result) => {
          // A world reset starts the part again: nothing it showed about the world before still holds.
          if (result.ok) live?.restart();
          recheck.changed();
        }),
      ),
    );

    live?.close();
    const section = root.querySelector(".step") as HTMLElement;
    const indexOf = new Map<HTMLElement, number>();
    for (const el of section.querySelectorAll<HTMLElement>(".block.predict")) indexOf.set(el, indexOf.size);
    live = new LivePart(current, partIndex, section, (index) => predictions()[predictionKey(index)], deps.drawnThrough, keptResults(current.id, partIndex));
    const revealHint = applyHints(section, `${current.id}/${partIndex}`);
    for (const el of section.querySelectorAll<HTMLElement>(".block.hint")) el.querySelector(".run")?.addEventListener("click", revealHint);
    for (const el of section.querySelectorAll<HTMLElement>(".block:not(.hint)")) wire(el, current, indexOf.get(el));
    noticeStepMode();
    recheck.changed();
  };

  const noticeStepMode = () => {
    const section = root.querySelector<HTMLElement>(".step");
    if (section && deps.stepMode) showStepModeNotice(section, deps.stepMode());
  };

  const wire = (el: HTMLElement, current: Lesson, predictIndex: number | undefined) => {
    const part = current.steps[partIndex]?.parts[Number(el.dataset.part)];
    const visit = live;
    if (part?.kind === "handler") {
      const failed = (error: unknown) => void (el.querySelector(".answer") ?? el).append(`The editor could not load: ${String(error)}`);
      // A Deploy or Reset answered changes what runs: judged again, as after any action (a Reset left "deployed ✓").
      return void mountHandlerCell(el, part, `${current.id}/${partIndex}/${el.dataset.part}`, () => {
        visit?.acted(el);
        recheck.changed();
      }).catch(failed);
    }
    if (part?.kind === "function-log") return showLog(el);
    const button = el.querySelector(".run");
    if (!part || part.kind === "prose" || !button) return;
    button.addEventListener("click", () => {
      if (part.kind === "predict") return visit?.reveal(el);
      if (part.kind === "check") {
        visit?.acted(el);
        return recheck.changed();
      }
      // The checks after an action go live once its request is answered. Live at the press, they
      // were judged on the world the action was about to change: a Reset's part showed ✓ and ✗
      // about the previous part's task (lesson 18's "two receives spent on throttles" ✓ before
      // any task was sent, and "lifted in time" ✗).
      // One press, one action: a double-click sent lesson 9's request twice, and its "3 completed"
      // could then never hold. The button is back once the action is answered.
      if (button instanceof HTMLButtonElement) {
        if (button.getAttribute("aria-busy") === "true") return;
        button.setAttribute("aria-busy", "true");
      }
      // An action pressed while a world reset is still under way goes after it: sent before, the
      // reset undid it (lesson 3's trigger turned off, then on again by the reset), and the reset's
      // restart of the part then left its check ○ for good.
      const run = part.kind === "reset" ? act(part, el, deps.runInTerminal) : worldReset.then(() => act(part, el, deps.runInTerminal));
      const acted = run.then((done) => {
        // The part's own Reset starts it again, Release buttons and checks included (a redo showed
        // "released ✓" beside steps not yet released, and a ✓ while the new task waited at step 5).
        // A new trial too: what follows it judges the new trial's tasks.
        if (done && (part.kind === "reset" || part.kind === "trial")) visit?.restart(el);
      });
      if (part.kind === "reset") resetting(acted);
      void acted.finally(() => {
        button.removeAttribute("aria-busy");
        visit?.acted(el);
        recheck.changed();
        // The terminal it opened may have taken the lower part of the lesson's column (short
        // windows): the block pressed stays in view above it, and so does the check it answers.
        if (part.kind === "terminal") requestAnimationFrame(() => keepInView(el, button));
      });
    });
    if (part.kind !== "predict" || predictIndex === undefined) return;
    // The learner's prediction is kept in the browser, to be compared with what really happens.
    el.addEventListener("change", (e) => {
      const choice = part.choices[Number((e.target as HTMLInputElement).value)];
      if (choice) localStorage.setItem(PREDICTIONS_KEY, JSON.stringify({ ...predictions(), [predictionKey(predictIndex)]: choice.label }));
      // Chosen after the moment: the answer recorded then is shown at once.
      visit?.revealIfAnswered(el);
    });
  };

  window.addEventListener("hashchange", () => void show());
  if (!route().id && drillRoute() === null) {
    const first = lessons[0];
    if (first) history.replaceState(null, "", `#/lessons/${first.id}/${progress()[first.id] ?? 1}`);
  }
  await show();
  return {
    onStateChange: () => {
      noticeStepMode();
      recheck.changed();
    },
    onDrawn: () => live?.drawn(),
  };
}
