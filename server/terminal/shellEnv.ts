import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

export interface ShellSetup {
  /** The environment the playground was started with; the shell inherits it. */
  baseEnv: Record<string, string | undefined>;
  /** The project root: the shell starts here, and its `bin/` holds our `awslocal`. */
  rootDir: string;
  sqsEndpoint: string;
  region: string;
  playgroundUrl: string;
  /** Where curl finds the configuration that sends the shell's token to the playground (see curlConfig.ts). */
  curlHome?: string;
}

/** The first executable file called `name` in a PATH, skipping any directory in `skip`. */
export function findExecutable(name: string, path: string, skip: string[] = []): string | undefined {
  const skipped = new Set(skip.map(canonical));
  for (const dir of path.split(delimiter)) {
    if (!dir || skipped.has(canonical(dir))) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable: keep looking, as a shell would.
    }
  }
  return undefined;
}

function canonical(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * The shell's environment: the playground's own, with every AWS tool pointed at the embedded SQS.
 * Our `awslocal` goes first on PATH unless a real one (LocalStack's) is installed: that one reads
 * AWS_ENDPOINT_URL too, and a learner who has it should keep it.
 */
export function shellEnvironment(setup: ShellSetup): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(setup.baseEnv)) if (value !== undefined) env[key] = value;
  // Real credentials have no business in a shell that only talks to the local SQS.
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;

  const root = resolve(setup.rootDir);
  const bin = join(root, "bin");
  const path = env.PATH ?? "/usr/local/bin:/usr/bin:/bin";
  const realAwslocal = findExecutable("awslocal", path, [bin]);
  return {
    ...env,
    PATH: realAwslocal ? `${path}${delimiter}${bin}` : `${bin}${delimiter}${path}`,
    AWS_ENDPOINT_URL: setup.sqsEndpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: setup.region,
    AWS_REGION: setup.region,
    // aws CLI v2 pipes output through `less` on a terminal, which would swallow short answers in a lesson.
    AWS_PAGER: "",
    PLAYGROUND_URL: setup.playgroundUrl,
    ...(setup.curlHome ? { CURL_HOME: setup.curlHome } : {}),
    // The inherited PWD is wherever the server was started; the shell starts in the project.
    PWD: root,
    TERM: "xterm-256color",
  };
}
