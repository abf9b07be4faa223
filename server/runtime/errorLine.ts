const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Where in the learner's file an error was raised, read from the stack the runtime reported: the
 * innermost frame naming `sourceFile`. Node lists the innermost frame first (`at handler
 * (file:///…/handler.ts:12:9)`, mapped by the source map); Python's traceback lists it last
 * (`File "/…/lambda_function.py", line 12, in helper`), after the call that led there.
 * @returns 1-based line (and column for Node), or null when no frame names the file
 */
export function errorPlace(stackTrace: readonly string[], sourceFile: string): { line: number; column?: number } | null {
  const escaped = escapeRegExp(sourceFile);
  const node = new RegExp(`[/\\\\(]${escaped}:(\\d+):(\\d+)`);
  const python = new RegExp(`File "(?:[^"]*[/\\\\])?${escaped}", line (\\d+)`);
  let innermostPython: { line: number } | null = null;
  for (const frame of stackTrace) {
    const n = node.exec(frame);
    if (n) return { line: Number(n[1]), column: Number(n[2]) };
    const p = python.exec(frame);
    if (p) innermostPython = { line: Number(p[1]) };
  }
  return innermostPython;
}

/** V8's messages that begin with the expression at fault, as the learner wrote it (a learner's own `throw` of another type is left alone). */
const NAMED_EXPRESSION = /^(.+?) is not (?:defined|iterable|a function|a constructor)\b/;
const NAMING_TYPES = new Set(["ReferenceError", "TypeError"]);

/**
 * The place of a Node error moved onto the expression its message names: V8 reports a
 * ReferenceError in `for (const record of evnt.Records)` at `Records`, past the name that is not
 * defined, and the editor underlined the wrong words. The occurrence of the expression starting at
 * or before the reported column is taken (the last such one), else the first on the line; with
 * `endColumn` (exclusive, 1-based) just past it. A place without a column (Python's), or an
 * expression not found on its line, is kept as it was.
 */
export function onNamedExpression(place: { line: number; column?: number }, code: string, error: { errorType: string; errorMessage: string }): { line: number; column?: number; endColumn?: number } {
  const expression = NAMING_TYPES.has(error.errorType) ? NAMED_EXPRESSION.exec(error.errorMessage)?.[1] : undefined;
  const text = code.split("\n")[place.line - 1];
  if (place.column === undefined || !expression || text === undefined) return place;
  const escaped = escapeRegExp(expression);
  // A whole expression: not the tail of a longer name (`myevnt`, `x.evnt`) nor the head of one (`evnts`).
  const starts = [...text.matchAll(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`, "g"))].map((m) => m.index + 1);
  const start = starts.filter((s) => s <= (place.column ?? 0)).at(-1) ?? starts[0];
  return start === undefined ? place : { line: place.line, column: start, endColumn: start + expression.length };
}
