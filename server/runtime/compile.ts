import { execFile } from "node:child_process";

/** The code does not compile: where (1-based line and column in the learner's code) and why. */
export class CompileError extends Error {
  override readonly name = "CompileError";
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

/**
 * TypeScript or JavaScript to the ES module the Node runtime loads, with an inline source map so
 * that stacks name the learner's own lines (`sourceFile`). Types are stripped, not checked, as
 * esbuild does; a syntax error is the learner's to fix.
 * @throws CompileError with esbuild's first error and its place
 */
export async function compileNodeFunction(code: string, sourceFile: string): Promise<string> {
  // Loaded at the first deploy: a start-up that never deploys does not pay for esbuild.
  const { transform } = await import("esbuild");
  try {
    const result = await transform(code, { loader: "ts", format: "esm", target: "node20", sourcemap: "inline", sourcefile: sourceFile });
    return result.code;
  } catch (error) {
    const first = (error as { errors?: { text: string; location: { line: number; column: number } | null }[] }).errors?.[0];
    if (!first) throw error;
    // esbuild counts columns from 0.
    throw new CompileError(first.text, first.location?.line ?? null, first.location ? first.location.column + 1 : null);
  }
}

const PY_CHECK = `
import json, sys
source = sys.stdin.read()
try:
    compile(source, sys.argv[1], "exec")
    print("{}")
except SyntaxError as error:
    print(json.dumps({"message": "%s: %s" % (type(error).__name__, error.msg), "line": error.lineno, "column": error.offset}))
`;

/**
 * Python's own compiler checks the code (nothing of it runs).
 * @throws CompileError with SyntaxError's (or IndentationError's) message, line and column
 */
export async function checkPythonFunction(python: string, code: string, sourceFile: string): Promise<void> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = execFile(python, ["-B", "-c", PY_CHECK, sourceFile], { timeout: 10_000, maxBuffer: 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(code);
  });
  const found = JSON.parse(output) as { message?: string; line?: number | null; column?: number | null };
  if (found.message) throw new CompileError(found.message, found.line ?? null, found.column ?? null);
}
