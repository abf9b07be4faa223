// What "Reset the world", "Redrive" and "Start a trial" do, over the parts the playground wired.
import type { FlowEventBody } from "../../common/events.js";
import type { PlaygroundState } from "../../common/state.js";
import type { WorldActions } from "../api/lessonRoutes.js";

export interface WorldParts {
  gate: { setEnabled(enabled: boolean): void };
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
 * The world actions of the lesson routes. A reset turns step mode off and clears the faults first
 * (nothing held or failing while the queues are purged), puts the mappings' and the function's
 * settings back, purges every queue, clears the tasks and the payments, then says so
 * (`world.reset`), in that order.
 */
export function worldActions(parts: WorldParts): WorldActions {
  return {
    async resetWorld() {
      parts.gate.setEnabled(false);
      parts.faults.set({});
      for (const controls of parts.controls) await controls.restoreDefaults();
      // The function too: every lesson starts from the playground's own handler (a learner's drafts stay in their page's cells).
      await parts.functionCode?.resetIfDeployed();
      await parts.world.purgeAll();
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
