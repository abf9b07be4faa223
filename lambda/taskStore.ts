import type { Task } from "../common/events.js";

/**
 * The handler's only way to the database. In embedded mode the server passes its own store;
 * when the handler runs inside LocalStack or AWS it gets an HTTP client to the server instead,
 * so the server stays the single writer of the lowdb file.
 */
export interface TaskStore {
  /**
   * Start work on a task, atomically. `claimed`: this invocation owns it until `leaseMs` runs out.
   * `done`: already completed (a redelivery) — acknowledge without redoing the work.
   * `busy`: another invocation holds a live lease — let the message come back later.
   * `missing`: no such task — the message is poison.
   * `failed`: given up on, its message dead-lettered — a late or duplicate delivery must not revive
   *   it; the message is left to follow the first one to the dead-letter queue (a redrive reopens it).
   */
  claim(taskId: number, invocationId: string, leaseMs: number): Promise<ClaimResult>;
  /** Finish a claimed task. False when this invocation no longer holds the claim. */
  complete(taskId: number, invocationId: string): Promise<boolean>;
  /** Give a claimed task back after a failed attempt; its message will be delivered again. */
  release(taskId: number, invocationId: string, reason: string): Promise<void>;
}

export type ClaimResult =
  | { outcome: "claimed"; task: Task }
  | { outcome: "done"; task: Task }
  | { outcome: "busy"; task: Task }
  | { outcome: "failed"; task: Task }
  | { outcome: "missing" };
