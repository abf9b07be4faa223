import { FLOW_STEPS, type FlowStep, type PausedStep } from "../../common/events.js";
import type { Publish } from "../events/eventLog.js";

/** A paused step was abandoned (step mode torn down for shutdown): the caller takes its failure path. */
export class StepAborted extends Error {
  override readonly name = "StepAborted";
  constructor(step: FlowStep) {
    super(`step "${step}" was abandoned while paused (shutting down)`);
  }
}

interface Waiting extends PausedStep {
  release: () => void;
  abort: () => void;
}

/**
 * Step mode: while enabled, the real pipeline waits before each of the six steps until `next`
 * releases the oldest waiting step. Nothing is simulated: the message really sits in flight,
 * SQS's clock keeps running, and a visibility timeout can run out while a step is paused.
 */
export class StepGate {
  private enabled = false;
  private closed = false;
  private nextId = 1;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly publish: Publish) {}

  get isEnabled(): boolean {
    return this.enabled;
  }

  paused(): PausedStep[] {
    return this.waiting.map(({ release: _r, abort: _a, ...step }) => step);
  }

  /** Resolves at once when step mode is off; otherwise when this step is released. */
  pass(step: FlowStep, about: { taskId?: number | null; messageIds?: string[]; detail: string }): Promise<void> {
    // Closed (shutting down): nothing waits any more, and work already under way runs to its end.
    if (this.closed || !this.enabled) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const paused: PausedStep = {
        pauseId: this.nextId++,
        step,
        stepNumber: FLOW_STEPS.indexOf(step) + 1,
        taskId: about.taskId ?? null,
        messageIds: about.messageIds ?? [],
        detail: about.detail,
      };
      this.waiting.push({ ...paused, release: resolve, abort: () => reject(new StepAborted(step)) });
      this.publish({ type: "step.paused", ...paused });
    });
  }

  /** Release exactly one step, the one that has waited longest. */
  next(): PausedStep | undefined {
    const first = this.waiting.shift();
    if (!first) return undefined;
    const { release, abort: _abort, ...step } = first;
    this.publish({ type: "step.released", pauseId: step.pauseId, step: step.step });
    release();
    return step;
  }

  /** Turning step mode off releases everything that is waiting. */
  setEnabled(enabled: boolean): void {
    if (this.closed || enabled === this.enabled) return;
    this.enabled = enabled;
    this.publish({ type: "step-mode.changed", enabled });
    if (!enabled) while (this.waiting.length > 0) this.next();
  }

  /**
   * For shutdown: every waiting step fails (its work takes its failure path), and no new step
   * ever waits, so stopping never hangs. Steps not paused pass: a batch in flight finishes.
   */
  close(): void {
    this.closed = true;
    this.enabled = false;
    for (const waiting of this.waiting.splice(0)) waiting.abort();
  }
}
