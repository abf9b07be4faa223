// `npm run soak`: the chaos soak at full size (1,000 tasks by default). Exits 1 if any promise broke.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runChaosSoak } from "./soak/chaosSoak.js";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "1000" },
    "fail-rate": { type: "string", default: "0.3" },
    "settle-seconds": { type: "string", default: "300" },
    keep: { type: "boolean", default: false },
  },
});
const tasks = Number(values.tasks);
const failRate = Number(values["fail-rate"]);
const settleSeconds = Number(values["settle-seconds"]);
if (!Number.isInteger(tasks) || tasks < 1 || !(failRate >= 0 && failRate < 1) || !(settleSeconds > 0)) {
  console.error("usage: npm run soak -- [--tasks 1000] [--fail-rate 0.3] [--settle-seconds 300] [--keep]");
  process.exit(2);
}
// The SDK's Node 20 notice would interrupt the progress lines; the README says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const dataDir = await mkdtemp(join(tmpdir(), "qfp-soak-"));
const report = await runChaosSoak({ tasks, failRate, dataDir, settleTimeoutMs: settleSeconds * 1000, log: (line) => console.log(line) });
if (!values.keep) await rm(dataDir, { recursive: true, force: true });

console.log(`
soak: ${report.accepted} tasks accepted (${report.refused} refused) in ${(report.durationMs / 1000).toFixed(1)} s
  completed ${report.completed}, failed ${report.failed} (dead-lettered messages: ${report.deadLettered})
  invocations ${report.invocations} (${report.failedInvocations} failed whole), messages returned after their visibility timeout ${report.returned}
  chaos acts played: ${report.acts.length}; server errors logged: ${report.serverErrors.length}${values.keep ? `\n  data kept in ${dataDir}` : ""}`);
for (const error of report.serverErrors.slice(0, 5)) console.log(`  server error: ${error}`);
for (const note of report.notes) console.log(`  note: ${note}`);
for (const violation of report.violations) console.log(`  BROKEN: ${violation}`);
for (const story of report.stories) console.log(`  ${story}`);
console.log(report.violations.length === 0 ? "every promise kept" : `${report.violations.length} promise(s) broken`);
process.exit(report.violations.length === 0 ? 0 : 1);
