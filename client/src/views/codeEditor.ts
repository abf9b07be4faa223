// The code cell's editor: CodeMirror 6, loaded only when a lesson part shows a handler cell (it is
// most of the cell's weight, and most parts have none). TypeScript/JavaScript and Python modes;
// a compile or runtime error is drawn at its line as a diagnostic.
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { indentWithTab } from "@codemirror/commands";
import type { FunctionLanguage } from "../../../common/lessons.js";

export interface CodeEditor {
  code(): string;
  /** Replace the whole text (Reset, a language switch). */
  setCode(code: string, language: FunctionLanguage): void;
  setReadOnly(readOnly: boolean): void;
  /** Mark an error at a line (1-based) and optional column (1-based); replaces earlier marks. */
  markError(line: number, column: number | null, message: string): void;
  clearErrors(): void;
  focus(): void;
}

const modeOf = (language: FunctionLanguage) => (language === "python" ? python() : javascript({ typescript: true }));

/** An editor in `host`, starting with `code`; `onChange` after every edit. */
export function mountEditor(host: HTMLElement, code: string, language: FunctionLanguage, onChange: (code: string) => void): CodeEditor {
  const mode = new Compartment();
  const readOnly = new Compartment();
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: code,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        mode.of(modeOf(language)),
        readOnly.of(EditorState.readOnly.of(false)),
        lintGutter(),
        // The lesson column is narrow (about 35 columns at 1024×768): unwrapped, lesson 21's typo
        // `event.records` ran past the right edge of its marked line, out of sight.
        EditorView.lineWrapping,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "Handler code" }),
      ],
    }),
  });
  const clearErrors = () => view.dispatch(setDiagnostics(view.state, []));
  return {
    code: () => view.state.doc.toString(),
    setCode(next, nextLanguage) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next }, effects: mode.reconfigure(modeOf(nextLanguage)) });
      clearErrors();
    },
    setReadOnly: (on) => view.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(on)) }),
    markError(line, column, message) {
      const doc = view.state.doc;
      const at = doc.line(Math.min(Math.max(1, line), doc.lines));
      const from = Math.min(at.to, at.from + Math.max(0, (column ?? 1) - 1));
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(from, at.to), severity: "error", message }]));
      view.dispatch({ effects: EditorView.scrollIntoView(from, { y: "center" }) });
    },
    clearErrors,
    focus: () => view.focus(),
  };
}
