// The deployed function's log, kept for the page's life rather than by a cell: leaving a lesson part
// and coming back, or reading on in a later part (a function-log block), shows the same lines and
// the same error as the cell that deployed it. Built from the event contract only, so a reload
// rebuilds it from the snapshot's recent events.
import type { FlowEvent, FunctionLanguage } from "../../../common/events.js";
import { describe } from "../describe.js";

/** Lines kept: the latest invocations', enough to read one batch's story. */
const LOG_LINES = 40;

/** The latest invocation error the deployed function reported, at a line of its code. */
export interface FunctionError {
  version: number;
  language: FunctionLanguage;
  line: number;
  column: number | null;
  /** Just past the expression the error names, when the server found it on the line. */
  endColumn: number | null;
  message: string;
}

const time = (at: number) => new Date(at).toLocaleTimeString();

/** What a function log view is told after each change. */
type View = () => void;

export class FunctionLog {
  /** The log's lines since the version was deployed (or the world reset), oldest first (at most LOG_LINES). */
  readonly lines: string[] = [];
  /** The version the trigger invokes now (0: the playground's own handler), as last deployed. */
  version = 0;
  language: FunctionLanguage | null = null;
  /** The code of `version`, when this page knows it (it deployed it, or asked GET /api/function/code). */
  code: string | null = null;
  /** The deployed version's latest error at a line, until the next deploy. */
  error: FunctionError | null = null;
  private seq = 0;
  private sawDeploy = false;
  private readonly ours = new Set<string>();
  /** Environments started for the deployed version (its cold starts): their ends and output are this log's. */
  private readonly ourEnvironments = new Set<string>();
  private readonly views = new Set<View>();

  /**
   * What GET /api/function/code answered (version, language, code), taken unless a deploy event
   * already told this page something newer.
   */
  know(version: number, language: FunctionLanguage, code: string | null): void {
    if (this.sawDeploy && version !== this.version) return;
    this.version = version;
    this.language = version === 0 ? null : language;
    this.code = version === 0 ? null : code;
  }

  /**
   * This page deployed `code` as `version`: the errors that follow are at lines of that code. The
   * answer may come before or after the `function.deployed` event; either way the code is kept.
   */
  deployed(version: number, language: FunctionLanguage, code: string): void {
    if (version < this.version) return;
    this.version = version;
    this.language = language;
    this.code = code;
  }

  /** Fold events (any order of batches; each event once, by its sequence number) and tell the views. */
  fold(events: FlowEvent[]): void {
    let changed = false;
    for (const e of events) {
      if (e.seq <= this.seq) continue;
      this.seq = e.seq;
      changed = this.apply(e) || changed;
    }
    if (changed) for (const view of this.views) view();
  }

  /** Call `view` after every change while `el` is on the page; the first call is now. */
  watch(el: { readonly isConnected: boolean }, view: View): void {
    const listener = () => {
      if (!el.isConnected) return void this.views.delete(listener);
      view();
    };
    this.views.add(listener);
    view();
  }

  private add(at: number, line: string): true {
    this.lines.push(`${time(at)}  ${line}`);
    this.lines.splice(0, Math.max(0, this.lines.length - LOG_LINES));
    return true;
  }

  private apply(e: FlowEvent): boolean {
    switch (e.type) {
      case "function.deployed":
        this.sawDeploy = true;
        if (e.version !== this.version) this.code = null;
        this.version = e.version;
        this.language = e.version === 0 ? null : e.language;
        this.error = null;
        // The log is the deployed version's: an older version's errors named lines of other code.
        this.lines.length = 0;
        return this.add(e.at, describe(e));
      case "world.reset":
        this.lines.length = 0;
        this.error = null;
        return true;
      case "lambda.invoked":
        // The playground's own handler (version 0) is the timeline's to tell.
        if (this.version === 0) return false;
        this.ours.add(e.invocationId);
        return this.add(e.at, `invoked with ${e.messageIds.length} record(s)${e.taskIds.some((t) => t !== null) ? ` (task ${e.taskIds.filter((t) => t !== null).join(", ")})` : ""}`);
      // Only the deployed version's environments: lesson 21 listed the cold starts of the
      // playground's own handler (version 0) from every lesson before it.
      case "lambda.cold-start":
        if (this.version === 0 || e.version !== this.version) return false;
        this.ourEnvironments.add(e.environmentId);
        return this.add(e.at, describe(e));
      case "lambda.environment-ended":
        if (!this.ourEnvironments.delete(e.environmentId)) return false;
        return this.add(e.at, describe(e));
      case "lambda.log":
        if (!this.ourEnvironments.has(e.environmentId) && !(e.invocationId !== null && this.ours.has(e.invocationId))) return false;
        return this.add(e.at, `${e.stream === "stderr" ? "stderr: " : ""}${e.message}`);
      case "lambda.completed":
      case "lambda.failed": {
        if (!this.ours.delete(e.invocationId)) return false;
        const detail = e.type === "lambda.failed" ? e.errorDetail : undefined;
        if (detail?.line && this.language) {
          this.error = { version: this.version, language: this.language, line: detail.line, column: detail.column ?? null, endColumn: detail.endColumn ?? null, message: `${detail.errorType}: ${detail.errorMessage}` };
        }
        return this.add(e.at, describe(e));
      }
      default:
        return false;
    }
  }
}

/** The page's one function log (client/src/main.ts feeds it every event). */
export const functionLog = new FunctionLog();

/** The log's lines as a view shows them. */
export const logText = (log: FunctionLog) => (log.lines.length > 0 ? log.lines.join("\n") : "Nothing yet: deploy, then send a task.");
