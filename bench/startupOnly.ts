// `npx tsx bench/startupOnly.ts [runs] [restoredMessages]`: only the start-up figures of the
// benchmark (empty, and restoring a data folder left by a kill -9), printed as JSON with budgets.
// Defaults: the full benchmark's 5 runs and 10,000 messages. Run `npm run build` first.
import { benchStartup } from "./scenarios/startup.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const runs = Number(process.argv[2] ?? 5);
const restored = Number(process.argv[3] ?? 10_000);
const result = await benchStartup(runs, (line) => console.log(line), restored);
console.log(JSON.stringify(result, null, 2));
console.log(`budgets: npm start ${result.median_ms} ms (≤ 1500), SQS engine restoring ${restored} messages ${result.engine_restore_ms} ms (≤ 500)`);
