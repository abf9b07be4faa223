// Start-up: `npm start` until /health answers, in fresh processes on free ports with an empty data
// folder; the bundle under plain node (what `npm start` runs, without npm's own start-up); and
// fauxqs alone, the baseline.
import { startFauxqsAlone, startPlaygroundProcess } from "../server.js";
import { median, round } from "../stats.js";

export interface StartupResult {
  median_ms: number;
  node_median_ms: number;
  fauxqs_alone_ms: number;
  ratio: number;
  runs: number;
}

export async function benchStartup(runs: number, log: (line: string) => void): Promise<StartupResult> {
  const npm: number[] = [];
  const node: number[] = [];
  const alone: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const viaNpm = await startPlaygroundProcess({}, { viaNpm: true });
    npm.push(viaNpm.startedInMs);
    await viaNpm.stop();
    const direct = await startPlaygroundProcess();
    node.push(direct.startedInMs);
    await direct.stop();
    const fauxqs = await startFauxqsAlone();
    alone.push(fauxqs.startedInMs);
    await fauxqs.stop();
    log(`  start-up run ${run + 1}: npm start ${npm.at(-1)?.toFixed(0)} ms, node ${node.at(-1)?.toFixed(0)} ms, fauxqs alone ${alone.at(-1)?.toFixed(0)} ms`);
  }
  return {
    median_ms: round(median(npm), 0),
    node_median_ms: round(median(node), 0),
    fauxqs_alone_ms: round(median(alone), 0),
    ratio: round(median(npm) / median(alone), 2),
    runs,
  };
}
