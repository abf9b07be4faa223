import { FLOW_STEP_NUMBER, type FlowStep, type PausedStep, type StepModeSettings } from "../../common/events.js";
import type { Publish } from "../events/eventLog.js";
import { ControlError } from "./errors.js";

/**
 * A paused step was abandoned: the playground is shutting down, or the learner reset the world
 * (`why`). The caller takes its failure path: nothing held from the old world goes on in the new.
 */
export class StepAborted extends Error {
  override readonly name = "StepAborted";
  constructor(
    step: FlowStep,
    readonly why: "shutdown" | "reset" = "shutdown",
  ) {
    super(`step "${step}" was abandoned while paused (${why === "reset" ? "the world was reset" : "shutting down"})`);
  }
}

/**
 * Something to keep doing while a step waits (the trigger's visibility heartbeat); returns how to
 * stop it. Called only while step mode's heartbeat is on.
 */
export type WhilePaused = () => () => void;

interface Waiting extends PausedStep {
  release: () => void;
  abort: (why: StepAborted["why"]) => void;
}

/**
 * Validates a step-mode setting as PUT /api/step-mode and a lesson's step-mode block take it:
 * `{"enabled": boolean, "heartbeat"?: boolean}` (heartbeat defaults to true).
 * @throws ControlError 400 InvalidStepMode naming the expected shape.
 */
export function parseStepModeSettings(body: unknown): StepModeSettings {
  const record = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const valid =
    record !== undefined &&
    typeof record.enabled === "boolean" &&
    (record.heartbeat === undefined || typeof record.heartbeat === "boolean") &&
    Object.keys(record).every((k) => k === "enabled" || k === "heartbeat");
  if (!valid) throw new ControlError(400, "InvalidStepMode", 'send {"enabled": true|false} and optionally "heartbeat": true|false');
  return { enabled: record.enabled as boolean, heartbeat: (record.heartbeat as boolean | undefined) ?? true };
}

/**
 * Step mode: while enabled, the real pipeline waits before each of the six steps until `next`
 * releases the oldest waiting step. Nothing is simulated: the message really sits in flight and
 * SQS's clock keeps running. With the heartbeat on (the default), a step that holds received
 * messages keeps them in flight with ChangeMessageVisibility, as a long-running consumer does, so
 * a pause of any length releases the step it names; with it off, the visibility timeout runs out
 * during a long pause and the message comes back.
 */
export class StepGate {
  private enabled = false;
  private heartbeatOn = true;
  private closed = false;
  private nextId = 1;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly publish: Publish) {}

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Whether a paused step keeps its messages in flight (see the class comment). */
  get heartbeat(): boolean {
    return this.heartbeatOn;
  }

  paused(): PausedStep[] {
    return this.waiting.map(({ release: _r, abort: _a, ...step }) => step);
  }

  /**
   * Resolves at once when step mode is off; otherwise when this step is released. `whilePaused`
   * runs from the pause to its release (or abort) when the heartbeat is on.
   */
  pass(step: FlowStep, about: { taskId?: number | null; messageIds?: string[]; detail: string }, whilePaused?: WhilePaused): Promise<void> {
    // Closed (shutting down): nothing waits any more, and work already under way runs to its end.
    if (this.closed || !this.enabled) return Promise.resolve();
    const stop = this.heartbeatOn && whilePaused ? whilePaused() : () => {};
    return new Promise<void>((resolve, reject) => {
      const paused: PausedStep = {
        pauseId: this.nextId++,
        step,
        stepNumber: FLOW_STEP_NUMBER[step],
        taskId: about.taskId ?? null,
        messageIds: about.messageIds ?? [],
        detail: about.detail,
      };
      const release = () => (stop(), resolve());
      const abort = (why: StepAborted["why"]) => (stop(), reject(new StepAborted(step, why)));
      this.waiting.push({ ...paused, release, abort });
      this.publish({ type: "step.paused", ...paused });
    });
  }

  /** The step that has waited longest, which `next` releases. */
  get oldest(): PausedStep | undefined {
    return this.paused()[0];
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
  setEnabled(enabled: boolean, heartbeat = true): void {
    if (this.closed || (enabled === this.enabled && heartbeat === this.heartbeatOn)) return;
    this.enabled = enabled;
    this.heartbeatOn = heartbeat;
    this.publish({ type: "step-mode.changed", enabled, heartbeat });
    if (!enabled) while (this.waiting.length > 0) this.next();
  }

  /**
   * For "Reset the world": step mode off, and every waiting step fails (StepAborted "reset")
   * instead of going on. Released, a held invocation would claim, complete and delete while the
   * reset purged and cleared, and speak of a task the new world does not have.
   */
  abandon(): void {
    if (this.closed) return;
    if (this.enabled) {
      this.enabled = false;
      this.publish({ type: "step-mode.changed", enabled: false, heartbeat: this.heartbeatOn });
    }
    for (const waiting of this.waiting.splice(0)) waiting.abort("reset");
  }

  /**
   * For shutdown: every waiting step fails (its work takes its failure path), and no new step
   * ever waits, so stopping never hangs. Steps not paused pass: a batch in flight finishes.
   */
  close(): void {
    this.closed = true;
    this.enabled = false;
    for (const waiting of this.waiting.splice(0)) waiting.abort("shutdown");
  }
}
