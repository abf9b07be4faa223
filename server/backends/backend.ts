import type { StepPauseRequest } from "../../common/internalApi.js";
import type { QueueView } from "../../common/events.js";
import type { Mode } from "../config.js";
import type { MessageLocator } from "../flow/reconciler.js";
import type { TaskQueue, QueueAddresses } from "../queue/taskQueue.js";
import type { TriggerControl } from "../trigger/triggerControl.js";

/** What a backend can show and do; the UI and the API say so where one cannot, instead of failing silently. */
export interface Capabilities {
  /** Pausing the pipeline at each step needs the trigger to run inside the playground. */
  stepMode: boolean;
  /** Per-message state (visible, in flight, receive count); AWS shows only counts. */
  messageDetail: boolean;
  /** Shown beside the queues when something cannot be shown in this mode. */
  note: string | null;
}

/**
 * The one seam between the playground and where SQS and Lambda really run: embedded (our SQS
 * engine and our trigger), LocalStack, or AWS. Routes, lessons, checks and the client never ask which.
 */
export interface Backend {
  readonly queues: QueueAddresses;
  /** The API's queue client (step 2): it sends, purges and redrives. */
  readonly apiQueue: TaskQueue;
  /** The event source mapping: our emulator, or the real one behind the Lambda API. */
  readonly trigger: TriggerControl;
  /** The FIFO queue (`interview-queue.fifo`, its DLQ `interview-queue-dlq.fifo`), its API client and its own mapping. */
  readonly fifo: { queues: QueueAddresses; apiQueue: TaskQueue; trigger: TriggerControl };
  /** The SQS endpoint the terminal's `awslocal` talks to. */
  readonly sqsEndpoint: string;
  readonly capabilities: Capabilities;
  readonly mode: Mode;
  /** Both queues as they are now, read without receiving (at most `messageLimit` messages each; bodies cut to their preview). */
  inspect(messageLimit?: number): QueueView[];
  /** The whole body of one message still in the queue or its DLQ, read without receiving it; undefined when neither holds it (or the backend cannot show bodies). */
  messageBody(messageId: string): { queue: string; body: string } | undefined;
  /** Where each message of the queue and its DLQ is, read without receiving; only a backend whose queues outlive a restart of the playground has it (the embedded SQS). */
  locateMessages?(): MessageLocator;
  /** The queue's visibility timeout as SQS holds it. */
  visibilityTimeoutSeconds(): number;
  /** `queue`'s redrive policy's maxReceiveCount as SQS holds it (last polled, remotely); null without one. */
  maxReceiveCount(queue: string): number | null;
  /** Empty both queues (the "reset the world" action); the embedded SQS also re-creates a deleted queue and restores its attributes. */
  purgeAll(): Promise<void>;
  /** The `sqsUnavailable` fault. */
  setSqsUnavailable(unavailable: boolean): void;
  /**
   * What the lesson's function asks of the playground beyond the task store, over the internal
   * routes (embedded mode only): a step-mode pause before a completion, and ChangeMessageVisibility
   * through the function's own SQS client.
   */
  functionServices?: FunctionServices;
  /** Called when step mode turns on, so consumers already long-polling poll again through the gate. */
  onStepModeEnabled(): void;
  stop(): Promise<void>;
}

export interface FunctionServices {
  /** Waits for the learner's Next at step 5; resolves with the time the function was held (ms). Rejects when the playground stops meanwhile. */
  stepPause(request: StepPauseRequest): Promise<number>;
  /** ChangeMessageVisibility on the queue `queueArn` names, `seconds` from now. @throws QueueError */
  changeVisibility(queueArn: string, receiptHandle: string, seconds: number): Promise<void>;
}
