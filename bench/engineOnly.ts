// `npx tsx bench/engineOnly.ts [messages] [runs] [--memory | --durable] [--floor] [--cpu-prof DIR]`: only the
// "SQS engine alone vs fauxqs alone" figures of the benchmark (SendMessage, then receive +
// DeleteMessageBatch), printed as JSON with their budgets. Defaults: the full benchmark's 5,000
// messages, 3 runs, 16 clients. Our engine runs twice, in memory (the budget's figure: fauxqs keeps
// nothing on disk either) and durable in a data folder (as the playground runs it); `--memory` or
// `--durable` runs only one. `--floor` also measures a bare node:http server with fixed replies
// (bench/peers/bare-http.mjs): no SQS on node:http can beat its rates. `--cpu-prof DIR` writes a
// V8 CPU profile of each engine process into DIR (open it in Chrome's DevTools). Run
// `npm run build` first: the engine measured is the built one.
import { parseArgs } from "node:util";
import { benchEngine } from "./scenarios/engine.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { memory: { type: "boolean", default: false }, durable: { type: "boolean", default: false }, floor: { type: "boolean", default: false }, "cpu-prof": { type: "string" } },
});
const [messages = "5000", runs = "3"] = positionals;
const only = values.memory ? "memory" : values.durable ? "durable" : undefined;
const nodeArgs = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
const result = await benchEngine(Number(messages), 16, Number(runs), (line) => console.log(line), { nodeArgs, floor: values.floor, ...(only ? { only } : {}) });
console.log(JSON.stringify(result, null, 2));
console.log(`budgets (in memory, as fauxqs): send ×${result.send_ratio} (≥ 1.5), receive+delete ×${result.receive_delete_ratio} (≥ 1.5)`);
console.log(`durable, for comparison: send ×${result.durable_send_ratio}, receive+delete ×${result.durable_receive_delete_ratio}`);
if (result.floor) console.log(`bare node:http with fixed replies (the floor): send ×${result.floor.send_ratio}, receive+delete ×${result.floor.receive_delete_ratio}`);
