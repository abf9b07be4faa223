// Start-up, in fresh processes on free ports: `npm start` until /health answers with an empty data
// folder; the bundle under plain node (what `npm start` runs, without npm's own start-up); the SQS
// engine alone (its bundle under plain node), the baseline with a budget of its own. Then with a
// data folder to restore (issue #16), as a kill -9 in the middle of work leaves it: the SQS engine
// alone holding `restoredMessages` journaled messages, until it listens (budget 500 ms), and the
// playground holding that many tasks and their queued messages, until /health answers.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startEngineAlone, startPlaygroundProcess } from "../server.js";
import { median, round } from "../stats.js";

export interface StartupResult {
  median_ms: number;
  node_median_ms: number;
  /** Spawn until the engine alone listens (issue #16: ≤ 500 ms). */
  engine_alone_ms: number;
  ratio: number;
  runs: number;
  /** The engine alone (its bundle under node) until it listens, restoring `restored_messages` messages from its journal. */
  engine_restore_ms: number;
  /** The playground (node bundle) until /health answers, on a data folder of `restored_messages` tasks with their messages queued. */
  node_restore_ms: number;
  restored_messages: number;
}

/** Runs `work` in `concurrency` workers until `count` items are done; `work(i)` does item i. */
async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++);
  }));
}

/** A data folder as a kill -9 leaves it: the engine alone, `count` messages sent in batches of 10 and not yet compacted. */
async function engineFolder(count: number): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), "qfp-bench-restore-sqs-"));
  const engine = await startEngineAlone({ dataDir });
  const client = new SQSClient({ endpoint: engine.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: "restored" }));
  await inParallel(Math.ceil(count / 10), 8, (batch) =>
    client.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: Math.min(10, count - batch * 10) }, (_, i) => ({ Id: String(i), MessageBody: JSON.stringify({ task_id: batch * 10 + i, title: `restored ${batch * 10 + i}` }) })) })),
  );
  client.destroy();
  await engine.kill();
  return dataDir;
}

/** A playground's data folder as a kill -9 leaves it: `count` tasks posted with the trigger off, so their messages wait in the queue. */
async function playgroundFolder(count: number): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), "qfp-bench-restore-"));
  const server = await startPlaygroundProcess({ TRIGGER_ENABLED: "false" }, { dataDir });
  await inParallel(count, 16, (i) => fetch(`${server.url}/tasks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: `restored ${i}` }) }).then((r) => r.arrayBuffer()));
  await server.kill();
  return dataDir;
}

/** A copy of `template` for one run (a start changes its folder: compaction, lock). */
async function copyOf(template: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), "qfp-bench-run-"));
  await cp(template, copy, { recursive: true });
  return copy;
}

export async function benchStartup(runs: number, log: (line: string) => void, restoredMessages = 10_000): Promise<StartupResult> {
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
    const engine = await startEngineAlone();
    alone.push(engine.startedInMs);
    await engine.stop();
    log(`  start-up run ${run + 1}: npm start ${npm.at(-1)?.toFixed(0)} ms, node ${node.at(-1)?.toFixed(0)} ms, SQS engine alone ${alone.at(-1)?.toFixed(0)} ms`);
  }
  log(`  preparing data folders of ${restoredMessages} messages (engine alone) and ${restoredMessages} tasks (playground), each left by a kill -9`);
  const templates = { engine: await engineFolder(restoredMessages), playground: await playgroundFolder(restoredMessages) };
  const engineRestore: number[] = [];
  const nodeRestore: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      const engineDir = await copyOf(templates.engine);
      const engine = await startEngineAlone({ dataDir: engineDir });
      engineRestore.push(engine.startedInMs);
      await engine.stop();
      const playgroundDir = await copyOf(templates.playground);
      const playground = await startPlaygroundProcess({}, { dataDir: playgroundDir });
      nodeRestore.push(playground.startedInMs);
      await playground.stop();
      await Promise.all([engineDir, playgroundDir].map((dir) => rm(dir, { recursive: true, force: true })));
      log(`  restoring run ${run + 1}: engine alone ${engineRestore.at(-1)?.toFixed(0)} ms, playground (node) ${nodeRestore.at(-1)?.toFixed(0)} ms`);
    }
  } finally {
    await Promise.all(Object.values(templates).map((dir) => rm(dir, { recursive: true, force: true })));
  }
  return {
    median_ms: round(median(npm), 0),
    node_median_ms: round(median(node), 0),
    engine_alone_ms: round(median(alone), 0),
    ratio: round(median(npm) / median(alone), 2),
    runs,
    engine_restore_ms: round(median(engineRestore), 0),
    node_restore_ms: round(median(nodeRestore), 0),
    restored_messages: restoredMessages,
  };
}
