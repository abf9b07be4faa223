// Each source queue's redrive policy as the page knows it. The standard queue and its FIFO twin have
// their own: lab 2's FIFO queue has none while the standard queue keeps 3, and one number for both
// had the page tell a learner "the next receive moves it to the dead-letter queue" of a message
// that could never move. No DOM here, so the words built on it can be tested as they are.
import type { FlowEvent } from "../../common/events.js";

/** The queues of GET /health's `queues`, by URL (the name is the URL's last segment). */
export interface QueueUrls {
  queueUrl: string;
  deadLetterQueueUrl: string;
  fifoQueueUrl: string;
  fifoDeadLetterQueueUrl: string;
}

const nameOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

export class RedrivePolicies {
  private readonly max = new Map<string, number | null>();
  /** Dead-letter queue → the source queue whose policy moved its messages there. */
  private readonly sources = new Map<string, string>();
  /** The standard task queue's name (the drawing's "after n receives" arrow is its rule). */
  standardQueue = "interview-queue";
  /** Its FIFO twin's name. */
  fifoQueue = "interview-queue.fifo";

  /** The queues' names and each source queue's maxReceiveCount (null: no redrive policy), from GET /health. */
  know(urls: QueueUrls, standardMax: number | null, fifoMax: number | null): void {
    this.standardQueue = nameOf(urls.queueUrl);
    this.fifoQueue = nameOf(urls.fifoQueueUrl);
    this.sources.set(nameOf(urls.deadLetterQueueUrl), this.standardQueue);
    this.sources.set(nameOf(urls.fifoDeadLetterQueueUrl), nameOf(urls.fifoQueueUrl));
    this.max.set(this.standardQueue, standardMax);
    this.max.set(nameOf(urls.fifoQueueUrl), fifoMax);
  }

  /** A `queue.redrive-policy` event changes its queue's policy; other events change nothing. Returns whether it was one. */
  apply(event: FlowEvent): boolean {
    if (event.type !== "queue.redrive-policy") return false;
    this.max.set(event.queue, event.maxReceiveCount);
    return true;
  }

  /**
   * The maxReceiveCount a message in `queue` counts against: its own queue's, or for a message in a
   * dead-letter queue, the source queue's. Null when there is no policy or it is not known yet.
   */
  of(queue: string): number | null {
    return this.max.get(this.sources.get(queue) ?? queue) ?? null;
  }

  /** A source queue's maxReceiveCount (null: no redrive policy), or undefined while the page does not know it yet. */
  known(queue: string): number | null | undefined {
    return this.max.has(queue) ? (this.max.get(queue) ?? null) : undefined;
  }
}
