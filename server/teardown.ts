// `npm run teardown`: an entry point, so it alone reads the environment. It removes the queues,
// function and trigger the playground created in LocalStack or AWS (same settings as `npm start`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, parseConfig } from "./config.js";
import { teardown } from "./backends/teardown.js";
import { PROJECT_ROOT } from "./projectRoot.js";

const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string };

try {
  const config = parseConfig(process.env, version);
  if (config.mode === "embedded") {
    console.log("embedded mode keeps nothing outside this process: nothing to tear down (set AWS_ENDPOINT_URL for LocalStack, or PLAYGROUND_MODE=aws)");
  } else {
    const removed = await teardown(config);
    console.log(removed.length ? `removed from ${config.mode}:\n${removed.map((r) => `  ${r}`).join("\n")}` : `nothing of the playground's was left in ${config.mode}`);
  }
} catch (error) {
  console.error(`teardown: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
