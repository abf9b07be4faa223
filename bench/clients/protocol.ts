/** What the bench asks its client process to do, and what that process answers. */
export type ClientJob =
  /** POST /tasks one at a time, each waiting for its `completed` event: end-to-end latency. */
  | { kind: "sequential-tasks"; url: string; count: number }
  /** POST /tasks from `concurrency` clients at once until `count` are posted (says `{started}` when the clock starts). */
  | { kind: "burst-tasks"; url: string; count: number; concurrency: number }
  /** SendMessage then wait for a waiting ReceiveMessage to return it: SQS's own round trip. */
  | { kind: "sequential-raw"; endpoint: string; count: number }
  /** SendMessage from `concurrency` loops until `count` are sent: SQS's own send rate. */
  | { kind: "burst-raw"; endpoint: string; count: number; concurrency: number }
  /** Receive `count` events from a bare Socket.IO server: the event-delivery baseline. */
  | { kind: "bare-events"; url: string; count: number };

export interface ClientReport {
  /** Milliseconds from the first timed request to the last completion (sequential) or response (burst). */
  elapsedMs: number;
  /** Per-task (or per-message) latency, in order, for sequential jobs. */
  latenciesMs: number[];
  /** Server event → received by this socket.io-client, for every event that arrived. */
  eventLatenciesMs: number[];
  posted: number;
  failedRequests: number;
  /** Ids of the tasks posted (burst jobs), for checking the database afterwards. */
  taskIds: number[];
}

export type ClientMessage = { ok: true; report: ClientReport } | { ok: false; error: string } | { started: true };
