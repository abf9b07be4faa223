import type { QueueView } from "../../common/events.js";
import type { TaskQueue } from "../queue/taskQueue.js";
import type { WatchedQueue } from "./queueWatch.js";

/**
 * The queues as AWS lets anyone look at them without receiving: GetQueueAttributes, whose counts
 * are approximate and carry no per-message detail. The UI says so (capabilities.note).
 */
export class AttributeWatch {
  private readonly latest = new Map<string, Record<string, string>>();

  constructor(
    private readonly queue: TaskQueue,
    private readonly queues: WatchedQueue[],
  ) {}

  async poll(): Promise<void> {
    for (const { name, url } of this.queues) this.latest.set(name, await this.queue.attributes(url));
  }

  attribute(queueName: string, name: string): string | undefined {
    return this.latest.get(queueName)?.[name];
  }

  views(): QueueView[] {
    return this.queues.map(({ name, url }) => {
      const count = (attribute: string) => Number(this.attribute(name, attribute) ?? 0);
      return {
        name,
        url,
        visible: count("ApproximateNumberOfMessages"),
        inFlight: count("ApproximateNumberOfMessagesNotVisible"),
        delayed: count("ApproximateNumberOfMessagesDelayed"),
        messages: [],
      };
    });
  }
}
