// `npx tsx bench/browserOnly.ts [--runs N]`: only the browser figure of the benchmark (a tab open
// during a 10,000-task burst), repeated, for working on the page without the whole four-minute run.
// Run `npm run build` first: the page measured is the built one.
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { startPlaygroundProcess } from "./server.js";
import { watchPlaygroundPage } from "./scenarios/browser.js";
import { burstTasks } from "./scenarios/burst.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "1" }, tasks: { type: "string", default: "10000" } } });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

for (let run = 1; run <= Number(values.runs); run++) {
  const server = await startPlaygroundProcess();
  try {
    const watch = await watchPlaygroundPage(server.url, { detail: true });
    const burst = await burstTasks(server.url, Number(values.tasks), 16, 200_000);
    const { detail, ...figures } = await watch.finish();
    const tasksPerS = Math.round((burst.posted / burst.elapsedMs) * 1000);
    console.log(JSON.stringify({ run, ...figures, tasks_per_s: tasksPerS, lost: burst.lost, load: Math.round((loadavg()[0] ?? 0) * 100) / 100 }));
    // Where each long task fell in the burst and what its frame ran: what to look at first.
    for (const task of detail ?? []) console.log(`  long task: ${JSON.stringify(task)}`);
  } finally {
    await server.stop();
  }
}
