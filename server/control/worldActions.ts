// What "Reset the world", "Redrive" and "Start a trial" do, over the parts the playground wired.
import { setTimeout as sleep } from "node:timers/promises";
import type { FlowEventBody } from "../../common/events.js";
import type { PlaygroundState } from "../../common/state.js";
import type { WorldActions } from "../api/lessonRoutes.js";

/** How long a reset waits at most for the invocations in flight to end (ms): an in-process handler cannot be stopped, only waited for. */
const SETTLE_LIMIT_MS = 3_000;
const SETTLE_POLL_MS = 10;

export interface WorldParts {
  /** Step mode: `abandon()` turns it off and fails every step it holds. */
  gate: { abandon(): void };
  /** The function's execution environments (functions out of process): `endBusy` stops those running an invocation. */
  environments: { endBusy(detail: string): void } | null;
  /** The standard and the FIFO mappings: a reset waits until neither has an invocation in flight. */
  triggers: { readonly concurrency: { readonly running: number } }[];
  faults: { set(faults: object): unknown };
  /** The standard and the FIFO mappings' controls: back to the settings the playground started with. */
  controls: { restoreDefaults(): Promise<unknown> }[];
  /** The deployed function, when functions run out of process: back to the playground's own handler. */
  functionCode: { resetIfDeployed(): Promise<unknown> } | null;
  world: { purgeAll(): Promise<unknown> };
  store: { clear(): Promise<unknown> };
  payments: { clear(): void };
  redrive: () => Promise<number>;
  /** The server's fold of the events (it has seen every task.created already: events are applied as they are published). */
  mirror: PlaygroundState;
  publish: (event: FlowEventBody) => void;
}

/**
 * The world actions of the lesson routes. A reset first ends the old world's work: step mode off
 * with what it held abandoned (not released: a held invocation would go on to claim, complete and
 * delete while the reset clears, and speak of tasks the new world does not have), faults cleared,
 * every queue purged (messages in flight too, as PurgeQueue does), the invocations still running
 * stopped with their environments, and a wait (SETTLE_LIMIT_MS at most) until the mappings have
 * none in flight. Then the mappings' and the function's settings go back, the tasks and the
 * payments are cleared, and `world.reset` says so, after every event of the old world.
 */
export function worldActions(parts: WorldParts): WorldActions {
  const settled = async () => {
    const until = Date.now() + SETTLE_LIMIT_MS;
    while (parts.triggers.some((trigger) => trigger.concurrency.running > 0) && Date.now() < until) await sleep(SETTLE_POLL_MS);
  };
  return {
    async resetWorld() {
      parts.gate.abandon();
      parts.faults.set({});
      await parts.world.purgeAll();
      parts.environments?.endBusy("the world was reset while it ran an invocation");
      await settled();
      for (const controls of parts.controls) await controls.restoreDefaults();
      // The function too: every lesson starts from the playground's own handler (a learner's drafts stay in their page's cells).
      await parts.functionCode?.resetIfDeployed();
      await parts.store.clear();
      parts.payments.clear();
      parts.publish({ type: "world.reset" });
    },
    redrive: parts.redrive,
    startTrial() {
      const afterTaskId = parts.mirror.lastTaskId ?? 0;
      parts.publish({ type: "trial.started", afterTaskId });
      return afterTaskId;
    },
  };
}
