import type { FlowEvent, FlowEventBody } from "../../common/events.js";

/** SQS calls that may change a queue's redrive policy: a learner's set-queue-attributes, a queue made again. */
const CHANGING = new Set(["SetQueueAttributes", "CreateQueue", "DeleteQueue"]);

export interface RedriveWatchDeps {
  /** The source queue's name (the standard task queue or its FIFO twin), as the event names it. */
  queue: string;
  /** The maxReceiveCount SQS holds now (null: no redrive policy). */
  read: () => number | null;
  subscribe: (listener: (event: FlowEvent) => void) => () => void;
  publish: (event: FlowEventBody) => void;
}

/**
 * Publishes `queue.redrive-policy` whenever a source queue's maxReceiveCount changes: after a call
 * that may have changed it (whoever made it) and after a reset, which provisions the queue's own
 * policy again. The page draws "after n receives" from it, so lab 1's 10 reads 10, not 3.
 */
export function watchRedrivePolicy({ queue, read, subscribe, publish }: RedriveWatchDeps): { current: () => number | null } {
  let known = read();
  const look = () => {
    const now = read();
    if (now === known) return;
    known = now;
    publish({ type: "queue.redrive-policy", queue, maxReceiveCount: now });
  };
  subscribe((event) => {
    const changing = event.type === "world.reset" || (event.type === "sqs.call" && !event.call.error && CHANGING.has(event.call.operation));
    // After the event has reached every listener: publishing inside one would reorder the log for the rest.
    if (changing) queueMicrotask(look);
  });
  return { current: () => known };
}
