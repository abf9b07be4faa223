import { spawn, type ChildProcess } from "node:child_process";
import type { EnvironmentEndReason, FunctionLanguage } from "../../common/events.js";
import { RuntimeApi, type RuntimeErrorPayload, type RuntimeInvocation } from "./runtimeApi.js";
import { LogBudget, StreamLines, type LogStream } from "./functionLog.js";

/** How to start one execution environment's runtime process. */
export interface EnvironmentSpec {
  id: string;
  language: FunctionLanguage;
  version: number;
  command: string;
  args: string[];
  /** The whole environment of the process (nothing of the server's own leaks in); AWS_LAMBDA_RUNTIME_API is added. */
  env: Record<string, string>;
  cwd: string;
  /** Lambda gives a function's init 10 s (ms). */
  initTimeoutMs: number;
}

export interface EnvironmentHooks {
  /** A line of output; `invocationId` null when written outside an invocation (init code, timers after one). */
  onLog(invocationId: string | null, stream: LogStream, line: string): void;
  /** The process is gone, whatever the reason; called once. */
  onEnded(reason: EnvironmentEndReason, detail: string): void;
}

/** How one invocation ended, as the environment saw it. */
export type InvokeOutcome =
  | { kind: "response"; body: string }
  | { kind: "error"; payload: RuntimeErrorPayload }
  | { kind: "timeout" }
  /** The process ended while the invocation ran (process.exit, sys.exit, a crash, out of memory), or could not start its handler. */
  | { kind: "ended"; payload: RuntimeErrorPayload };

interface Running {
  invocation: RuntimeInvocation;
  settle: (outcome: InvokeOutcome) => void;
  /** The result, held until both streams' end marks arrive, so the invocation's last lines are its own. */
  result: InvokeOutcome | null;
  marks: Set<LogStream>;
  budget: LogBudget;
  /** When the function is killed (epoch ms): set when its runtime takes the event, moved by holds. */
  deadlineMs: number | null;
  timer?: NodeJS.Timeout;
  /** Step-mode holds in progress: no kill while one is. */
  holds: number;
}

/** Once a result is in, the end marks are waited for at most this long (ms). */
const MARK_GRACE_MS = 200;

/**
 * One execution environment: a runtime process (node or python3) and its own Runtime API
 * endpoint. It runs one invocation at a time, stays warm between them, and is killed when an
 * invocation passes its deadline, so a timeout really stops the code. Whatever the function does
 * (loop, exit, crash, run out of memory) ends this process only.
 */
export class ExecutionEnvironment {
  readonly startedAt: number;
  /** Resolves with the init time (ms from spawn to the first `/next`); rejects if the runtime could not start its handler. */
  readonly ready: Promise<number>;
  private running: Running | null = null;
  private ended: { reason: EnvironmentEndReason; detail: string } | null = null;
  private initError: RuntimeErrorPayload | null = null;
  private idleBudget = new LogBudget();

  private constructor(
    readonly spec: EnvironmentSpec,
    private readonly api: RuntimeApi,
    private readonly child: ChildProcess,
    private readonly hooks: EnvironmentHooks,
    ready: Promise<number>,
  ) {
    this.startedAt = Date.now();
    this.ready = ready;
  }

  /** Starts the process; resolves as soon as it is spawned (wait for `ready` before counting on it). */
  static async start(spec: EnvironmentSpec, hooks: EnvironmentHooks): Promise<ExecutionEnvironment> {
    let environment: ExecutionEnvironment | undefined;
    let markReady: (ms: number) => void = () => {};
    let failReady: (error: Error) => void = () => {};
    const ready = new Promise<number>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
    ready.catch(() => {});
    const spawnedAt = performance.now();
    const api = await RuntimeApi.listen({
      onReady: () => markReady(performance.now() - spawnedAt),
      onResponse: (id, body) => environment?.result(id, { kind: "response", body }),
      onError: (id, payload) => environment?.result(id, { kind: "error", payload }),
      onInitError: (payload) => {
        if (!environment) return;
        environment.initError = payload;
        failReady(new Error(`${payload.errorType}: ${payload.errorMessage}`));
      },
    });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...spec.env, AWS_LAMBDA_RUNTIME_API: api.address },
      stdio: ["ignore", "pipe", "pipe"],
    });
    environment = new ExecutionEnvironment(spec, api, child, hooks, ready);
    const env = environment;
    for (const stream of ["stdout", "stderr"] as const) {
      const lines = new StreamLines(stream, (s, line) => env.line(s, line), (s, id) => env.endMark(s, id));
      child[stream]?.setEncoding("utf8");
      child[stream]?.on("data", (chunk: string) => lines.push(chunk));
      child[stream]?.on("end", () => lines.end());
    }
    const initTimer = setTimeout(() => env.kill("init-error", `its handler did not start within ${spec.initTimeoutMs / 1000} s`), spec.initTimeoutMs);
    void ready.then(() => clearTimeout(initTimer), () => clearTimeout(initTimer));
    child.once("error", (error) => {
      clearTimeout(initTimer);
      failReady(error);
      env.gone("exit", `its process could not start: ${error.message}`, error.message);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(initTimer);
      // Lambda's words for a runtime that ended: "Runtime exited with error: exit status 1".
      const status = signal ? `signal: ${signal === "SIGABRT" ? "aborted" : signal === "SIGKILL" ? "killed" : signal}` : `exit status ${code ?? 0}`;
      failReady(new Error(`Runtime exited with error: ${status}`));
      env.gone(env.initError ? "init-error" : "exit", env.initError ? `its handler could not be loaded (${env.initError.errorType})` : `its process ended (${status})`, status);
    });
    return environment;
  }

  get alive(): boolean {
    return this.ended === null;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Whether invocation `requestId` is the one running here. */
  runs(requestId: string): boolean {
    return this.running?.invocation.requestId === requestId;
  }

  /**
   * Runs one invocation: hands it to the runtime, and kills the process when its timeout has
   * passed since the runtime took the event, if no answer came. Never rejects.
   */
  invoke(invocation: RuntimeInvocation): Promise<InvokeOutcome> {
    if (!this.alive || this.running) throw new Error(`environment ${this.spec.id} cannot take an invocation now`);
    return new Promise<InvokeOutcome>((resolve) => {
      const running: Running = {
        invocation,
        settle: (outcome) => {
          clearTimeout(running.timer);
          running.deadlineMs = null;
          this.running = null;
          resolve(outcome);
        },
        result: null,
        marks: new Set(),
        budget: new LogBudget(),
        deadlineMs: null,
        holds: 0,
      };
      this.running = running;
      // The function's time starts when its runtime takes the event (after a cold start's init).
      this.api.deliver(invocation, (deadlineMs) => {
        running.deadlineMs = deadlineMs;
        this.armTimeout(running);
      });
    });
  }

  /**
   * The invocation `requestId`'s clock stands still while `pending` is pending (step mode holds the
   * function like a debugger): the kill at its timeout moves by the time held. Resolves with the
   * time held (ms), which the function adds to its own deadline. An invocation not running here is
   * not held (0).
   */
  async holdWhile(requestId: string, pending: Promise<unknown>): Promise<number> {
    const running = this.running;
    if (!running || running.invocation.requestId !== requestId) {
      await pending.catch(() => {});
      return 0;
    }
    const since = Date.now();
    running.holds += 1;
    clearTimeout(running.timer);
    try {
      await pending.catch(() => {});
    } finally {
      running.holds -= 1;
    }
    const heldMs = Date.now() - since;
    if (running.deadlineMs !== null) {
      running.deadlineMs += heldMs;
      if (this.running === running) this.armTimeout(running);
    }
    return heldMs;
  }

  private armTimeout(running: Running): void {
    clearTimeout(running.timer);
    if (running.deadlineMs === null || running.holds > 0) return;
    const { requestId } = running.invocation;
    running.timer = setTimeout(() => this.kill("timeout", `killed at the function timeout during invocation ${requestId}`), Math.max(0, running.deadlineMs - Date.now()));
  }

  /** Ends the process now (SIGKILL: nothing of the function runs after this). */
  kill(reason: EnvironmentEndReason, detail: string): void {
    if (!this.alive) return;
    this.ended = { reason, detail };
    this.child.kill("SIGKILL");
    // The exit event finishes the bookkeeping (gone); a process that never spawned has none.
    if (this.child.pid === undefined) this.gone(reason, detail, "signal: killed");
  }

  private result(requestId: string, outcome: InvokeOutcome): void {
    const running = this.running;
    if (!running || running.invocation.requestId !== requestId) return;
    running.result = outcome;
    if (running.marks.size === 2) return this.finish();
    setTimeout(() => this.running === running && this.finish(), MARK_GRACE_MS).unref();
  }

  private endMark(stream: LogStream, requestId: string): void {
    const running = this.running;
    if (!running || running.invocation.requestId !== requestId) return;
    running.marks.add(stream);
    if (running.marks.size === 2 && running.result) this.finish();
  }

  private finish(): void {
    const running = this.running;
    if (!running?.result) return;
    const summary = running.budget.summary();
    if (summary) this.hooks.onLog(running.invocation.requestId, "stdout", summary);
    running.settle(running.result);
  }

  private line(stream: LogStream, line: string): void {
    if (line.trim() === "") return;
    // Output after an invocation's end mark (a timer it left behind) belongs to no invocation.
    const running = this.running && this.running.marks.has(stream) ? null : this.running;
    const text = (running?.budget ?? this.idleBudget).take(line);
    if (text !== null) this.hooks.onLog(running?.invocation.requestId ?? null, stream, text);
  }

  private gone(fallbackReason: EnvironmentEndReason, fallbackDetail: string, status: string): void {
    if (this.endedReported) return;
    this.endedReported = true;
    const ended = this.ended ?? { reason: fallbackReason, detail: fallbackDetail };
    this.ended = ended;
    this.api.close();
    const running = this.running;
    if (running?.result) this.finish();
    else if (running && ended.reason === "timeout") running.settle({ kind: "timeout" });
    else if (running) {
      const payload = this.initError ?? { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${running.invocation.requestId} Error: Runtime exited with error: ${status}`, stackTrace: [] };
      running.settle({ kind: "ended", payload });
    }
    this.hooks.onEnded(ended.reason, ended.detail);
  }

  private endedReported = false;
}
