// The chaos soak: a real playground (real SQS engine, real lowdb, real HTTP) takes a stream of tasks
// while the handler fails records, crashes mid-batch, outlives its visibility timeout and the
// trigger is switched off and on. Then it must settle with every promise kept (soakVerdict.ts).
import { setTimeout as sleep } from "node:timers/promises";
import type { FlowEvent, QueueView, Task } from "../../common/events.js";
import { applyEvent, stateFromSnapshot } from "../../common/state.js";
import { parseConfig } from "../../server/config.js";
import { startPlayground, type Playground } from "../../server/playground.js";
import { judgeSoak, type SoakVerdict } from "./soakVerdict.js";

export interface SoakOptions {
  tasks: number;
  dataDir: string;
  /** Fraction of records the handler fails throughout the run. */
  failRate?: number;
  /** POST /tasks requests in flight at once. */
  postConcurrency?: number;
  /** How long the flow may take to settle once every task is posted. */
  settleTimeoutMs?: number;
  /** Progress lines (the script prints them; the test keeps quiet). */
  log?: (line: string) => void;
}

export interface SoakReport extends SoakVerdict {
  accepted: number;
  refused: number;
  /** The chaos acts, in the order they were played. */
  acts: string[];
  invocations: number;
  failedInvocations: number;
  returned: number;
  deadLettered: number;
  /** Errors the server logged (poll errors and the like): expected under chaos, listed for the curious. */
  serverErrors: string[];
  durationMs: number;
}

// Small timeouts make retries and dead-lettering happen in seconds instead of minutes.
const VISIBILITY_TIMEOUT_SECONDS = 1;
const FUNCTION_TIMEOUT_SECONDS = 1;
/** Longer than the visibility timeout: a message comes back while its batch is still working on it. */
const SLOW_RECORD_MS = 1300;
const SETTLED_POLLS = 3;

type Act = { name: string; play: (api: ControlApi, failRate: number) => Promise<void> };

interface ControlApi {
  faults(body: object): Promise<void>;
  trigger(enabled: boolean): Promise<void>;
  functionTimeout(seconds: number): Promise<void>;
}

const ACTS: Act[] = [
  {
    name: "crashAfter 2: batches throw after their second record",
    play: async (api, failRate) => {
      await api.faults({ failRate, crashAfter: 2 });
      await sleep(500);
      await api.faults({ failRate });
    },
  },
  {
    name: "trigger off for 300 ms, then on",
    play: async (api) => {
      await api.trigger(false);
      await sleep(300);
      await api.trigger(true);
    },
  },
  {
    name: `visibility expires mid-batch: records take ${SLOW_RECORD_MS} ms, visibility timeout ${VISIBILITY_TIMEOUT_SECONDS} s, function timeout 3 s`,
    play: async (api, failRate) => {
      await api.functionTimeout(3);
      await api.faults({ failRate, delayMs: SLOW_RECORD_MS });
      await sleep(1500);
      await api.faults({ failRate });
      await api.functionTimeout(FUNCTION_TIMEOUT_SECONDS);
    },
  },
  {
    name: "trigger toggled off and on rapidly",
    play: async (api) => {
      for (const [enabled, pause] of [[false, 20], [true, 20], [false, 50], [true, 0]] as const) {
        await api.trigger(enabled);
        await sleep(pause);
      }
    },
  },
  {
    name: "crashAfter 0: batches throw before their first record",
    play: async (api, failRate) => {
      await api.faults({ failRate, crashAfter: 0 });
      await sleep(300);
      await api.faults({ failRate });
    },
  },
];

/** Run the soak and judge it; the playground is stopped whatever happens. */
export async function runChaosSoak(options: SoakOptions): Promise<SoakReport> {
  const failRate = options.failRate ?? 0.3;
  const log = options.log ?? (() => {});
  const started = Date.now();
  const serverErrors: string[] = [];
  const workDone = new Map<number, number>();
  const config = parseConfig(
    {
      PORT: "0",
      SQS_PORT: "0",
      DATA_DIR: options.dataDir,
      VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY_TIMEOUT_SECONDS),
      FUNCTION_TIMEOUT_SECONDS: String(FUNCTION_TIMEOUT_SECONDS),
      HANDLER_WORK_MS: "2",
      TRIGGER_SCALING_SPEED: "10",
      RECONCILE_INTERVAL_SECONDS: "1",
    },
    "soak",
  );
  const playground = await startPlayground(config, {
    log: (message, error) => void serverErrors.push(`${message} ${error instanceof Error ? error.message : (error ?? "")}`.trim()),
    onWorkDone: (taskId) => void workDone.set(taskId, (workDone.get(taskId) ?? 0) + 1),
  });
  try {
    const events: FlowEvent[] = [];
    const fold = stateFromSnapshot(playground.snapshot());
    playground.events.subscribe((event) => {
      events.push(event);
      applyEvent(fold, event);
    });
    const api = controlApi(playground.url);
    await api.faults({ failRate });

    // Each act plays while a fresh share of the tasks arrives, so every kind of chaos meets work
    // (the verdict checks it did); 1,000 tasks go through the acts three times.
    const acts: string[] = [];
    const accepted: number[] = [];
    let refused = 0;
    const rounds = Math.max(1, Math.round(options.tasks / 350));
    const shares = rounds * ACTS.length;
    for (let i = 0, posted = 0; i < shares; i += 1) {
      const act = ACTS[i % ACTS.length]!;
      const share = Math.round((options.tasks * (i + 1)) / shares) - posted;
      log(`chaos: ${act.name}, while ${share} more tasks arrive`);
      acts.push(act.name);
      const [sent] = await Promise.all([postTasks(playground.url, posted, share, options.postConcurrency ?? 8), act.play(api, failRate)]);
      accepted.push(...sent.accepted);
      refused += sent.refused;
      posted += share;
      await sleep(200);
    }
    log(`posted ${options.tasks} tasks (${accepted.length} accepted); chaos over, failRate ${failRate} stays on until every task settles`);
    await settle(playground, options.settleTimeoutMs ?? 120_000, log);

    const queue = inspect(playground, config.QUEUE_NAME);
    const deadLetterQueue = inspect(playground, config.DLQ_NAME);
    const verdict = judgeSoak({ accepted, tasks: playground.store.list(), workDone, events, fold, queue, deadLetterQueue });
    const { counters } = fold;
    return {
      ...verdict,
      accepted: accepted.length,
      refused,
      acts,
      invocations: counters.invocations,
      failedInvocations: counters.failedInvocations,
      returned: counters.returned,
      deadLettered: counters.deadLettered,
      serverErrors,
      durationMs: Date.now() - started,
    };
  } finally {
    await playground.stop();
  }
}

function controlApi(url: string): ControlApi {
  const send = async (method: string, path: string, body: object) => {
    const response = await fetch(`${url}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  };
  return {
    faults: (body) => send("PUT", "/api/faults", body),
    trigger: (enabled) => send("PATCH", "/api/trigger", { Enabled: enabled }),
    functionTimeout: (seconds) => send("PATCH", "/api/function", { Timeout: seconds }),
  };
}

async function postTasks(url: string, first: number, count: number, concurrency: number) {
  const accepted: number[] = [];
  let refused = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = first + next++;
      const response = await fetch(`${url}/tasks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: `soak ${n}` }) });
      const body = (await response.json()) as Task;
      if (response.status === 201 || response.status === 202) accepted.push(body.id);
      else refused += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { accepted, refused };
}

/** Wait until no task is open, the task queue is empty and no batch runs, a few polls in a row. */
async function settle(playground: Playground, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let lastReport = 0;
  while (quiet < SETTLED_POLLS) {
    const open = playground.store.list().filter((t) => t.status === "pending" || t.status === "processing").length;
    const queue = inspect(playground, playground.queues.queueUrl.split("/").pop() ?? "");
    const queued = queue.visible + queue.inFlight + queue.delayed;
    const running = playground.trigger.concurrency.running;
    quiet = open === 0 && queued === 0 && running === 0 ? quiet + 1 : 0;
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      log(`settling: ${open} open task(s), ${queued} queued message(s), ${running} batch(es) running, trigger ${playground.trigger.state}`);
    }
    if (Date.now() > deadline) {
      log(`did not settle within ${timeoutMs} ms: ${open} open task(s), ${queued} queued message(s), trigger ${playground.trigger.state}`);
      return;
    }
    await sleep(200);
  }
}

function inspect(playground: Playground, name: string): QueueView {
  const view = playground.backend.inspect(Number.MAX_SAFE_INTEGER).find((queue) => queue.name === name);
  if (!view) throw new Error(`queue ${name} does not exist`);
  return view;
}
