// Deployed functions (issue #18): the cold start of an execution environment in each language,
// and what a warm invocation through the Lambda Runtime API costs against calling the same
// handler in the server's process.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { FunctionCode } from "../../server/runtime/functionCode.js";
import { EnvironmentPool } from "../../server/runtime/pool.js";
import { findPython } from "../../server/runtime/python.js";
import { percentile, round } from "../stats.js";

export interface RuntimeBenchResults {
  /** Spawn to the runtime's first GET /invocation/next (ms), median of `coldStarts` starts. */
  node_cold_start_ms: number;
  node_cold_start_p90_ms: number;
  /** Null when python3 is missing. */
  python_cold_start_ms: number | null;
  python_cold_start_p90_ms: number | null;
  /** A bare `node -e 0` / `python3 -c pass` on this machine now (ms, median): the part of a cold start that is the interpreter's own start. */
  node_process_start_ms: number;
  python_process_start_ms: number | null;
  /** One warm invocation, event out to response in (ms). */
  node_warm_invoke_p50_ms: number;
  node_warm_invoke_p99_ms: number;
  python_warm_invoke_p50_ms: number | null;
  python_warm_invoke_p99_ms: number | null;
  /** The same handler awaited in this process (ms). */
  in_process_invoke_p50_ms: number;
  /** Warm invoke p50 minus the in-process p50 (ms). */
  node_warm_overhead_ms: number;
}

const NODE = "export const handler = async (event) => ({ batchItemFailures: [], records: event.Records.length });";
const PYTHON = "def lambda_handler(event, context):\n    return {'batchItemFailures': [], 'records': len(event['Records'])}\n";
const EVENT = JSON.stringify({ Records: [{ messageId: randomUUID(), body: JSON.stringify({ task_id: 1, title: "bench" }) }] });

/** A pool and its code, outside any playground: nothing else runs beside the measured processes. */
async function runtimeFor(language: "nodejs" | "python", code: string) {
  const found = await findPython();
  const pool = new EnvironmentPool({
    setup: { functionName: "bench", region: "us-east-1", accountId: "000000000000", memoryMb: 128, internalUrl: () => "http://127.0.0.1:9", internalToken: "bench", sqsEndpoint: () => "http://127.0.0.1:9", pythonExecutable: () => found?.executable ?? null },
    publish: () => {},
    maxEnvironments: 1,
    maxStarting: 1,
    idleMs: 60_000,
  });
  const functionCode = await FunctionCode.create({ pool, python: () => Promise.resolve(found), publish: () => {} });
  await functionCode.deploy(language, code);
  const invoke = async () => {
    const started = performance.now();
    const outcome = await pool.invoke({ requestId: randomUUID(), event: EVENT, timeoutMs: 10_000, functionArn: "arn:aws:lambda:us-east-1:000000000000:function:bench", traceId: "Root=1-0-0" });
    if (outcome.kind !== "response") throw new Error(`bench invocation failed: ${JSON.stringify(outcome)}`);
    return { ms: performance.now() - started, initMs: outcome.coldStart?.initMs };
  };
  return { invoke, functionCode, redeploy: () => functionCode.deploy(language, code) };
}

/** Cold starts (each on a fresh version, so no warm environment is reused), then warm invocations. */
async function measure(language: "nodejs" | "python", code: string, coldStarts: number, warmInvokes: number) {
  const runtime = await runtimeFor(language, code);
  try {
    const cold: number[] = [];
    for (let i = 0; i < coldStarts; i += 1) {
      if (i > 0) await runtime.redeploy();
      const { initMs } = await runtime.invoke();
      if (initMs !== undefined) cold.push(initMs);
    }
    const warm: number[] = [];
    for (let i = 0; i < warmInvokes; i += 1) warm.push((await runtime.invoke()).ms);
    return { cold, warm };
  } finally {
    await runtime.functionCode.stop();
  }
}

/** The median time of `runs` bare starts of an interpreter (ms). */
async function bareStart(command: string, args: string[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => execFile(command, args, (error) => (error ? reject(error) : resolve())));
    times.push(performance.now() - started);
  }
  return round(percentile(times, 50));
}

/** @param log progress lines */
export async function benchRuntime(log: (line: string) => void, coldStarts = 10, warmInvokes = 300): Promise<RuntimeBenchResults> {
  const handler = async (event: { Records: unknown[] }) => ({ batchItemFailures: [], records: event.Records.length });
  const inProcess: number[] = [];
  for (let i = 0; i < warmInvokes; i += 1) {
    const started = performance.now();
    await handler(JSON.parse(EVENT) as { Records: unknown[] });
    inProcess.push(performance.now() - started);
  }
  log(`runtime: ${coldStarts} Node.js cold starts and ${warmInvokes} warm invocations`);
  const node = await measure("nodejs", NODE, coldStarts, warmInvokes);
  const pythonFound = await findPython();
  const hasPython = pythonFound !== null;
  log(hasPython ? "runtime: the same in Python" : "runtime: no python3 here, Python not measured");
  const python = hasPython ? await measure("python", PYTHON, coldStarts, warmInvokes) : null;
  const nodeWarmP50 = percentile(node.warm, 50);
  const inProcessP50 = percentile(inProcess, 50);
  const nodeStart = await bareStart(process.execPath, ["-e", "0"], coldStarts);
  const pythonStart = pythonFound ? await bareStart(pythonFound.executable, ["-c", "pass"], coldStarts) : null;
  return {
    node_process_start_ms: nodeStart,
    python_process_start_ms: pythonStart,
    node_cold_start_ms: round(percentile(node.cold, 50)),
    node_cold_start_p90_ms: round(percentile(node.cold, 90)),
    python_cold_start_ms: python ? round(percentile(python.cold, 50)) : null,
    python_cold_start_p90_ms: python ? round(percentile(python.cold, 90)) : null,
    node_warm_invoke_p50_ms: round(nodeWarmP50, 2),
    node_warm_invoke_p99_ms: round(percentile(node.warm, 99), 2),
    python_warm_invoke_p50_ms: python ? round(percentile(python.warm, 50), 2) : null,
    python_warm_invoke_p99_ms: python ? round(percentile(python.warm, 99), 2) : null,
    in_process_invoke_p50_ms: round(inProcessP50, 3),
    node_warm_overhead_ms: round(nodeWarmP50 - inProcessP50, 2),
  };
}
