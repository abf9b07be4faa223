import type { QueueMeta } from "./changes.js";
import { parseRedrive, type RedrivePolicy } from "./redrive.js";

/**
 * What a queue is set to be, apart from its messages: its attributes (AWS's strings, validated by
 * the actions before they get here), what sends and receives read of them (read once per change),
 * its tags, and when it was created and last changed. Every change is told to `changed` so the
 * queue can record it.
 */
export abstract class QueueSettings {
  readonly fifo: boolean;
  /** The region in the queue's ARN. */
  readonly region: string;
  readonly createdAt: number;
  lastModifiedAt: number;
  readonly tags: Record<string, string> = Object.create(null);
  private attributeValues: Record<string, string>;
  /** The attributes a send or receive reads, as numbers (ms for retention) and the redrive policy read. */
  protected settings!: { redrive: RedrivePolicy | undefined; delaySeconds: number; retentionMs: number; visibilityTimeout: number };
  /** Fixed at creation: AWS keeps deduplicating as created even after SetQueueAttributes changes the scope. */
  protected readonly perGroupDeduplication: boolean;

  constructor(name: string, arn: string, attributes: Record<string, string>, now: number, restored: QueueMeta | undefined) {
    this.fifo = name.endsWith(".fifo");
    this.region = arn.split(":")[3]!;
    this.perGroupDeduplication = restored?.perGroupDeduplication ?? attributes.DeduplicationScope === "messageGroup";
    this.createdAt = restored?.createdAt ?? now;
    this.lastModifiedAt = restored?.lastModifiedAt ?? this.createdAt;
    this.attributeValues = attributes;
    this.readSettings();
  }

  /** The queue's settings or tags changed (record them). */
  protected abstract changed(): void;
  /** Epoch ms now. */
  protected abstract now(): number;

  /** The attributes as set (strings, as SQS returns them); counts are not among them. */
  get attributes(): Readonly<Record<string, string>> {
    return this.attributeValues;
  }

  /** SetQueueAttributes: an empty value removes the attribute. */
  setAttributes(changes: Record<string, string>): void {
    this.attributeValues = { ...this.attributeValues, ...changes };
    for (const [name, value] of Object.entries(changes)) if (value === "") delete this.attributeValues[name];
    this.readSettings();
    this.lastModifiedAt = this.now();
    this.changed();
  }

  /** TagQueue: adds tags, overwriting keys that exist. */
  tag(tags: Record<string, string>): void {
    Object.assign(this.tags, tags);
    this.changed();
  }

  /** UntagQueue: removes the keys (one it does not have is ignored). */
  untag(keys: string[]): void {
    for (const key of keys) delete this.tags[key];
    this.changed();
  }

  get meta(): QueueMeta {
    return { createdAt: this.createdAt, lastModifiedAt: this.lastModifiedAt, perGroupDeduplication: this.perGroupDeduplication };
  }

  private readSettings(): void {
    const seconds = (name: string) => Number(this.attributeValues[name] ?? 0);
    this.settings = {
      redrive: parseRedrive(this.attributeValues.RedrivePolicy),
      delaySeconds: seconds("DelaySeconds"),
      retentionMs: seconds("MessageRetentionPeriod") * 1000,
      visibilityTimeout: seconds("VisibilityTimeout"),
    };
  }
}
