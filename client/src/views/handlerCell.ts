// A handler cell: the lesson's function code in an editor; Deploy makes it the function the
// trigger invokes (a new version), Reset goes back to the lesson's code and the playground's own
// handler. The editor library loads the first time a part shows a cell.
import { FUNCTION_CODE_LIMIT } from "../../../common/events.js";
import type { FunctionLanguage, HandlerBlock } from "../../../common/lessons.js";
import { call, esc } from "../api.js";
import type { CodeEditor } from "./codeEditor.js";
import { functionLog, logText, type FunctionError } from "./functionLog.js";

/** GET /api/function/code: what runs now, and whether this machine can run Python. */
export interface DeployedCode {
  language: FunctionLanguage;
  code: string | null;
  version: number;
  pythonAvailable: boolean;
  /** The deploy found this code already running: no new version. */
  unchanged?: true;
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; line?: number; column?: number };
}

const DRAFTS_KEY = "queue-flow-playground.handler-drafts";
const LANGUAGE_KEY = "queue-flow-playground.handler-language";
const LANGUAGE_NAME: Record<FunctionLanguage, string> = { nodejs: "TypeScript / JavaScript (Node.js)", python: "Python 3" };

const drafts = (): Record<string, string> => JSON.parse(localStorage.getItem(DRAFTS_KEY) ?? "{}") as Record<string, string>;
const keepDraft = (key: string, code: string | undefined) => {
  const all = drafts();
  if (code === undefined) delete all[key];
  else all[key] = code;
  try {
    localStorage.setItem(DRAFTS_KEY, JSON.stringify(all));
  } catch {
    // The browser's storage is full (a few MiB): the draft lives on in the editor, not past a reload.
  }
};

/** A draft is written to the browser's storage once typing pauses this long (ms), not at every key. */
const DRAFT_PAUSE_MS = 300;

/** What a deploy refused at a line (a compile error), per cell and language, kept in the browser so the mark is still there on coming back or after a reload. */
interface Refusal {
  code: string;
  text: string;
  line: number;
  column: number | null;
  message: string;
}
const REFUSALS_KEY = "queue-flow-playground.handler-refusals";
const refusals = (): Record<string, Refusal> => JSON.parse(localStorage.getItem(REFUSALS_KEY) ?? "{}") as Record<string, Refusal>;
const keepRefusal = (key: string, refusal: Refusal | undefined) => {
  const all = refusals();
  if (refusal) all[key] = refusal;
  else delete all[key];
  try {
    localStorage.setItem(REFUSALS_KEY, JSON.stringify(all));
  } catch {
    // Storage full: the mark stays on screen, not past a reload.
  }
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
    ${LOG_HTML}
  </div>`;
}

const LOG_HTML = `<div class="handler-log-head">Function log <span class="handler-log-hint">(cold starts, <code>console.log</code> / <code>print</code>, results and errors of your deployed version)</span></div>
    <pre class="handler-log" aria-live="polite">Nothing yet: deploy, then send a task.</pre>`;

/** A function-log block's HTML: the same log as the handler cell's, for a later part. */
export const renderFunctionLog = (i: number) => `<div class="block function-log" data-part="${i}">${LOG_HTML}</div>`;

/**
 * Makes a rendered cell live: loads the editor, keeps the learner's draft per lesson part and
 * language in the browser (leaving a part loses nothing), and wires Deploy and Reset to
 * PUT/DELETE /api/function/code, calling `answered` once either is answered (what runs may have
 * changed: the part's checks are to be judged again). A follower's page (a classroom) shows the
 * code read-only.
 */
export async function mountHandlerCell(el: HTMLElement, block: HandlerBlock, draftKey: string, answered: () => void = () => {}): Promise<void> {
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
  if (now) functionLog.know(now.version, now.language, now.code);
  const source = (language: FunctionLanguage) => block.sources.find((s) => s.language === language) ?? block.sources[0];
  const keyOf = (language: FunctionLanguage) => `${draftKey}/${language}`;
  // The language the learner picked last, in any cell, when this cell offers it.
  const preferred = localStorage.getItem(LANGUAGE_KEY) as FunctionLanguage | null;
  if (preferred && block.sources.some((s) => s.language === preferred)) select.value = preferred;
  let language = (select.value as FunctionLanguage) || "nodejs";
  const codeFor = (lang: FunctionLanguage) => drafts()[keyOf(lang)] ?? source(lang)?.code ?? "";
  // Drafts are written once typing pauses, and at once when the part goes (its cell leaves the page).
  let pending: { key: string; code: string } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    if (pending) keepDraft(pending.key, pending.code);
    pending = null;
  };
  host.textContent = "";
  let deploying = false;
  let tooLongShown = false;
  const editor: CodeEditor = mountEditor(host, codeFor(language), language, {
    maxLength: FUNCTION_CODE_LIMIT,
    onChange(code) {
      pending = { key: keyOf(language), code };
      clearTimeout(timer);
      timer = setTimeout(flush, DRAFT_PAUSE_MS);
      // An edit that was let in: the refused paste's message is history.
      if (tooLongShown) status();
      // The edit cleared the mark (codeEditor.ts); an undo back to the code that raised it shows
      // it again. After this update: an editor takes no new transaction while it applies one.
      queueMicrotask(markKnownError);
    },
    onTooLong(length) {
      say(`Not pasted: the code would be ${Math.ceil(length / 1024)} Ki characters, and a function's code may be up to ${FUNCTION_CODE_LIMIT / 1024} Ki here (a Lambda .zip is capped too, at 50 MB).`, "error");
      tooLongShown = true;
    },
  });
  // Leaving the part (the address's #part changes) or the page writes a draft still waiting.
  const leave = () => {
    flush();
    if (el.isConnected) return;
    window.removeEventListener("hashchange", leave);
    window.removeEventListener("pagehide", leave);
  };
  window.addEventListener("hashchange", leave);
  window.addEventListener("pagehide", leave);
  const pythonMissing = now?.pythonAvailable === false;
  const lockFor = (lang: FunctionLanguage) => following || (lang === "python" && pythonMissing);
  /** The cell's standing line under the editor: why it is read-only, or what the function runs now (kept while a deploy is under way). */
  function status(): void {
    tooLongShown = false;
    if (deploying) return;
    if (following) say("Read-only: the presenter's page deploys code, a follower's page shows it.");
    else if (language === "python" && pythonMissing) say("Python is not installed on this machine (python3 was not found), so this cell is read-only. Install python3 and restart the playground to run it.", "error");
    else say(functionLog.version > 0 ? `The function runs version ${functionLog.version} now (${functionLog.language ? LANGUAGE_NAME[functionLog.language] : "?"}).` : "The function runs the playground's own handler now.");
  }
  /** What a refused deploy left running, said when the refusal is shown (kept across a reload, the refusal may be older than what runs now). */
  const withStillRuns = (refusal: string) => {
    const running = functionLog.version > 0 ? `version ${functionLog.version}${functionLog.language ? ` (${LANGUAGE_NAME[functionLog.language]})` : ""}` : "the playground's own handler";
    return `${refusal}${/[.!?]$/.test(refusal) ? "" : "."} The function still runs ${running}.`;
  };
  /** The error this cell's code has, when it is the code that raised it: a refused deploy, or the deployed version's latest failure. */
  const markKnownError = () => {
    const refused = refusals()[keyOf(language)];
    if (refused && refused.code === editor.code()) {
      if (!deploying) say(withStillRuns(refused.text), "error");
      return editor.markError(refused.line, refused.column, refused.message);
    }
    const failed = functionLog.error;
    if (failed && failed.version === functionLog.version && failed.language === language && functionLog.code === editor.code()) {
      editor.markError(failed.line, failed.column, failed.message, failed.endColumn);
    }
  };
  const apply = (lang: FunctionLanguage) => {
    flush();
    language = lang;
    if (fileLabel) fileLabel.textContent = source(lang)?.file ?? "";
    editor.showLanguage(lang, codeFor(lang));
    editor.setReadOnly(lockFor(lang));
    deploy.disabled = deploying || lockFor(lang);
    status();
    markKnownError();
  };
  select.addEventListener("change", () => {
    localStorage.setItem(LANGUAGE_KEY, select.value);
    apply(select.value as FunctionLanguage);
  });
  showLog(el);
  let errorShown: FunctionError | null = functionLog.error;
  functionLog.watch(el, () => {
    if (functionLog.error === errorShown) return;
    errorShown = functionLog.error;
    markKnownError();
  });
  apply(language);
  // Rendered disabled: a press while the editor still loaded found no listener and did nothing.
  // apply() set Deploy; nothing awaits between here and the listeners below.
  reset.disabled = following;

  deploy.addEventListener("click", async () => {
    flush();
    editor.clearErrors();
    // What is deployed is what the cell shows at the press, whatever the learner switches to while it goes.
    const sent = { language, code: editor.code(), key: keyOf(language) };
    keepRefusal(sent.key, undefined);
    deploying = true;
    // Reset too: pressed while a deploy was on its way, it showed the lesson's code over the learner's
    // version, which the deploy's answer then made the function.
    deploy.disabled = reset.disabled = true;
    say(`Deploying (${LANGUAGE_NAME[sent.language]})…`);
    const result = await call("PUT", "/api/function/code", { language: sent.language, code: sent.code }).finally(() => {
      deploying = false;
      deploy.disabled = lockFor(language);
      reset.disabled = following;
      answered();
    });
    if (result.ok) {
      const { version, unchanged } = result.json as DeployedCode;
      functionLog.deployed(version, sent.language, sent.code);
      if (unchanged) say(`Version ${version} already runs this code (${LANGUAGE_NAME[sent.language]}) ✓ — nothing changed, so no new version, as Lambda's PublishVersion does.`, "ok");
      else say(`Deployed as version ${version} (${LANGUAGE_NAME[sent.language]}) ✓ — the trigger's next batch runs it.`, "ok");
      return;
    }
    const error = (result.json as ErrorAnswer | null)?.error;
    const where = error?.line ? `line ${error.line}${error.column ? `, column ${error.column}` : ""}: ` : "";
    const text = `Not deployed (${error?.code ?? `HTTP ${result.status}`}, ${LANGUAGE_NAME[sent.language]}): ${where}${error?.message ?? result.text}`;
    say(withStillRuns(text), "error");
    if (error?.line) keepRefusal(sent.key, { code: sent.code, text, line: error.line, column: error.column ?? null, message: error.message ?? "error" });
    markKnownError();
  });

  reset.addEventListener("click", async () => {
    // While the reset is on its way a deploy would race it the same way.
    deploy.disabled = reset.disabled = true;
    clearTimeout(timer);
    pending = null;
    keepDraft(keyOf(language), undefined);
    keepRefusal(keyOf(language), undefined);
    editor.setCode(source(language)?.code ?? "");
    // setCode's own change scheduled a draft of the lesson's code: nothing of the learner's to keep.
    clearTimeout(timer);
    pending = null;
    const result = await call("DELETE", "/api/function/code").finally(() => {
      deploy.disabled = lockFor(language);
      reset.disabled = following;
      answered();
    });
    say(result.ok ? "Back to the lesson's code; the function runs the playground's own handler again ✓" : `Reset refused: ${(result.json as ErrorAnswer | null)?.error?.message ?? `HTTP ${result.status}`}`, result.ok ? "ok" : "error");
  });
}

/** The page's function log in `el`'s `.handler-log`, kept current while `el` is on the page. */
export function showLog(el: HTMLElement): void {
  const log = el.querySelector<HTMLElement>(".handler-log");
  if (!log) return;
  functionLog.watch(el, () => {
    log.textContent = logText(functionLog);
    log.scrollTop = log.scrollHeight;
  });
}
