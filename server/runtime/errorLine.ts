/**
 * Where in the learner's file an error was raised, read from the stack the runtime reported: the
 * innermost frame naming `sourceFile`. Node lists the innermost frame first (`at handler
 * (file:///…/handler.ts:12:9)`, mapped by the source map); Python's traceback lists it last
 * (`File "/…/lambda_function.py", line 12, in helper`), after the call that led there.
 * @returns 1-based line (and column for Node), or null when no frame names the file
 */
export function errorPlace(stackTrace: readonly string[], sourceFile: string): { line: number; column?: number } | null {
  const escaped = sourceFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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
