// fauxqs with nothing of ours around it, the baseline for start-up and for the send rate.
// Plain JavaScript run by plain node, as `npm start` runs our bundle: no TypeScript loader in
// the start-up time. Usage: node bench/peers/fauxqs-alone.mjs <port>
import { startFauxqs } from "fauxqs";

const server = await startFauxqs({ port: Number(process.argv[2] ?? 0), logger: false });
console.log(`fauxqs listening on ${server.port}`);
process.once("SIGTERM", () => void server.stop().then(() => process.exit(0)));
