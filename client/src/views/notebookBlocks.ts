// How each lesson block looks in the notebook, and what pressing it does. Words: a lesson has
// *parts*; the flow has six *steps*; "Release step n" lets one paused pipeline step go on.
import { marked } from "marked";
import type { LessonBlock, PredictBlock, PredictionOutcome, StepPart } from "../../../common/lessons.js";
import { FLOW_STEP_NUMBER, type FlowStep } from "../../../common/events.js";
import { call, esc } from "../api.js";
import { refusalOf } from "../refusal.js";
import { renderFunctionLog, renderHandlerCell } from "./handlerCell.js";

const SETTING_ROUTE = { faults: ["PUT", "/api/faults"], trigger: ["PATCH", "/api/trigger"], "step-mode": ["PUT", "/api/step-mode"] } as const;

/** "step 4 (receive)": the flow's numbering, as the visualizer's stations show it. */
export const stepName = (step: string) => (Object.hasOwn(FLOW_STEP_NUMBER, step) ? `step ${FLOW_STEP_NUMBER[step as FlowStep]} (${step})` : step);

/** A prediction's real outcome in words: the matching choice, else the value; never "null". */
export const outcomeText = (outcome: PredictionOutcome) => outcome.matching ?? (outcome.actual === null ? "nothing yet" : String(outcome.actual));

/** What the learner sees for a prediction: their choice beside what really happened. */
export function predictionText(block: PredictBlock, chosen: string | undefined, answer: PredictionOutcome | undefined): string {
  if (!answer) return block.when === "checked" ? "Not yet: this is answered once the check after it passes." : "Not yet: this is answered the moment it happens.";
  const real = outcomeText(answer);
  if (chosen === undefined) return `What happened: ${real}.`;
  return chosen === answer.matching ? `You predicted "${chosen}" — right ✓. What happened: ${real}.` : `You predicted "${chosen}"; what happened: ${real}.`;
}

const settingTitle = { faults: "Faults", trigger: "Trigger settings", "step-mode": "Step mode" } as const;

/** The HTML of one part of a lesson part; `chosen` is the learner's kept prediction for a predict block. */
export function renderPart(part: StepPart, i: number, chosen: string | undefined): string {
  if (part.kind === "prose") return `<div class="prose">${marked.parse(part.markdown)}</div>`;
  const block = part as LessonBlock;
  switch (block.kind) {
    case "http":
      return `<div class="block http" data-part="${i}"><pre>${esc(`${block.method} ${block.path}\n${Object.entries(block.headers).map(([k, v]) => `${k}: ${v}\n`).join("")}${block.body ? `\n${block.body}` : ""}`)}</pre><button type="button" class="run">Run</button><pre class="answer" hidden></pre></div>`;
    case "terminal":
      return `<div class="block terminal-cmd" data-part="${i}"><pre>$ ${esc(block.command)}</pre><button type="button" class="run">Run in terminal</button></div>`;
    case "check":
      return `<div class="block check" data-part="${i}" data-status="unchecked"><span class="mark" aria-hidden="true">○</span> <span class="label">${esc(block.label)}</span> <button type="button" class="run">Check</button><div class="detail" aria-live="polite"></div></div>`;
    case "faults":
    case "trigger":
    case "step-mode":
      return `<div class="block setting" data-part="${i}"><div class="kind">${settingTitle[block.kind]}</div><pre>${esc(JSON.stringify(block.body))}</pre><button type="button" class="run">Apply</button><span class="answer"></span></div>`;
    case "code":
      return `<figure class="block code" data-part="${i}"><figcaption>${esc(block.file)}:${block.line} <button type="button" class="code-toggle" aria-expanded="false">Show the code</button></figcaption><pre><code>${esc(block.code)}</code></pre></figure>`;
    case "handler":
      return renderHandlerCell(block, i);
    case "function-log":
      return renderFunctionLog(i);
    case "predict":
      return `<fieldset class="block predict" data-part="${i}"><legend>Predict: ${esc(block.question)}</legend>${block.choices
        .map((c, n) => `<label><input type="radio" name="p${i}" value="${n}" ${chosen === c.label ? "checked" : ""}/> ${esc(c.label)}</label>`)
        .join(" ")}<button type="button" class="run">See what really happened</button><div class="answer" aria-live="polite"></div></fieldset>`;
    case "next": {
      const label = block.step ? `Release ${stepName(block.step)} ▶` : "Release the waiting step ▶";
      return `<div class="block step-next" data-part="${i}"${block.step ? ` data-step="${block.step}"` : ""}><button type="button" class="run">${esc(label)}</button> <span class="answer" aria-live="polite"></span></div>`;
    }
    case "redrive":
      return `<div class="block action" data-part="${i}"><button type="button" class="run">Redrive the dead-letter queue</button><span class="answer"></span></div>`;
    case "reset":
      return `<div class="block action" data-part="${i}"><button type="button" class="run">Reset the world</button><span class="answer"></span></div>`;
    case "trial":
      return `<div class="block action trial" data-part="${i}"><button type="button" class="run" title="From now on the checks count only the tasks created after this">Start a trial</button><span class="answer"></span></div>`;
    case "hint":
      // Hidden until asked for (views/hints.ts numbers the buttons and reveals one at a time).
      return `<div class="block hint" data-part="${i}"><button type="button" class="run">Show a hint</button><div class="hint-text prose" hidden>${marked.parse(block.markdown)}</div></div>`;
  }
}


/**
 * Press a block that acts (everything but checks and predictions, which the notebook evaluates).
 * Resolves whether the action was done (false: refused, or a block that does nothing when pressed).
 */
export async function act(part: LessonBlock, el: HTMLElement, runInTerminal: (command: string) => void): Promise<boolean> {
  const answer = el.querySelector(".answer") as HTMLElement | null;
  const say = (text: string) => {
    if (answer) answer.textContent = text;
  };
  switch (part.kind) {
    case "http": {
      const started = performance.now();
      const result = await call(part.method, part.path, part.body ?? undefined, part.headers);
      const ms = Math.round(performance.now() - started);
      if (answer) answer.hidden = false;
      say(`HTTP ${result.status} — answered in ${ms} ms\n${result.json === null ? result.text : JSON.stringify(result.json, null, 2)}`);
      return result.ok;
    }
    case "terminal":
      runInTerminal(part.command);
      return true;
    case "next": {
      const result = await call("POST", "/api/step-mode/next", part.step ? { step: part.step } : {});
      const released = (result.json as { released?: { step: string } } | null)?.released;
      if (released) el.classList.add("done");
      say(released ? ` released ${stepName(released.step)} ✓` : ` ${refusalOf(result.json, result.status)}`);
      return Boolean(released);
    }
    case "redrive":
    case "reset":
    case "trial": {
      const result = await call("POST", `/api/${part.kind}`);
      const done = part.kind === "redrive" ? ` moved ${(result.json as { moved: number }).moved} message(s) back ✓` : part.kind === "trial" ? " ✓ the trial began: the checks below count only the tasks sent from now on" : " done ✓";
      say(result.ok ? done : ` refused: ${refusalOf(result.json, result.status)}`);
      return result.ok;
    }
    case "faults":
    case "trigger":
    case "step-mode": {
      const [method, path] = SETTING_ROUTE[part.kind];
      const result = await call(method, path, part.body);
      say(result.ok ? "applied ✓" : `refused: ${refusalOf(result.json, result.status)}`);
      return result.ok;
    }
    case "check":
    case "predict":
    case "code":
    case "handler":
    case "hint":
    case "function-log":
      return false;
  }
}
