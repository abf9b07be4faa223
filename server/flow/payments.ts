import { setTimeout as sleep } from "node:timers/promises";
import type { FlowEventBody } from "../../common/events.js";

export interface PaymentsDeps {
  /** Whether the task exists: only a real order can be charged. */
  taskExists: (taskId: number) => boolean;
  /** How long the payment service takes to answer one charge (ms): the chaos panel's delay per record. */
  latencyMs: () => number;
  publish: (event: FlowEventBody) => void;
}

/**
 * The playground's payment service, which a deployed function reaches through the `charge`
 * helper (lambda/runtime/playground.ts and playground.py). It is a side effect outside the task
 * database, as a real payment provider is: it charges every time it is asked, however often the
 * same order is asked for, so a handler that is not idempotent charges a redelivered order again
 * (failure lab 1). Each charge is one `charge.made` event; the lab's checks count them.
 */
export class Payments {
  private readonly charges = new Map<number, number>();

  constructor(private readonly deps: PaymentsDeps) {}

  /**
   * Charges the order of `taskId` after the service's latency. Resolves with that task's charges
   * so far (this one included), or null when there is no such task — before the wait, or after
   * it if the world was reset meanwhile; nothing is charged then.
   */
  async charge(taskId: number): Promise<number | null> {
    if (!this.deps.taskExists(taskId)) return null;
    const latency = this.deps.latencyMs();
    if (latency > 0) await sleep(latency);
    if (!this.deps.taskExists(taskId)) return null;
    const charges = (this.charges.get(taskId) ?? 0) + 1;
    this.charges.set(taskId, charges);
    this.deps.publish({ type: "charge.made", taskId, charges });
    return charges;
  }

  /** Forget every charge (a world reset, which also removes every task). */
  clear(): void {
    this.charges.clear();
  }
}
