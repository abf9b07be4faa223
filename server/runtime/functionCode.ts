import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FlowEventBody, FunctionLanguage } from "../../common/events.js";
import { CompileError, checkPythonFunction, compileNodeFunction } from "./compile.js";
import type { EnvironmentPool } from "./pool.js";
import type { PythonInfo } from "./python.js";
import { LESSON_ENTRY, RUNTIME_DIR, type Deployment } from "./runtimes.js";

/** What `GET /api/function/code` answers. */
export interface FunctionCodeView {
  language: FunctionLanguage;
  code: string;
  /** 0: the lesson's handler (in the playground's process, or in environments with LESSON_FUNCTION=runtime); 1, 2, …: deployed versions. */
  version: number;
  pythonAvailable: boolean;
  /** The lesson's handler in each language: what an editor's Reset starts from. */
  defaults: Record<FunctionLanguage, string>;
  /** A deploy of the code that already runs: no new version was made (a double press of Deploy made two). */
  unchanged?: true;
}

/** Deploying is refused: Python without python3, or code cells off. */
export class DeployRefused extends Error {
  override readonly name = "DeployRefused";
  constructor(
    readonly code: "PythonUnavailable",
    message: string,
  ) {
    super(message);
  }
}

const FILES: Record<FunctionLanguage, { source: string; handler: string }> = {
  nodejs: { source: "handler.ts", handler: "handler.handler" },
  python: { source: "lambda_function.py", handler: "lambda_function.lambda_handler" },
};

export interface FunctionCodeOptions {
  pool: EnvironmentPool;
  /** Looks for python3 (once: it takes a process start); null when there is none. */
  python: () => Promise<PythonInfo | null>;
  publish: (event: FlowEventBody) => void;
  /** Version 0 runs in environments too (LESSON_FUNCTION=runtime); otherwise the trigger runs it in process and the pool has nothing to run without a deployed version. */
  lessonInRuntime?: boolean;
}

/**
 * The function's code: the lesson's handler (version 0; LESSON_FUNCTION says where it runs) until a
 * learner deploys their own, which is checked (compiled), written to its own task root and run
 * by the environment pool from the next invocation on; every deploy is a new version.
 */
export class FunctionCode {
  private current: Deployment | null = null;
  private lastVersion = 0;
  /** Deploys one after another, so versions are numbered in the order they are made. */
  private queue: Promise<unknown> = Promise.resolve();
  private helper: Promise<string> | undefined;
  /** Version 0 in the pool: lambda/lessonFunction.ts bundled into its task root; null while it runs in process. */
  private readonly lesson: Promise<Deployment> | null;

  private constructor(
    private readonly options: FunctionCodeOptions,
    private readonly root: string,
    private readonly defaults: Record<FunctionLanguage, string>,
  ) {
    this.lesson = options.lessonInRuntime === true ? bundleLessonFunction(join(root, "v0"), defaults.nodejs) : null;
    this.lesson?.catch(() => {});
  }

  /**
   * Sets up the function's code. When the lesson's function (version 0) runs in environments, it
   * is bundled in the background and invocations wait for it, so start-up does not.
   */
  static async create(options: FunctionCodeOptions): Promise<FunctionCode> {
    const root = await mkdtemp(join(tmpdir(), "qfp-function-"));
    const [nodejs, python] = await Promise.all([readFile(join(RUNTIME_DIR, FILES.nodejs.source), "utf8"), readFile(join(RUNTIME_DIR, FILES.python.source), "utf8")]);
    const code = new FunctionCode(options, root, { nodejs, python });
    if (code.lesson) options.pool.use(code.lesson);
    return code;
  }

  /** The learner's deployed version, or null while the lesson's function (version 0) runs. */
  get deployment(): Deployment | null {
    return this.current;
  }

  /** The code now, its version, and whether Python functions can run here. */
  async view(): Promise<FunctionCodeView> {
    const python = await this.options.python();
    const current = this.current;
    return {
      language: current?.language ?? "nodejs",
      code: current?.code ?? this.defaults.nodejs,
      version: current?.version ?? 0,
      pythonAvailable: python !== null,
      defaults: this.defaults,
    };
  }

  /**
   * Checks and deploys new code as the next version; the running version is untouched when it
   * does not compile. The code that already runs (same language, same text) makes no new version,
   * as Lambda's PublishVersion does not publish one when nothing changed since the last
   * (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html): answered `unchanged`.
   * @throws CompileError (with line and column), DeployRefused (Python without python3)
   */
  deploy(language: FunctionLanguage, code: string): Promise<FunctionCodeView> {
    return this.serial(async () => {
      if (this.current?.language === language && this.current.code === code) return { ...(await this.view()), unchanged: true };
      const { source, handler } = FILES[language];
      const files: Record<string, string> = {};
      if (language === "python") {
        const python = await this.options.python();
        if (!python) throw new DeployRefused("PythonUnavailable", "python3 is not installed on this machine, so Python functions cannot run; install Python 3.8 or later and start the playground again, or write the function in TypeScript");
        await checkPythonFunction(python.executable, code, source);
        files[source] = code;
        files["playground.py"] = await readFile(join(RUNTIME_DIR, "playground.py"), "utf8");
      } else {
        files["handler.js"] = await compileNodeFunction(code, source);
        files["playground.js"] = await this.nodeHelper();
        files["package.json"] = JSON.stringify({ type: "module" });
      }
      const version = this.lastVersion + 1;
      const taskRoot = join(this.root, `v${version}`);
      await mkdir(taskRoot);
      for (const [name, text] of Object.entries(files)) await writeFile(join(taskRoot, name), text);
      this.lastVersion = version;
      this.switchTo({ version, language, code, taskRoot, handler, sourceFile: source });
      return this.view();
    });
  }

  /** Back to the lesson's handler (version 0), said only when a learner's version was running (a world reset). */
  async resetIfDeployed(): Promise<void> {
    if (this.current) await this.reset();
  }

  /** Back to the lesson's handler (version 0). */
  reset(): Promise<FunctionCodeView> {
    return this.serial(async () => {
      this.switchTo(null);
      return this.view();
    });
  }

  async stop(): Promise<void> {
    this.options.pool.stop();
    await rm(this.root, { recursive: true, force: true });
  }

  private switchTo(deployment: Deployment | null): void {
    // The old version's folder stays until the playground stops: its environments may still be finishing an invocation.
    this.current = deployment;
    this.options.pool.use(deployment ?? this.lesson);
    this.options.publish({ type: "function.deployed", version: deployment?.version ?? 0, language: deployment?.language ?? "nodejs" });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => {});
    return run;
  }

  /** lambda/runtime/playground.ts bundled once into the ES module `playground.js`. */
  private nodeHelper(): Promise<string> {
    this.helper ??= import("esbuild").then(({ build }) => build({ entryPoints: [join(RUNTIME_DIR, "playground.ts")], bundle: true, platform: "node", format: "esm", target: "node20", write: false, logLevel: "silent" })).then((result) => result.outputFiles[0]?.text ?? "");
    return this.helper;
  }
}

/**
 * The lesson's function bundled once per process: its source does not change while the process
 * runs, and a process may start many playgrounds (the test suite starts hundreds in a few workers,
 * each paying esbuild's CPU for the same text). A failed bundle is tried again next time.
 */
let lessonBundle: Promise<string> | undefined;
function lessonBundleText(): Promise<string> {
  const bundle = (lessonBundle ??= import("esbuild")
    .then(({ build }) => build({ entryPoints: [LESSON_ENTRY], bundle: true, platform: "node", format: "esm", target: "node20", write: false, logLevel: "silent" }))
    .then((result) => result.outputFiles[0]?.text ?? ""));
  bundle.catch(() => {
    if (lessonBundle === bundle) lessonBundle = undefined;
  });
  return bundle;
}

/** The lesson's function as a task root: one ES module (`index.js`, `index.handler`), no source map (its stacks are never shown at a line). */
async function bundleLessonFunction(taskRoot: string, shownCode: string): Promise<Deployment> {
  await mkdir(taskRoot, { recursive: true });
  await writeFile(join(taskRoot, "index.js"), await lessonBundleText());
  await writeFile(join(taskRoot, "package.json"), JSON.stringify({ type: "module" }));
  return { version: 0, language: "nodejs", code: shownCode, taskRoot, handler: "index.handler", sourceFile: null };
}

export { CompileError };
