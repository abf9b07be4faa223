import type { ClaimResult, TaskStore } from "./taskStore.js";
import {
  INTERNAL_PREFIX,
  INTERNAL_ROUTES,
  type ChangeVisibilityRequest,
  type ChargeRequest,
  type ChargeResult,
  type ClaimRequest,
  type CompleteRequest,
  type InvocationConfig,
  type InvocationEnded,
  type InvocationStarted,
  type ReleaseRequest,
  type StepPauseRequest,
  type StepPauseResult,
  type StoreCall,
  type StoreCallsResult,
} from "../common/internalApi.js";

/**
 * What PlaygroundLink needs of `fetch`: a status and the body's text. `timeoutMs`: the call
 * rejects when no answer came within that many ms (absent: no limit).
 */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; timeoutMs?: number }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** The global fetch as a FetchLike: the time limit becomes an AbortSignal. */
export const timedFetch: FetchLike = (url, { timeoutMs, ...init }) => fetch(url, { ...init, ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }) });

/** The playground could not be reached or refused a call: the invocation fails and SQS redelivers. */
export class PlaygroundLinkError extends Error {
  override readonly name = "PlaygroundLinkError";
}

/**
 * The handler's way back to the playground when it runs in another process (LocalStack's or AWS's
 * Lambda): a TaskStore over HTTP, so the playground stays the only writer of its database, plus
 * the per-invocation settings and the reports that let the visualizer draw the Lambda side.
 */
export class PlaygroundLink implements TaskStore {
  private readonly base: string;
  /** Completions not sent yet (deferCompletions): they go with the next call. */
  private pending: CompleteRequest[] = [];
  /** Tasks whose deferred completion the playground refused, or whose request failed, since the last settle(). */
  private refused: number[] = [];

  /**
   * `deferCompletions`: complete() resolves true at once and the completion goes to the playground
   * with the next store call (in one request, in order) or at settle(), so a record costs the
   * function one request and one wake-up instead of two. The function must settle() before it
   * returns (and before it throws) and fail its batch when a completion was refused.
   */
  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: FetchLike = timedFetch,
    private readonly options: { deferCompletions?: boolean } = {},
  ) {
    this.base = `${baseUrl.replace(/\/+$/, "")}${INTERNAL_PREFIX}`;
  }

  claim(taskId: number, invocationId: string, leaseMs: number): Promise<ClaimResult> {
    if (this.pending.length > 0) return this.withPending<ClaimResult>({ call: "claim", taskId, invocationId, leaseMs });
    return this.call<ClaimResult>("POST", INTERNAL_ROUTES.claim, { taskId, invocationId, leaseMs } satisfies ClaimRequest);
  }

  async complete(taskId: number, invocationId: string): Promise<boolean> {
    if (this.options.deferCompletions) {
      this.pending.push({ taskId, invocationId });
      return true;
    }
    const { completed } = await this.call<{ completed: boolean }>("POST", INTERNAL_ROUTES.complete, { taskId, invocationId } satisfies CompleteRequest);
    return completed;
  }

  async release(taskId: number, invocationId: string, reason: string): Promise<void> {
    if (this.pending.length > 0) {
      await this.withPending({ call: "release", taskId, invocationId, reason });
      return;
    }
    await this.call("POST", INTERNAL_ROUTES.release, { taskId, invocationId, reason } satisfies ReleaseRequest);
  }

  /**
   * Sends the completions still waiting (deferCompletions); resolves with the ids of the tasks
   * whose deferred completion was refused (the claim had run out) or may not have arrived (the
   * request failed) since the last settle. Never rejects.
   */
  async settle(): Promise<number[]> {
    await this.sendPending();
    const refused = this.refused;
    this.refused = [];
    return refused;
  }

  /** One request with the waiting completions first, then `last` (if any); resolves with `last`'s answer. */
  private async withPending<T>(last: StoreCall | null): Promise<T> {
    const completions = this.pending;
    this.pending = [];
    const calls: StoreCall[] = [...completions.map((c): StoreCall => ({ call: "complete", ...c })), ...(last ? [last] : [])];
    let results: unknown[];
    try {
      ({ results } = await this.call<StoreCallsResult>("POST", INTERNAL_ROUTES.calls, { calls }));
    } catch (error) {
      this.refused.push(...completions.map((c) => c.taskId));
      throw error;
    }
    completions.forEach((c, i) => {
      if ((results[i] as { completed?: boolean } | undefined)?.completed !== true) this.refused.push(c.taskId);
    });
    return results[completions.length] as T;
  }

  /** Charges the task's order through the playground's payment service (lab 1); resolves with that order's charges so far. */
  async charge(taskId: number): Promise<number> {
    await this.sendPending();
    const { charges } = await this.call<ChargeResult>("POST", INTERNAL_ROUTES.charge, { taskId } satisfies ChargeRequest);
    return charges;
  }

  /** Step mode: waits for the learner's Next before a completion is written; resolves with the time held (ms). No time limit: a learner may read for minutes. */
  async stepPause(request: StepPauseRequest): Promise<number> {
    await this.sendPending();
    const { heldMs } = await this.call<StepPauseResult>("POST", INTERNAL_ROUTES.stepPause, request, null);
    return heldMs;
  }

  /** ChangeMessageVisibility through the playground's SQS client for the function (its calls show as the function's on the wire). */
  async changeVisibility(request: ChangeVisibilityRequest): Promise<void> {
    await this.sendPending();
    await this.call("POST", INTERNAL_ROUTES.changeVisibility, request);
  }

  /**
   * The waiting completions, alone: before a call that is not the store's (a pause must not hold
   * back the previous task's completion) and at settle(). A failure is not thrown: withPending
   * has counted those completions as refused, for settle() to report.
   */
  private async sendPending(): Promise<void> {
    if (this.pending.length > 0) await this.withPending(null).catch(() => {});
  }

  invocationConfig(): Promise<InvocationConfig> {
    return this.call<InvocationConfig>("GET", INTERNAL_ROUTES.invocationConfig);
  }

  async started(report: InvocationStarted): Promise<void> {
    await this.call("POST", INTERNAL_ROUTES.invocationStarted, report);
  }

  async ended(report: InvocationEnded): Promise<void> {
    await this.call("POST", INTERNAL_ROUTES.invocationEnded, report);
  }

  /** `timeoutMs`: null for none (a step-mode pause lasts as long as the learner reads). */
  private async call<T>(method: "GET" | "POST", path: string, body?: unknown, timeoutMs: number | null = 10_000): Promise<T> {
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(timeoutMs === null ? {} : { timeoutMs }),
      });
    } catch (error) {
      throw new PlaygroundLinkError(`the playground at ${this.base} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    if (!response.ok) throw new PlaygroundLinkError(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}
