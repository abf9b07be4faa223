import type { Message } from "@aws-sdk/client-sqs";
import type { QueueAddresses, TaskQueueSettings } from "../queue/taskQueue.js";

/** Receipt handles with the ids the trigger gives them in a batch call (their position, never a message id). */
export type BatchEntries = { id: string; receiptHandle: string }[];

/**
 * What the Lambda trigger uses of its queue: long-poll receives, batch deletes, visibility
 * changes. Our trigger runs in embedded mode only, where it calls the engine's actions in this
 * process (server/backends/engineQueue.ts): Lambda's pollers are part of AWS, no client application
 * of SQS. (In LocalStack and AWS modes their own trigger reads the queue.)
 */
export interface TriggerQueue {
  readonly settings: TaskQueueSettings;
  readonly urls: QueueAddresses;
  /** FIFO queues are told by their `.fifo` name. */
  readonly fifo: boolean;
  /**
   * ReceiveMessage with every system and message attribute, long-polling up to `waitSeconds` (s);
   * rejects with an AbortError once `signal` aborts. Raises QueueError.
   * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
   */
  receive(options: { maxMessages: number; waitSeconds: number; signal?: AbortSignal }): Promise<Message[]>;
  /**
   * DeleteMessageBatch, ten entries per call; resolves with the entries not deleted and why; never rejects.
   * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
   */
  deleteBatch(entries: BatchEntries): Promise<{ id: string; reason: string }[]>;
  /**
   * ChangeMessageVisibilityBatch to `seconds` (s) from now, ten entries per call; resolves with the ids refused. Raises QueueError.
   * AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
   */
  changeVisibilityBatch(entries: BatchEntries, seconds: number): Promise<string[]>;
}
