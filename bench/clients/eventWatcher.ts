import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, FlowEvent, ServerToClientEvents } from "../../common/events.js";

export interface EventWatcher {
  /** Task id → how many times its `completed` event came. */
  readonly completions: Map<number, number>;
  /** Server event → received here, for every event since the watcher connected (or was reset). */
  readonly latenciesMs: number[];
  /** When (performance.now()) the last of these tasks completed, once all have; undefined at the timeout. */
  allCompleted(taskIds: number[], timeoutMs: number): Promise<number | undefined>;
  completed(taskId: number): Promise<void>;
  close(): void;
}

/** A socket.io-client on the playground's event stream, as a browser tab would be. */
export async function watchEvents(url: string): Promise<EventWatcher> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  const completions = new Map<number, number>();
  const latenciesMs: number[] = [];
  const waiters = new Map<number, () => void>();
  let lastCompletionAt = 0;
  socket.on("events", (events: FlowEvent[]) => {
    const now = Date.now();
    for (const event of events) {
      latenciesMs.push(now - event.at);
      if (event.type !== "task.updated" || event.task.status !== "completed" || event.from === "completed") continue;
      lastCompletionAt = performance.now();
      completions.set(event.taskId, (completions.get(event.taskId) ?? 0) + 1);
      waiters.get(event.taskId)?.();
      waiters.delete(event.taskId);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("snapshot", () => resolve());
    socket.once("connect_error", reject);
  });
  const completed = (taskId: number) =>
    completions.has(taskId) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(taskId, resolve));
  return {
    completions,
    latenciesMs,
    completed,
    allCompleted: async (taskIds, timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const all = Promise.all(taskIds.map(completed)).then(() => true as const);
      const done = await Promise.race([all, timedOut]);
      clearTimeout(timer);
      return done ? lastCompletionAt : undefined;
    },
    close: () => socket.disconnect(),
  };
}
