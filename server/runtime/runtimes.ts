import { join } from "node:path";
import type { FunctionLanguage } from "../../common/events.js";
import { FUNCTION_ENV } from "../../common/internalApi.js";
import { PROJECT_ROOT } from "../projectRoot.js";
import type { EnvironmentSpec } from "./environment.js";

/** Our runtime loops, run as they are (no build step): lambda/runtime/. */
export const RUNTIME_DIR = join(PROJECT_ROOT, "lambda", "runtime");

/** The lesson's function (version 0): lambda/handler.ts behind its embedded entry, bundled at start-up. */
export const LESSON_ENTRY = join(PROJECT_ROOT, "lambda", "lessonFunction.ts");

/** The function as deployed: its code on disk and how the runtime finds its handler. */
export interface Deployment {
  version: number;
  language: FunctionLanguage;
  /** The source the learner wrote (TypeScript/JavaScript or Python). */
  code: string;
  /** LAMBDA_TASK_ROOT: the folder holding the handler file and the playground helper. */
  taskRoot: string;
  /** _HANDLER: `<file>.<function>`. */
  handler: string;
  /** The file the learner's code is in, as stacks name it (handler.ts or lambda_function.py); null for the lesson's function, whose lines are not the ones shown. */
  sourceFile: string | null;
}

/** What every environment of the function shares. */
export interface FunctionSetup {
  functionName: string;
  region: string;
  accountId: string;
  memoryMb: number;
  /** The playground's internal routes, for the task helper (`http://127.0.0.1:<port>`). */
  internalUrl: () => string;
  /**
   * Resolves once the internal routes listen. No environment starts before: its helper's URL is
   * fixed when it is spawned, and a playground restarted with messages waiting invokes at once
   * (every record of those environments failed, and a burst's messages went to the DLQ).
   */
  reachable?: Promise<void>;
  internalToken: string;
  /** The embedded SQS, for a function that uses an SQS client of its own. */
  sqsEndpoint: () => string;
  /** The Python interpreter (its full path: a pyenv shim would cost a few hundred ms per cold start); null when there is none. */
  pythonExecutable: () => string | null;
}

/** AWS's runtime identifiers, as AWS_EXECUTION_ENV names them. */
const EXECUTION_ENV: Record<FunctionLanguage, string> = { nodejs: "AWS_Lambda_nodejs22.x", python: "AWS_Lambda_python3.12" };

/**
 * The command and the environment variables of one execution environment, as Lambda defines
 * them (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html, "Defined runtime
 * environment variables"), plus the playground helper's URL and token. Nothing of the server's
 * own environment is passed on: a function sees only what a Lambda function would.
 */
export function environmentSpec(setup: FunctionSetup, deployment: Deployment, id: string): EnvironmentSpec {
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
  const version = String(deployment.version);
  const env: Record<string, string> = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    LANG: "en_US.UTF-8",
    TZ: ":UTC",
    _HANDLER: deployment.handler,
    AWS_EXECUTION_ENV: EXECUTION_ENV[deployment.language],
    AWS_REGION: setup.region,
    AWS_DEFAULT_REGION: setup.region,
    AWS_LAMBDA_FUNCTION_NAME: setup.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(setup.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${setup.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${version}]${id}`,
    LAMBDA_TASK_ROOT: deployment.taskRoot,
    LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
    // The embedded SQS takes any credentials; an SDK in the function finds it through these.
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SQS: setup.sqsEndpoint(),
    [FUNCTION_ENV.url]: setup.internalUrl(),
    [FUNCTION_ENV.token]: setup.internalToken,
  };
  const common = { id, language: deployment.language, version: deployment.version, cwd: deployment.taskRoot, initTimeoutMs: 10_000 };
  if (deployment.language === "python") {
    const python = setup.pythonExecutable();
    if (!python) throw new Error("python3 is not installed");
    return { ...common, command: python, args: ["-u", "-B", join(RUNTIME_DIR, "bootstrap.py")], env: { ...env, PYTHONPATH: deployment.taskRoot } };
  }
  // The heap is the memory limit; source maps make stacks name the learner's own lines.
  return { ...common, command: process.execPath, args: [`--max-old-space-size=${setup.memoryMb}`, "--enable-source-maps", join(RUNTIME_DIR, "bootstrap.mjs")], env };
}
