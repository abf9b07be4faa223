// The code cell's editor: CodeMirror 6, loaded only when a lesson part shows a handler cell (it is
// most of the cell's weight, and most parts have none). TypeScript/JavaScript and Python modes;
// a compile or runtime error is drawn at its line as a diagnostic.
import { indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import { indentUnit } from "@codemirror/language";
import { diagnosticCount, lintGutter, setDiagnostics, setDiagnosticsEffect } from "@codemirror/lint";
import { Compartment, EditorState, Prec, type Extension } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { wrappedLineIndent } from "codemirror-wrapped-line-indent";
import type { FunctionLanguage } from "../../../common/lessons.js";

export interface CodeEditor {
  code(): string;
  /** Replace the whole text of the language shown (Reset); undoable, like any edit. */
  setCode(code: string): void;
  /**
   * Show `language`'s text: the one the learner left there, with its own undo history, or `code`
   * the first time. Ctrl+Z never brings one language's text back under the other's label.
   */
  showLanguage(language: FunctionLanguage, code: string): void;
  setReadOnly(readOnly: boolean): void;
  /**
   * Mark an error at a line (1-based) and optional column (1-based), underlined up to `endColumn`
   * (exclusive) or the line's end; replaces earlier marks. The next edit clears it.
   */
  markError(line: number, column: number | null, message: string, endColumn?: number | null): void;
  clearErrors(): void;
  focus(): void;
}

export interface EditorOptions {
  /** After every edit, with the whole text. */
  onChange(code: string): void;
  /** The longest text accepted, in UTF-16 code units (the deploy limit); a longer edit is refused. */
  maxLength: number;
  /** Told when an edit (a paste, mostly) was refused for `maxLength`, with the length it would have had. */
  onTooLong(length: number): void;
}

/**
 * Each language's mode and indentation: PEP 8's four spaces for Python (two made a pasted or typed
 * block an IndentationError against the lesson's four), the lesson files' two for TypeScript.
 */
const modeOf = (language: FunctionLanguage): Extension =>
  language === "python" ? [python(), indentUnit.of("    "), Prec.high(keymap.of([{ key: "Enter", run: dedentAfterExit }]))] : [javascript({ typescript: true }), indentUnit.of("  ")];

/** Python statements after which the block ends: the next line belongs to the block around it. */
const BLOCK_EXIT = /^\s*(return|pass|raise|break|continue)\b/;

/**
 * Enter at the end of a `return` / `pass` / `raise` / `break` / `continue` line starts the next line
 * one indent (4 spaces) out, as Python editors do; CodeMirror's Python mode kept it in the block.
 */
function dedentAfterExit(view: EditorView): boolean {
  const { main } = view.state.selection;
  const line = view.state.doc.lineAt(main.head);
  if (!main.empty || main.head !== line.to || !BLOCK_EXIT.test(line.text)) return false;
  const indent = /^\s*/.exec(line.text)?.[0] ?? "";
  const outer = indent.slice(0, Math.max(0, indent.length - 4));
  view.dispatch({ changes: { from: main.head, insert: `\n${outer}` }, selection: { anchor: main.head + 1 + outer.length }, scrollIntoView: true, userEvent: "input" });
  return true;
}

/** An editor in `host`, starting with `code` in `language`. */
export function mountEditor(host: HTMLElement, code: string, language: FunctionLanguage, options: EditorOptions): CodeEditor {
  const readOnly = new Compartment();
  let locked = false;
  const stateFor = (doc: string, lang: FunctionLanguage) =>
    EditorState.create({
      doc,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        modeOf(lang),
        readOnly.of(EditorState.readOnly.of(locked)),
        lintGutter(),
        // The lesson column is narrow: unwrapped, lesson 21's typo `event.records` ran past the
        // right edge of its marked line, out of sight. A wrapped line continues under its own
        // indentation, so a Python block still reads as a block.
        EditorView.lineWrapping,
        wrappedLineIndent,
        EditorState.transactionFilter.of((tr) => {
          if (!tr.docChanged || tr.newDoc.length <= options.maxLength) return tr;
          options.onTooLong(tr.newDoc.length);
          return [];
        }),
        // A mark is about the code that raised it, and an edit makes other code: kept and mapped
        // through the edit, the gutter dot moved onto a line inserted above and the underline
        // stayed on the line once it was fixed.
        EditorState.transactionExtender.of((tr) => (tr.docChanged && diagnosticCount(tr.startState) > 0 ? { effects: setDiagnosticsEffect.of([]) } : null)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "Handler code" }),
      ],
    });
  const states = new Map<FunctionLanguage, EditorState>();
  let shown = language;
  const view = new EditorView({ parent: host, state: stateFor(code, language) });
  const clearErrors = () => view.dispatch(setDiagnostics(view.state, []));
  return {
    code: () => view.state.doc.toString(),
    setCode(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
      clearErrors();
    },
    showLanguage(next, nextCode) {
      if (next === shown) return;
      states.set(shown, view.state);
      const kept = states.get(next);
      view.setState(kept ?? stateFor(nextCode, next));
      // A kept state remembers the lock it had when it was left. The scroll position is the view's,
      // not the state's: the other language's text opens at its top, or where its cursor was.
      const at = kept ? kept.selection.main.head : 0;
      view.dispatch({ effects: [readOnly.reconfigure(EditorState.readOnly.of(locked)), EditorView.scrollIntoView(at, { y: kept ? "center" : "start" })] });
      shown = next;
      clearErrors();
    },
    setReadOnly(on) {
      locked = on;
      view.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(on)) });
    },
    markError(line, column, message, endColumn) {
      const doc = view.state.doc;
      const at = doc.line(Math.min(Math.max(1, line), doc.lines));
      let from = Math.min(at.to, at.from + Math.max(0, (column ?? 1) - 1));
      let to = endColumn ? Math.min(at.to, at.from + endColumn - 1) : at.to;
      // An empty range (Python's SyntaxError often gives the same start and end) drew a caret of
      // no width, easy to miss: the rest of the line, or the whole line when the error is at its end.
      if (to <= from) {
        to = at.to;
        if (to <= from) from = at.from;
      }
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message }]));
      view.dispatch({ effects: EditorView.scrollIntoView(from, { y: "center" }) });
    },
    clearErrors,
    focus: () => view.focus(),
  };
}
