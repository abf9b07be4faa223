import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ClientJob, ClientMessage, ClientReport } from "./protocol.js";

const SCRIPT = fileURLToPath(new URL("./loadClient.ts", import.meta.url));

/** Run one job in a fresh client process (TypeScript through tsx) and return its report; `onStarted` when its clock starts. */
export function runClient(job: ClientJob, onStarted: () => void = () => {}): Promise<ClientReport> {
  const child = fork(SCRIPT, [], {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_CLIENT_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CLIENT_PROF}`] : [])],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.on("message", (message: ClientMessage) => {
      if ("started" in message) onStarted();
      else if (message.ok) resolve(message.report);
      else reject(new Error(`load client: ${message.error}`));
    });
    child.once("exit", (code) => reject(new Error(`load client exited with ${code} before reporting`)));
    child.send(job);
  });
}
