// `npx tsx bench/clientsOnly.ts`: only the "pages after large messages" figure of the benchmark
// (15 pages asking for snapshots after 60 messages of 1 MB), printed as JSON with its budgets.
// Run `npm run build` first: the server measured is the built one.
import { benchClients, CLIENTS_FULL } from "./scenarios/clients.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const result = await benchClients(CLIENTS_FULL, (line) => console.log(line));
console.log(JSON.stringify(result, null, 2));
console.log(`budgets: RSS growth ${result.rss_growth_mb} MB (≤ 100), /health p99 ${result.health_p99_ms} ms (≤ 100)`);
