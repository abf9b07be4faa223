// A handler cell: the lesson's function code in an editor; Deploy makes it the function the
// trigger invokes (a new version), Reset goes back to the lesson's code and the playground's own
// handler. The editor library loads the first time a part shows a cell.
import type { FlowEvent } from "../../../common/events.js";
import type { FunctionLanguage, HandlerBlock } from "../../../common/lessons.js";
import { call, esc } from "../api.js";
import { describe } from "../describe.js";
import type { CodeEditor } from "./codeEditor.js";

/** The live cells on the page; each is told the new events and drops out once its part is gone. */
const listeners = new Set<(events: FlowEvent[]) => void>();

/** Hand the events since the last redraw to the cells shown (client/src/main.ts calls this). */
export function handlerCellEvents(events: FlowEvent[]): void {
  for (const listener of listeners) listener(events);
}

/** Lines kept in a cell's function log: the latest invocations', enough to read one batch's story. */
const LOG_LINES = 40;

/** GET /api/function/code: what runs now, and whether this machine can run Python. */
export interface DeployedCode {
  language: FunctionLanguage;
  code: string | null;
  version: number;
  pythonAvailable: boolean;
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; line?: number; column?: number };
}

const DRAFTS_KEY = "queue-flow-playground.handler-drafts";
const LANGUAGE_NAME: Record<FunctionLanguage, string> = { nodejs: "TypeScript / JavaScript (Node.js)", python: "Python 3" };

const drafts = (): Record<string, string> => JSON.parse(localStorage.getItem(DRAFTS_KEY) ?? "{}") as Record<string, string>;
const keepDraft = (key: string, code: string | undefined) => {
  const all = drafts();
  if (code === undefined) delete all[key];
  else all[key] = code;
  localStorage.setItem(DRAFTS_KEY, JSON.stringify(all));
};

/** The cell's HTML before the editor loads: the code itself, readable at once. */
export function renderHandlerCell(block: HandlerBlock, i: number): string {
  const first = block.sources[0];
  const options = block.sources.map((s) => `<option value="${s.language}">${esc(LANGUAGE_NAME[s.language])}</option>`).join("");
  return `<div class="block handler" data-part="${i}">
    <div class="handler-head"><span class="kind">Your handler</span>
      <label>Language <select class="handler-language"${block.sources.length < 2 ? " disabled" : ""}>${options}</select></label>
      <span class="handler-file">${esc(first?.file ?? "")}</span></div>
    <div class="handler-editor"><pre><code>${esc(first?.code ?? "")}</code></pre></div>
    <div class="handler-actions"><button type="button" class="deploy" disabled>Deploy</button> <button type="button" class="reset-code" disabled>Reset</button>
      <span class="answer" aria-live="polite">Loading the editor…</span></div>
    <div class="handler-log-head">Function log <span class="handler-log-hint">(cold starts, <code>console.log</code> / <code>print</code>, results and errors of your deployed version)</span></div>
    <pre class="handler-log" aria-live="polite">Nothing yet: deploy, then send a task.</pre>
  </div>`;
}

/**
 * Makes a rendered cell live: loads the editor, keeps the learner's draft per lesson part and
 * language in the browser (leaving a part loses nothing), and wires Deploy and Reset to
 * PUT/DELETE /api/function/code. A follower's page (a classroom) shows the code read-only.
 */
export async function mountHandlerCell(el: HTMLElement, block: HandlerBlock, draftKey: string): Promise<void> {
  const select = el.querySelector<HTMLSelectElement>(".handler-language");
  const fileLabel = el.querySelector<HTMLElement>(".handler-file");
  const deploy = el.querySelector<HTMLButtonElement>(".deploy");
  const reset = el.querySelector<HTMLButtonElement>(".reset-code");
  const answer = el.querySelector<HTMLElement>(".answer");
  const host = el.querySelector<HTMLElement>(".handler-editor");
  if (!select || !deploy || !reset || !answer || !host) return;
  const say = (text: string, kind: "ok" | "error" | "" = "") => {
    answer.textContent = text;
    answer.dataset.kind = kind;
  };
  const following = document.body.classList.contains("follower");
  const [{ mountEditor }, deployed] = await Promise.all([import("./codeEditor.js"), call("GET", "/api/function/code")]);
  const now = deployed.ok ? (deployed.json as DeployedCode) : undefined;
  const source = (language: FunctionLanguage) => block.sources.find((s) => s.language === language) ?? block.sources[0];
  const keyOf = (language: FunctionLanguage) => `${draftKey}/${language}`;
  let language = (select.value as FunctionLanguage) || "nodejs";
  const codeFor = (lang: FunctionLanguage) => drafts()[keyOf(lang)] ?? source(lang)?.code ?? "";
  host.textContent = "";
  const editor: CodeEditor = mountEditor(host, codeFor(language), language, (code) => keepDraft(keyOf(language), code));
  const pythonMissing = now?.pythonAvailable === false;
  const lockFor = (lang: FunctionLanguage) => following || (lang === "python" && pythonMissing);
  const apply = (lang: FunctionLanguage) => {
    language = lang;
    if (fileLabel) fileLabel.textContent = source(lang)?.file ?? "";
    editor.setCode(codeFor(lang), lang);
    editor.setReadOnly(lockFor(lang));
    deploy.disabled = lockFor(lang);
    if (following) say("Read-only: the presenter's page deploys code, a follower's page shows it.");
    else if (lang === "python" && pythonMissing) say("Python is not installed on this machine (python3 was not found), so this cell is read-only. Install python3 and restart the playground to run it.", "error");
    else say(now && now.version > 0 ? `The function runs version ${now.version} now (${now.language === "python" ? "Python" : "Node.js"}).` : "The function runs the playground's own handler now.");
  };
  select.addEventListener("change", () => apply(select.value as FunctionLanguage));
  follow(el, editor, now?.version ?? 0, () => language);
  apply(language);
  // Rendered disabled: a press while the editor still loaded found no listener and did nothing.
  // apply() set Deploy; nothing awaits between here and the listeners below.
  reset.disabled = following;

  deploy.addEventListener("click", async () => {
    editor.clearErrors();
    deploy.disabled = true;
    say("Deploying…");
    const result = await call("PUT", "/api/function/code", { language, code: editor.code() }).finally(() => (deploy.disabled = lockFor(language)));
    if (result.ok) {
      const { version } = result.json as DeployedCode;
      say(`Deployed as version ${version} ✓ — the trigger's next batch runs it.`, "ok");
      return;
    }
    const error = (result.json as ErrorAnswer | null)?.error;
    const where = error?.line ? `line ${error.line}${error.column ? `, column ${error.column}` : ""}: ` : "";
    say(`Not deployed (${error?.code ?? `HTTP ${result.status}`}): ${where}${error?.message ?? result.text}`, "error");
    if (error?.line) editor.markError(error.line, error.column ?? null, error.message ?? "error");
  });

  reset.addEventListener("click", async () => {
    keepDraft(keyOf(language), undefined);
    editor.setCode(source(language)?.code ?? "", language);
    const result = await call("DELETE", "/api/function/code");
    say(result.ok ? "Back to the lesson's code; the function runs the playground's own handler again ✓" : `Reset refused: ${(result.json as ErrorAnswer | null)?.error?.message ?? `HTTP ${result.status}`}`, result.ok ? "ok" : "error");
  });
}

/**
 * The cell's function log: what the deployed version's invocations did, from the events — cold
 * starts, each log line, the result, and an error marked at its line in the editor when it came
 * from the code shown (same language). Invocations of the lesson's handler (version 0)
 * are left to the timeline.
 */
function follow(el: HTMLElement, editor: CodeEditor, initialVersion: number, language: () => FunctionLanguage): void {
  const log = el.querySelector<HTMLElement>(".handler-log");
  if (!log) return;
  let version = initialVersion;
  let deployedLanguage: FunctionLanguage | null = null;
  const ours = new Set<string>();
  const lines: string[] = [];
  const add = (line: string) => {
    lines.push(line);
    lines.splice(0, Math.max(0, lines.length - LOG_LINES));
    log.textContent = lines.join("\n");
    log.scrollTop = log.scrollHeight;
  };
  const time = (at: number) => new Date(at).toLocaleTimeString();
  const listener = (events: FlowEvent[]) => {
    if (!el.isConnected) return void listeners.delete(listener);
    for (const e of events) {
      if (e.type === "function.deployed") {
        version = e.version;
        deployedLanguage = e.version === 0 ? null : e.language;
        add(`${time(e.at)}  ${describe(e)}`);
      } else if (e.type === "lambda.invoked" && version > 0) {
        ours.add(e.invocationId);
        add(`${time(e.at)}  invoked with ${e.messageIds.length} record(s)${e.taskIds.some((t) => t !== null) ? ` (task ${e.taskIds.filter((t) => t !== null).join(", ")})` : ""}`);
      } else if (e.type === "lambda.cold-start" || e.type === "lambda.environment-ended") {
        add(`${time(e.at)}  ${describe(e)}`);
      } else if (e.type === "lambda.log") {
        add(`${time(e.at)}  ${e.stream === "stderr" ? "stderr: " : ""}${e.message}`);
      } else if ((e.type === "lambda.completed" || e.type === "lambda.failed") && ours.has(e.invocationId)) {
        ours.delete(e.invocationId);
        add(`${time(e.at)}  ${describe(e)}`);
        const detail = e.type === "lambda.failed" ? e.errorDetail : undefined;
        if (detail?.line && deployedLanguage === language()) editor.markError(detail.line, detail.column ?? null, `${detail.errorType}: ${detail.errorMessage}`);
      }
    }
  };
  listeners.add(listener);
}
