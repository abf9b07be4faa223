import { SqsError } from "../errors.js";
import type { SqsEngine } from "../model/engine.js";
import type { Queue } from "../model/queue.js";

/**
 * Queue attributes: defaults, the checks CreateQueue and SetQueueAttributes make, and what
 * GetQueueAttributes reports. Source: SQS API reference, SetQueueAttributes and GetQueueAttributes.
 */

/** Integer attributes and their ranges. */
const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const STANDARD_SETTABLE = new Set([
  ...Object.keys(RANGES),
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "KmsMasterKeyId",
  "SqsManagedSseEnabled",
]);
const FIFO_ONLY = new Set(["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]);
const COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"];
const READ_ONLY = new Set([...COUNTS, "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn"]);

/** Every name GetQueueAttributes knows (besides `All`). */
export const QUEUE_ATTRIBUTE_NAMES = new Set([...STANDARD_SETTABLE, ...FIFO_ONLY, ...READ_ONLY]);

export function defaultAttributes(fifo: boolean): Record<string, string> {
  return {
    VisibilityTimeout: "30",
    MaximumMessageSize: "1048576",
    MessageRetentionPeriod: "345600",
    DelaySeconds: "0",
    ReceiveMessageWaitTimeSeconds: "0",
    SqsManagedSseEnabled: "true",
    ...(fifo ? { FifoQueue: "true", ContentBasedDeduplication: "false", DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" } : {}),
  };
}

const invalidValue = (name: string, reason?: string) =>
  new SqsError("InvalidAttributeValue", `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ""}`);

/**
 * Checks attributes a client asks to set and returns them as stored strings. `creating` allows
 * FifoQueue. Raises InvalidAttributeName for an unknown or misplaced name, InvalidAttributeValue
 * or InvalidParameterValue (redrive policy) for a bad value.
 */
export function checkAttributes(engine: SqsEngine, attributes: Record<string, unknown>, fifo: boolean, creating: boolean): Record<string, string> {
  const checked: Record<string, string> = Object.create(null);
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    if (FIFO_ONLY.has(name) && !fifo) {
      if (name === "DeduplicationScope" || name === "FifoThroughputLimit") {
        throw new SqsError("InvalidAttributeName", `You can specify the ${name} only when FifoQueue is set to true.`);
      }
      throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
    }
    if (!STANDARD_SETTABLE.has(name) && !FIFO_ONLY.has(name)) throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
    if (name === "FifoQueue" && !creating) {
      if (value.toLowerCase() === "true") continue;
      throw invalidValue(name, "Modifying queue type is not supported.");
    }
    const range = RANGES[name];
    if (range && value !== "" && !(/^\d+$/.test(value) && Number(value) >= range[0] && Number(value) <= range[1])) throw invalidValue(name);
    if ((name === "ContentBasedDeduplication" || name === "SqsManagedSseEnabled" || name === "FifoQueue") && !/^(true|false)$/i.test(value)) throw invalidValue(name);
    if (name === "DeduplicationScope" && !["messageGroup", "queue"].includes(value)) throw invalidValue(name);
    if (name === "FifoThroughputLimit" && !["perQueue", "perMessageGroupId"].includes(value)) throw invalidValue(name);
    if (name === "RedrivePolicy" && value !== "") checkRedrivePolicy(engine, value, fifo);
    checked[name] = /^(true|false)$/i.test(value) ? value.toLowerCase() : value;
  }
  if (checked.FifoThroughputLimit === "perMessageGroupId" && (checked.DeduplicationScope ?? "messageGroup") === "queue" && creating) {
    throw invalidValue("FifoThroughputLimit", "Throughput limit perMessageGroupId is only available with deduplication scope messageGroup.");
  }
  // KMS encryption and SQS-managed encryption exclude each other: choosing a KMS key turns the latter off.
  if (checked.KmsMasterKeyId && checked.SqsManagedSseEnabled === undefined) checked.SqsManagedSseEnabled = "false";
  return checked;
}

/** RedrivePolicy: JSON with a dead-letter ARN of an existing queue of the same type and 1–1000 receives. */
function checkRedrivePolicy(engine: SqsEngine, value: string, fifo: boolean): void {
  const invalid = (reason: string) => new SqsError("InvalidParameterValue", `Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  let policy: Record<string, unknown>;
  try {
    policy = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw invalid("Redrive policy is not a valid JSON map.");
  }
  if (typeof policy !== "object" || policy === null) throw invalid("Redrive policy is not a valid JSON map.");
  const arn = policy.deadLetterTargetArn;
  const max = Number(policy.maxReceiveCount);
  if (arn === undefined) throw invalid("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  if (policy.maxReceiveCount === undefined) throw invalid("Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  if (typeof arn !== "string" || !/^arn:aws:sqs:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/.test(arn)) throw invalid("Invalid value for deadLetterTargetArn.");
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw invalid(`Invalid value for maxReceiveCount: ${String(policy.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  const target = engine.queueByArn(arn);
  if (!target) throw invalid("Dead letter target does not exist.");
  if (target.fifo !== fifo) throw invalid("Dead-letter queue must be same type of queue as the source.");
}

/**
 * The attributes GetQueueAttributes returns for the requested names (`All` for every one). Counts
 * are read at this instant, timestamps in epoch seconds.
 */
export function reportAttributes(queue: Queue, names: string[]): Record<string, string> {
  const wanted = names.includes("All") ? undefined : new Set(names);
  const { visible, inFlight, delayed } = queue.counts();
  const all: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
    ...queue.attributes,
  };
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) if (!wanted || wanted.has(name)) result[name] = value;
  return result;
}

/** Names GetQueueAttributes refuses: InvalidAttributeName "Unknown Attribute X.". */
export function checkAttributeNames(names: string[], fifo: boolean): void {
  for (const name of names) {
    if (name === "All") continue;
    if (!QUEUE_ATTRIBUTE_NAMES.has(name) || (!fifo && FIFO_ONLY.has(name))) throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
  }
}
