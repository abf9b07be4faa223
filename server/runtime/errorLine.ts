/**
 * Where in the learner's file an error was raised, read from the stack the runtime reported:
 * the first frame naming `sourceFile` (Node: `at handler (file:///…/handler.ts:12:9)`, mapped by
 * the source map; Python: `File "/…/lambda_function.py", line 12, in lambda_handler`).
 * @returns 1-based line (and column for Node), or null when no frame names the file
 */
export function errorPlace(stackTrace: readonly string[], sourceFile: string): { line: number; column?: number } | null {
  const escaped = sourceFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const node = new RegExp(`[/\\\\(]${escaped}:(\\d+):(\\d+)`);
  const python = new RegExp(`File "(?:[^"]*[/\\\\])?${escaped}", line (\\d+)`);
  for (const frame of stackTrace) {
    const n = node.exec(frame);
    if (n) return { line: Number(n[1]), column: Number(n[2]) };
    const p = python.exec(frame);
    if (p) return { line: Number(p[1]) };
  }
  return null;
}
