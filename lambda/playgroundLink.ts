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
} from "../common/internalApi.js";

/** What PlaygroundLink needs of `fetch`: a status and the body's text (the global fetch is one). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

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

  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: FetchLike = fetch,
  ) {
    this.base = `${baseUrl.replace(/\/+$/, "")}${INTERNAL_PREFIX}`;
  }

  claim(taskId: number, invocationId: string, leaseMs: number): Promise<ClaimResult> {
    return this.call<ClaimResult>("POST", INTERNAL_ROUTES.claim, { taskId, invocationId, leaseMs } satisfies ClaimRequest);
  }

  async complete(taskId: number, invocationId: string): Promise<boolean> {
    const { completed } = await this.call<{ completed: boolean }>("POST", INTERNAL_ROUTES.complete, { taskId, invocationId } satisfies CompleteRequest);
    return completed;
  }

  async release(taskId: number, invocationId: string, reason: string): Promise<void> {
    await this.call("POST", INTERNAL_ROUTES.release, { taskId, invocationId, reason } satisfies ReleaseRequest);
  }

  /** Charges the task's order through the playground's payment service (lab 1); resolves with that order's charges so far. */
  async charge(taskId: number): Promise<number> {
    const { charges } = await this.call<ChargeResult>("POST", INTERNAL_ROUTES.charge, { taskId } satisfies ChargeRequest);
    return charges;
  }

  /** Step mode: waits for the learner's Next before a completion is written; resolves with the time held (ms). No time limit: a learner may read for minutes. */
  async stepPause(request: StepPauseRequest): Promise<number> {
    const { heldMs } = await this.call<StepPauseResult>("POST", INTERNAL_ROUTES.stepPause, request, null);
    return heldMs;
  }

  /** ChangeMessageVisibility through the playground's SQS client for the function (its calls show as the function's on the wire). */
  async changeVisibility(request: ChangeVisibilityRequest): Promise<void> {
    await this.call("POST", INTERNAL_ROUTES.changeVisibility, request);
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
        ...(timeoutMs === null ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
      });
    } catch (error) {
      throw new PlaygroundLinkError(`the playground at ${this.base} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    if (!response.ok) throw new PlaygroundLinkError(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}
