// The entry point: the only place that reads the environment. It parses the configuration,
// starts the playground and stops it cleanly on SIGINT/SIGTERM.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { ConfigError, exposureWarnings, parseConfig } from "./config.js";
import { LessonError } from "./lessons/parseLesson.js";
import { startPlayground } from "./playground.js";
import { PROJECT_ROOT } from "./projectRoot.js";
import { StoreError } from "./store/errors.js";
import { BackendError } from "./backends/provisioningError.js";

// V8 lets the old generation grow up to 4× what survived the last full collection before it
// collects again. In a burst nearly every event lives in the event log long enough to reach the old
// generation and die there, so the server sat at 250+ MB after 10,000 tasks with ~40 MB live.
// Growing by at most 2× keeps it near 180 MB; the CPU per task measured the same either way
// (bench/README.md). Set here, before the heap holds much: the flag applies from the next collection.
setFlagsFromString("--heap-growing-percent=100");

const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string };

async function main(): Promise<void> {
  if (Number(process.versions.node.split(".")[0]) < 22) {
    // The SDK's own multi-line notice would bury the start-up lines; one line says the same.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    console.log(`note: Node ${process.versions.node} works; AWS SDK releases after early January 2027 need Node 22+ (see README)`);
  }
  const config = parseConfig(process.env, version);
  // The client is built by `npm install` (postinstall: vite build) into dist/client.
  const clientDir = join(PROJECT_ROOT, "dist", "client");
  if (!existsSync(clientDir)) console.log("note: the browser client is not built yet; run `npm run build` (npm install does it)");
  const playground = await startPlayground(config, { clientDir, shellEnv: process.env });
  // Before the start block is printed: whoever reads it may signal at once, and a signal with no
  // handler yet would kill the process without stopping it (its data-folder lock left behind).
  const shutdown = (signal: string) => {
    console.log(`\n${signal}: stopping (batches in flight finish or return to the queue)…`);
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    playground.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("error while stopping:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  // One write, so whoever reads the output sees the whole block or none of it. The token opens the
  // page's terminal (a real shell): only someone who can read this output gets one.
  console.log(
    [
      `Queue Flow Playground ${version} (${config.mode} backend)`,
      `  playground  ${playground.url}/?token=${playground.terminalToken}`,
      // The presenter's page: only it can act while followers watch, or from other machines in a
      // classroom (where the terminal is off, so its token is left out).
      `  presenter   ${playground.url}/?${config.CLASSROOM ? "" : `token=${playground.terminalToken}&`}presenter=${playground.presenterToken}`,
      `  followers   ${playground.url}/follow`,
      `  queue       ${playground.queues.queueUrl}`,
      `  dead letter ${playground.queues.deadLetterQueueUrl}`,
      `  try it:     curl -X POST ${playground.url}/tasks -H "Content-Type: application/json" -d '{"title": "Test Task"}'`,
    ].join("\n"),
  );
  for (const warning of exposureWarnings(config)) console.warn(`warning: ${warning}`);
}

main().catch((error: unknown) => {
  // Errors the user can act on are one line (a broken lesson: its file, line and reason), never a stack.
  if (error instanceof ConfigError || error instanceof StoreError || error instanceof BackendError || error instanceof LessonError) {
    console.error(`queue-flow-playground: ${error.message}`);
  } else if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    const address = error as NodeJS.ErrnoException & { port?: number };
    console.error(`queue-flow-playground: port ${address.port ?? ""} is already in use (set PORT or SQS_PORT to another one)`);
  } else {
    console.error("queue-flow-playground failed to start:", error);
  }
  process.exit(1);
});
