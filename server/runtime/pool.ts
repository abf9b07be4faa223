import { randomBytes } from "node:crypto";
import type { FlowEventBody } from "../../common/events.js";
import { ExecutionEnvironment, type InvokeOutcome } from "./environment.js";
import type { RuntimeInvocation } from "./runtimeApi.js";
import { environmentSpec, type Deployment, type FunctionSetup } from "./runtimes.js";

export interface PoolOptions {
  setup: FunctionSetup;
  publish: (event: FlowEventBody) => void;
  /** Environments at once, busy or idle; an invocation beyond them is throttled, as Lambda does at a function's concurrency limit. */
  maxEnvironments: number;
  /** An idle environment is stopped after this long (ms). */
  idleMs: number;
  /** Runtimes starting at once, at most (the others wait their turn, their clock stopped as during init). */
  maxStarting: number;
}

/** An invocation's outcome, and whether it paid for a cold start. */
export type PoolOutcome = InvokeOutcome & { coldStart?: { environmentId: string; initMs: number } };

const unavailable = (errorMessage: string): PoolOutcome => ({ kind: "ended", payload: { errorType: "Runtime.Unavailable", errorMessage, stackTrace: [] } });

/**
 * The function's execution environments: one process per concurrent invocation, reused while
 * warm (the most recently used first, as Lambda tends to), started cold when none is free, and
 * replaced when one ends. A deploy retires the old version's environments: idle ones at once,
 * busy ones when their invocation ends.
 */
export class EnvironmentPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly idleTimers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  private current: Deployment | null = null;
  private stopped = false;
  /** Invocations waiting for an environment while every one allowed is busy: each is given one as it frees (undefined: start one). */
  private readonly waiting: ((environment: ExecutionEnvironment | undefined) => void)[] = [];
  /** Environments waiting for a start slot or being spawned (not yet in `environments`). */
  private starting = 0;
  /** Start slots taken: runtimes spawned and not yet ready (startQueue holds the invocations waiting for one). */
  private spawning = 0;
  private readonly startQueue: (() => void)[] = [];
  /** The next version is being prepared (the lesson's function is bundled at start-up): invocations wait for it. */
  private preparing: Promise<unknown> | null = null;

  constructor(private readonly options: PoolOptions) {}

  /**
   * At most this many runtimes start at once (one per core): on a small machine, five node
   * processes starting together took 0.7–2.8 s each and starved the warm ones of CPU.
   */
  private startSlot(): Promise<() => void> {
    const take = (): (() => void) => {
      this.spawning += 1;
      let given = false;
      return () => {
        if (given) return;
        given = true;
        this.spawning -= 1;
        this.startQueue.shift()?.();
      };
    };
    if (this.spawning < this.options.maxStarting) return Promise.resolve(take());
    return new Promise((resolve) => this.startQueue.push(() => resolve(take())));
  }

  /** Environments alive now (busy or idle). */
  get size(): number {
    return this.environments.size;
  }

  /** The version the next invocations run, once `deployment` resolves (they wait for it); environments of other versions are retired. */
  use(deployment: Deployment | null | Promise<Deployment>): void {
    if (deployment instanceof Promise) {
      const preparing = deployment.then(
        (ready) => {
          // A later use() replaced this one meanwhile: it decides what runs.
          if (this.preparing !== preparing) return;
          this.preparing = null;
          this.use(ready);
        },
        () => {
          if (this.preparing === preparing) this.preparing = null;
        },
      );
      this.preparing = preparing;
      return;
    }
    this.preparing = null;
    this.current = deployment;
    for (const environment of [...this.idle]) if (environment.spec.version !== deployment?.version) this.stopIdle(environment, "retired", `version ${environment.spec.version} was replaced`);
  }

  /**
   * Runs one invocation of the current deployment. Never rejects. `duringInit` is told of a cold
   * start's init (it settles when the runtime asks for its first event), so the caller can stop
   * the invocation's clock meanwhile: on Lambda the timeout counts from the end of init.
   */
  async invoke(invocation: RuntimeInvocation, duringInit: (init: Promise<unknown>) => void = () => {}): Promise<PoolOutcome> {
    if (this.preparing) {
      const prepared = this.preparing;
      duringInit(prepared);
      await prepared;
    }
    let deployment = this.current;
    if (!deployment || this.stopped) return unavailable("no function code is deployed");
    let environment = this.takeIdle(deployment.version);
    if (!environment && this.environments.size + this.starting >= this.options.maxEnvironments) {
      this.evictIdle();
      // This machine's limit, not Lambda's: the invocation waits for an environment, its clock stopped meanwhile.
      if (this.environments.size + this.starting >= this.options.maxEnvironments) {
        const freed = new Promise<ExecutionEnvironment | undefined>((resolve) => this.waiting.push(resolve));
        duringInit(freed);
        environment = await freed;
        deployment = this.current;
        if (!deployment || this.stopped) {
          if (environment) this.release(environment);
          return unavailable("the playground stopped");
        }
      }
    }
    let coldStart: PoolOutcome["coldStart"];
    if (!environment) {
      // Counted against the limit from now on, and started only once a start slot is free.
      this.starting += 1;
      let spawned: (() => void) | undefined;
      try {
        const slot = this.startSlot();
        duringInit(slot);
        spawned = await slot;
        if (this.stopped) {
          spawned();
          return unavailable("the playground stopped");
        }
        environment = await this.startEnvironment(deployment);
      } catch (error) {
        spawned?.();
        throw error;
      } finally {
        this.starting -= 1;
      }
      // The slot is held until the runtime asks for its first event (or fails to).
      void environment.ready.then(spawned, spawned);
      const started = environment;
      // Cold: the event says so once the runtime asks for its first event (its init time).
      void environment.ready.then(
        (initMs) => this.options.publish({ type: "lambda.cold-start", invocationId: invocation.requestId, environmentId: started.spec.id, language: deployment.language, version: deployment.version, initMs: Math.round(initMs * 10) / 10 }),
        () => {},
      );
      coldStart = { environmentId: environment.spec.id, initMs: 0 };
      duringInit(environment.ready.catch(() => {}));
    }
    const outcome = await environment.invoke(invocation);
    if (coldStart) coldStart.initMs = await environment.ready.catch(() => 0);
    this.release(environment);
    return coldStart ? { ...outcome, coldStart } : outcome;
  }

  /**
   * The invocation `requestId`'s clock stands still while `pending` is pending (a step-mode pause
   * inside the function): its kill at the timeout moves by the time held. Resolves with the time
   * held (ms); 0 when no environment runs that invocation.
   */
  holdWhile(requestId: string, pending: Promise<unknown>): Promise<number> {
    for (const environment of this.environments) if (environment.runs(requestId)) return environment.holdWhile(requestId, pending);
    return pending.then(() => 0, () => 0);
  }

  /**
   * Kills every environment running an invocation (a world reset): each such invocation ends at
   * once with Runtime.ExitError, as when its process is gone. Idle environments stay warm.
   */
  endBusy(detail: string): void {
    for (const environment of this.environments) if (environment.busy) environment.kill("retired", detail);
  }

  /** Stops every environment (the playground is stopping). */
  stop(): void {
    this.stopped = true;
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
    for (const next of this.startQueue.splice(0)) next();
    for (const environment of this.environments) environment.kill("retired", "the playground stopped");
  }

  private async startEnvironment(deployment: Deployment): Promise<ExecutionEnvironment> {
    const id = randomBytes(8).toString("hex");
    await this.options.setup.reachable;
    const environment = await ExecutionEnvironment.start(environmentSpec(this.options.setup, deployment, id), {
      onLog: (invocationId, stream, message) => this.options.publish({ type: "lambda.log", invocationId, environmentId: id, stream, message }),
      onEnded: (reason, detail) => {
        this.forget(environment);
        this.options.publish({ type: "lambda.environment-ended", environmentId: id, reason, detail });
      },
    });
    this.environments.add(environment);
    return environment;
  }

  private takeIdle(version: number): ExecutionEnvironment | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const environment = this.idle[i];
      if (!environment || environment.spec.version !== version || !environment.alive) continue;
      this.idle.splice(i, 1);
      clearTimeout(this.idleTimers.get(environment));
      this.idleTimers.delete(environment);
      return environment;
    }
    return undefined;
  }

  private release(environment: ExecutionEnvironment): void {
    if (!environment.alive) return this.handOn(undefined);
    if (this.stopped || environment.spec.version !== this.current?.version) {
      environment.kill("retired", `version ${environment.spec.version} was replaced`);
      return this.handOn(undefined);
    }
    if (this.waiting.length > 0) return this.handOn(environment);
    this.idle.push(environment);
    const timer = setTimeout(() => this.stopIdle(environment, "idle", `idle for ${Math.round(this.options.idleMs / 1000)} s`), this.options.idleMs);
    timer.unref();
    this.idleTimers.set(environment, timer);
  }

  /** A waiting invocation gets this environment, or (undefined) room to start its own. */
  private handOn(environment: ExecutionEnvironment | undefined): void {
    const next = this.waiting.shift();
    if (next) next(environment);
    else if (environment) this.release(environment);
  }

  /** At the limit with an idle environment of an older version: it makes room. */
  private evictIdle(): void {
    const stale = this.idle.find((environment) => environment.spec.version !== this.current?.version);
    if (stale) this.stopIdle(stale, "retired", `version ${stale.spec.version} was replaced`);
  }

  private stopIdle(environment: ExecutionEnvironment, reason: "retired" | "idle", detail: string): void {
    this.forget(environment);
    environment.kill(reason, detail);
  }

  private forget(environment: ExecutionEnvironment): void {
    this.environments.delete(environment);
    const at = this.idle.indexOf(environment);
    if (at >= 0) this.idle.splice(at, 1);
    clearTimeout(this.idleTimers.get(environment));
    this.idleTimers.delete(environment);
  }
}
