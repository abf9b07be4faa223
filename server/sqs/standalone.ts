// Starts the SQS engine alone, for conformance runs and benchmarks:
//   npx tsx server/sqs/standalone.ts [port] [host] [dataDir]   (defaults 4566, 127.0.0.1, none)
//   node dist/server/sqs/standalone.js [port] [host] [dataDir] (the same, as `npm run build` bundles it)
// Region from AWS_DEFAULT_REGION (default us-east-1); the account is LocalStack's 000000000000.
// With a dataDir, queues and messages are kept there across restarts, as the playground keeps them.
import { SqsDisk } from "./durable/sqsDisk.js";
import { SqsEngine } from "./model/engine.js";
import { startSqsServer } from "./server.js";

const port = Number(process.argv[2] ?? 4566);
const host = process.argv[3] ?? "127.0.0.1";
const dataDir = process.argv[4];
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${process.argv[2]}`);
  process.exit(2);
}
const engine = new SqsEngine({ region: process.env.AWS_DEFAULT_REGION ?? "us-east-1", accountId: "000000000000" });
const disk = dataDir === undefined ? undefined : await SqsDisk.open(dataDir, engine);
const server = await startSqsServer({ engine, host, port });
console.log(`SQS engine listening on ${server.endpoint}${dataDir === undefined ? "" : ` (queues kept in ${dataDir})`}`);
const stop = () => void server.close().then(async () => {
  await disk?.close();
  process.exit(0);
});
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
