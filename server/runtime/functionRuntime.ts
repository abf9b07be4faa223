import { availableParallelism } from "node:os";
import type { FlowEventBody } from "../../common/events.js";
import { FunctionCode } from "./functionCode.js";
import { EnvironmentPool } from "./pool.js";
import { findPython, type PythonInfo } from "./python.js";
import { runtimeHandler, type DeployedHandler } from "./runtimeHandler.js";
import type { FunctionSetup } from "./runtimes.js";

export interface FunctionRuntimeOptions extends Omit<FunctionSetup, "pythonExecutable"> {
  publish: (event: FlowEventBody) => void;
  /** The Python interpreter to look for (`python3` on PATH by default). */
  pythonCommand?: string;
  /** Execution environments at once (default 8): one process each, and the machine is shared. */
  maxEnvironments?: number;
  /** Runtimes starting at once (default: one per core). */
  maxStarting?: number;
  /** An idle environment is stopped after this long (ms; default 10 minutes). */
  idleMs?: number;
  /** The lesson's function runs in environments too (LESSON_FUNCTION=runtime), not only a learner's version. */
  lessonInRuntime?: boolean;
}

/** Deployed functions in embedded mode: their code, their environments, and the handler the trigger calls while one is deployed. */
export interface FunctionRuntime {
  code: FunctionCode;
  pool: EnvironmentPool;
  /** For the trigger: every invocation goes through the Runtime API, to the lesson's function or the learner's version. */
  runner: { handler: DeployedHandler; deployed(): boolean; holdWhile(requestId: string, pending: Promise<unknown>): Promise<number> };
  stop(): Promise<void>;
}

/** Sets up the runtime side; python3 is looked for only when first asked about (it costs a process start), never at start-up. */
export async function startFunctionRuntime(options: FunctionRuntimeOptions): Promise<FunctionRuntime> {
  let python: PythonInfo | null = null;
  let looked: Promise<PythonInfo | null> | undefined;
  const pythonFound = () => (looked ??= findPython(options.pythonCommand).then((found) => (python = found)));
  const pool = new EnvironmentPool({
    setup: { ...options, pythonExecutable: () => python?.executable ?? null },
    publish: options.publish,
    maxEnvironments: options.maxEnvironments ?? 8,
    maxStarting: options.maxStarting ?? Math.max(1, availableParallelism()),
    idleMs: options.idleMs ?? 10 * 60_000,
  });
  const code = await FunctionCode.create({ pool, python: pythonFound, publish: options.publish, lessonInRuntime: options.lessonInRuntime ?? false });
  return {
    code,
    pool,
    runner: { handler: runtimeHandler(code, pool), deployed: () => code.deployment !== null, holdWhile: (requestId, pending) => pool.holdWhile(requestId, pending) },
    stop: () => code.stop(),
  };
}
