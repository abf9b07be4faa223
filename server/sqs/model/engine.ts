import { randomUUID } from "node:crypto";
import type { Durability, EngineChange, QueueMeta } from "./changes.js";
import type { SqsEvent, SqsEventBody, SqsListener } from "./events.js";
import { Queue } from "./queue.js";
import { realScheduler, type Randomness, type Scheduler } from "./scheduler.js";
import { MoveTasks } from "./moveTasks.js";

export interface EngineOptions {
  /** Region written into ARNs and queue URLs, e.g. `us-east-1`. */
  region: string;
  /** Account id in ARNs and queue URLs; LocalStack's is `000000000000`. */
  accountId: string;
  scheduler?: Scheduler;
  random?: Randomness;
}

/**
 * The queues of one account and region, and the event stream they write. Pure model: no HTTP here.
 * Validation is the actions' job; the engine trusts what it is given.
 */
export class SqsEngine {
  readonly scheduler: Scheduler;
  readonly random: Randomness;
  readonly moveTasks: MoveTasks;
  private readonly queues = new Map<string, Queue>();
  private readonly listeners = new Set<SqsListener>();
  /** Where queue URLs point: `http://host:port`, set by the server once it listens. */
  baseUrl = "http://localhost:4566";
  /** Where changes are written down to survive a restart; none: the engine lives in memory only. */
  durability: Durability | undefined;

  constructor(readonly options: EngineOptions) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.random = options.random ?? { uuid: randomUUID };
    this.moveTasks = new MoveTasks(this);
  }

  get region(): string {
    return this.options.region;
  }

  /** Listens to every event; returns the function that stops listening. */
  subscribe(listener: SqsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly emit = (body: SqsEventBody): void => {
    if (this.listeners.size === 0) return;
    const event = { ...body, at: this.scheduler.now() } as SqsEvent;
    for (const listener of this.listeners) listener(event);
  };

  readonly record = (change: EngineChange): void => this.durability?.record(change);

  arnOf(name: string, region = this.region): string {
    return `arn:aws:sqs:${region}:${this.options.accountId}:${name}`;
  }

  /**
   * A queue's URL on `baseUrl` (default: where the server listens): `<base>/<account>/<name>` in
   * the engine's region, as LocalStack writes them, and `<base>/queue/<region>/<account>/<name>` in
   * another (LocalStack's path form: it needs no DNS name per region).
   */
  urlOf(name: string, region = this.region, baseUrl = this.baseUrl): string {
    const base = region === this.region ? baseUrl : `${baseUrl}/queue/${region}`;
    return `${base}/${this.options.accountId}/${name}`;
  }

  /** Creates a queue with attributes already validated and defaulted. */
  createQueue(name: string, attributes: Record<string, string>, tags: Record<string, string> = {}, region = this.region): Queue {
    const queue = this.addQueue(name, region, attributes, tags);
    this.record({ type: "queue", queue });
    this.emit({ type: "queue.created", queue: name, url: queue.url });
    return queue;
  }

  /** A queue as it was before a restart (server/sqs/durable/): no event, nothing recorded. */
  restoreQueue(name: string, region: string, attributes: Record<string, string>, tags: Record<string, string>, meta: QueueMeta): Queue {
    return this.addQueue(name, region, attributes, tags, meta);
  }

  private addQueue(name: string, region: string, attributes: Record<string, string>, tags: Record<string, string>, meta?: QueueMeta): Queue {
    const deps = { scheduler: this.scheduler, random: this.random, emit: this.emit, record: this.record, queueByArn: (arn: string) => this.queueByArn(arn) };
    const queue = new Queue(name, this.urlOf(name, region), this.arnOf(name, region), attributes, deps, meta);
    Object.assign(queue.tags, tags);
    this.queues.set(`${region}/${name}`, queue);
    return queue;
  }

  queue(name: string, region = this.region): Queue | undefined {
    return this.queues.get(`${region}/${name}`);
  }

  queueByArn(arn: string): Queue | undefined {
    const [prefix, partition, service, region, account, name] = arn.split(":");
    if (prefix !== "arn" || partition !== "aws" || service !== "sqs" || account !== this.options.accountId) return undefined;
    return this.queues.get(`${region}/${name}`);
  }

  /** The queues of a region (every region when omitted), in creation order. */
  list(region?: string): Queue[] {
    const all = [...this.queues.values()];
    return region === undefined ? all : all.filter((queue) => queue.region === region);
  }

  deleteQueue(name: string, region = this.region): void {
    const queue = this.queues.get(`${region}/${name}`);
    if (!queue) return;
    queue.close();
    this.queues.delete(`${region}/${name}`);
    this.record({ type: "queue-deleted", queue });
    this.emit({ type: "queue.deleted", queue: name });
  }

  /** Stops every timer and long poll (the server is closing). */
  close(): void {
    for (const queue of this.queues.values()) queue.close();
    this.moveTasks.close();
  }
}
