// The embedded SQS alone against fauxqs alone (issue #16: at least 1.5× on both): the same client,
// the same number of messages, the same concurrency, each server in its own process. fauxqs keeps
// its queues in memory only, so the budget compares it with our engine in memory only (no data
// folder); our engine as the playground runs it, durable (every reply waits for its journal line's
// fsync), is measured in the same run and reported beside, against the same fauxqs figures.
// SendMessage one message per call; then ReceiveMessage (10 at a time) + DeleteMessageBatch until
// empty.
//
// The client sends each call as the SDK does (its JSON body and headers, a SigV4 Authorization
// header that neither server checks) over keep-alive connections, without the SDK's own work:
// signing and its middleware cost more CPU per call than either server spends answering it, so
// with the SDK as the client both rates were the SDK's (the burst's raw baseline measures that).
// Each server's CPU time per message is reported too: on a machine shared with other work the
// rates move with the load, the CPU a server spends on a message much less.
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { cpuMsOf, startBareHttpServer, startEngineAlone, startFauxqsAlone, type PeerProcess } from "../server.js";
import { handleConcurrently, medianOfRuns, round } from "../stats.js";

/** Figures of one run: `engine_*` our engine in memory (the budget's, like fauxqs), `durable_*` our engine with a data folder. */
export interface EngineResult {
  engine_sends_per_s: number;
  fauxqs_sends_per_s: number;
  send_ratio: number;
  engine_receive_deletes_per_s: number;
  fauxqs_receive_deletes_per_s: number;
  receive_delete_ratio: number;
  /** The server's CPU time (user + system) per message sent, and per message received and deleted, µs. */
  engine_cpu_us_per_send: number;
  fauxqs_cpu_us_per_send: number;
  engine_cpu_us_per_receive_delete: number;
  fauxqs_cpu_us_per_receive_delete: number;
  /** Our engine durable (journal + fsync before each reply), against the same fauxqs figures. */
  durable_sends_per_s: number;
  durable_send_ratio: number;
  durable_receive_deletes_per_s: number;
  durable_receive_delete_ratio: number;
  durable_cpu_us_per_send: number;
  durable_cpu_us_per_receive_delete: number;
  /** With `floor`: a bare node:http server with fixed replies (bench/peers/bare-http.mjs), the same calls. */
  floor?: { sends_per_s: number; send_ratio: number; receive_deletes_per_s: number; receive_delete_ratio: number; cpu_us_per_send: number; cpu_us_per_receive_delete: number };
  messages: number;
  concurrency: number;
}

type Reply = Record<string, unknown>;

/** SQS's JSON protocol over `agent`'s connections to `endpoint`; resolves with the reply, rejects on any non-200. */
function jsonClient(endpoint: string, agent: Agent) {
  const { hostname, port, host } = new URL(endpoint);
  const authorization = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent;x-amzn-query-mode, Signature=0";
  return (action: string, input: Reply): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(input);
      const headers = {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `AmazonSQS.${action}`,
        "x-amzn-query-mode": "true",
        "content-length": Buffer.byteLength(body),
        "x-amz-user-agent": "aws-sdk-js/3",
        "user-agent": "aws-sdk-js/3 ua/2.1 lang/js md/nodejs api/sqs",
        host,
        "amz-sdk-invocation-id": randomUUID(),
        "amz-sdk-request": "attempt=1; max=3",
        "x-amz-date": "20260101T000000Z",
        "x-amz-content-sha256": "0".repeat(64),
        authorization,
      };
      const call = request({ hostname, port, method: "POST", path: "/", agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode === 200) resolve(JSON.parse(text) as Reply);
          else reject(new Error(`${action}: ${response.statusCode} ${text}`));
        });
      });
      call.on("error", reject);
      call.end(body);
    });
}

/** `count` messages through `call` (which returns how many it handled), `concurrency` calls at a time: per second, and the server's CPU µs per message. */
async function rate(peer: PeerProcess, count: number, concurrency: number, call: () => Promise<number>): Promise<{ perS: number; cpuUs: number; clientCpuUs: number }> {
  const cpuBefore = await cpuMsOf(peer.pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  // The clock stops when the last message is handled: loops that then wait out a long poll on the
  // empty queue (up to WaitTimeSeconds) are idle time both servers would pay, not work.
  let handled = 0;
  let finishedAt: number | undefined;
  const done = await handleConcurrently(count, concurrency, async () => {
    const items = await call();
    handled += items;
    if (handled >= count) finishedAt ??= performance.now();
    return items;
  });
  const elapsed = (finishedAt ?? performance.now()) - started;
  const client = process.cpuUsage(clientBefore);
  return { perS: (done / elapsed) * 1000, cpuUs: ((await cpuMsOf(peer.pid)) - cpuBefore) * (1000 / done), clientCpuUs: (client.user + client.system) / done };
}

/** Send and receive+delete rates of one server, on a fresh queue. */
export async function measure(peer: PeerProcess, run: number, messages: number, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const sqs = jsonClient(peer.endpoint, agent);
  try {
    const { QueueUrl } = await sqs("CreateQueue", { QueueName: `bench-engine-${run}`, Attributes: { VisibilityTimeout: "60" } });
    const sends = await rate(peer, messages, concurrency, async () => {
      await sqs("SendMessage", { QueueUrl, MessageBody: '{"task_id":1,"title":"bench"}' });
      return 1;
    });
    const receives = await rate(peer, messages, concurrency, async () => {
      const { Messages = [] } = (await sqs("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })) as { Messages?: { ReceiptHandle: string }[] };
      if (Messages.length === 0) return 0;
      await sqs("DeleteMessageBatch", { QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) });
      return Messages.length;
    });
    return { sends, receives };
  } finally {
    agent.destroy();
  }
}

/** What engineOnly.ts may ask besides the sizes: node flags for our engine's processes (`--cpu-prof`), and which of them to run. */
export interface EngineBenchOptions {
  nodeArgs?: string[];
  /** Our engine in memory only, durable only, or both (default). */
  only?: "memory" | "durable";
  /** Also measure a bare node:http server with fixed replies: what no SQS on node:http can beat. */
  floor?: boolean;
}

const NOT_RUN = { sends: { perS: Number.NaN, cpuUs: Number.NaN, clientCpuUs: Number.NaN }, receives: { perS: Number.NaN, cpuUs: Number.NaN, clientCpuUs: Number.NaN } };

export async function benchEngine(messages: number, concurrency: number, runs: number, log: (line: string) => void, options: EngineBenchOptions = {}): Promise<EngineResult> {
  const nodeArgs = options.nodeArgs ?? [];
  const inMemory = options.only === "durable" ? undefined : await startEngineAlone({ memoryOnly: true, nodeArgs });
  const durable = options.only === "memory" ? undefined : await startEngineAlone({ nodeArgs });
  const fauxqs = await startFauxqsAlone();
  const bare = options.floor ? await startBareHttpServer() : undefined;
  const line = (name: string, ours: Awaited<ReturnType<typeof measure>>, theirs: Awaited<ReturnType<typeof measure>>) =>
    `${name}: sends ${ours.sends.perS.toFixed(0)}/s vs fauxqs ${theirs.sends.perS.toFixed(0)}/s (server CPU ${ours.sends.cpuUs.toFixed(0)} vs ${theirs.sends.cpuUs.toFixed(0)} µs each); ` +
    `receive+delete ${ours.receives.perS.toFixed(0)}/s vs ${theirs.receives.perS.toFixed(0)}/s (${ours.receives.cpuUs.toFixed(0)} vs ${theirs.receives.cpuUs.toFixed(0)} µs each); ` +
    `the client's CPU ${ours.sends.clientCpuUs.toFixed(0)} vs ${theirs.sends.clientCpuUs.toFixed(0)} µs per send, ${ours.receives.clientCpuUs.toFixed(0)} vs ${theirs.receives.clientCpuUs.toFixed(0)} per message received+deleted`;
  try {
    const { median } = await medianOfRuns(runs, async (run) => {
      const memory = inMemory ? await measure(inMemory, run, messages, concurrency) : NOT_RUN;
      const disk = durable ? await measure(durable, run, messages, concurrency) : NOT_RUN;
      const theirs = await measure(fauxqs, run, messages, concurrency);
      const floor = bare ? await measure(bare, run, messages, concurrency) : NOT_RUN;
      if (inMemory) log(`  engine run ${run + 1}, ${line("in memory", memory, theirs)}`);
      if (durable) log(`  engine run ${run + 1}, ${line("durable", disk, theirs)}`);
      if (bare) log(`  engine run ${run + 1}, ${line("bare node:http (the floor)", floor, theirs)}`);
      return {
        es: memory.sends.perS,
        ds: disk.sends.perS,
        fs: theirs.sends.perS,
        er: memory.receives.perS,
        dr: disk.receives.perS,
        fr: theirs.receives.perS,
        esCpu: memory.sends.cpuUs,
        dsCpu: disk.sends.cpuUs,
        fsCpu: theirs.sends.cpuUs,
        erCpu: memory.receives.cpuUs,
        drCpu: disk.receives.cpuUs,
        frCpu: theirs.receives.cpuUs,
        bs: floor.sends.perS,
        br: floor.receives.perS,
        bsCpu: floor.sends.cpuUs,
        brCpu: floor.receives.cpuUs,
      };
    });
    return {
      engine_sends_per_s: round(median.es, 0),
      fauxqs_sends_per_s: round(median.fs, 0),
      send_ratio: round(median.es / median.fs, 2),
      engine_receive_deletes_per_s: round(median.er, 0),
      fauxqs_receive_deletes_per_s: round(median.fr, 0),
      receive_delete_ratio: round(median.er / median.fr, 2),
      engine_cpu_us_per_send: round(median.esCpu, 0),
      fauxqs_cpu_us_per_send: round(median.fsCpu, 0),
      engine_cpu_us_per_receive_delete: round(median.erCpu, 0),
      fauxqs_cpu_us_per_receive_delete: round(median.frCpu, 0),
      durable_sends_per_s: round(median.ds, 0),
      durable_send_ratio: round(median.ds / median.fs, 2),
      durable_receive_deletes_per_s: round(median.dr, 0),
      durable_receive_delete_ratio: round(median.dr / median.fr, 2),
      durable_cpu_us_per_send: round(median.dsCpu, 0),
      durable_cpu_us_per_receive_delete: round(median.drCpu, 0),
      ...(bare
        ? {
            floor: {
              sends_per_s: round(median.bs, 0),
              send_ratio: round(median.bs / median.fs, 2),
              receive_deletes_per_s: round(median.br, 0),
              receive_delete_ratio: round(median.br / median.fr, 2),
              cpu_us_per_send: round(median.bsCpu, 0),
              cpu_us_per_receive_delete: round(median.brCpu, 0),
            },
          }
        : {}),
      messages,
      concurrency,
    };
  } finally {
    await inMemory?.stop();
    await durable?.stop();
    await fauxqs.stop();
    await bare?.stop();
  }
}
