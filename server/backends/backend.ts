import type { QueueView } from "../../common/events.js";
import type { Mode } from "../config.js";
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
 * The one seam between the playground and where SQS and Lambda really run: embedded (fauxqs and
 * our trigger), LocalStack, or AWS. Routes, lessons, checks and the client never ask which.
 */
export interface Backend {
  readonly queues: QueueAddresses;
  /** The API's queue client (step 2): it sends, purges and redrives. */
  readonly apiQueue: TaskQueue;
  /** The event source mapping: our emulator, or the real one behind the Lambda API. */
  readonly trigger: TriggerControl;
  /** The SQS endpoint the terminal's `awslocal` talks to. */
  readonly sqsEndpoint: string;
  readonly capabilities: Capabilities;
  readonly mode: Mode;
  /** Both queues as they are now, read without receiving (at most `messageLimit` messages each). */
  inspect(messageLimit?: number): QueueView[];
  /** The queue's visibility timeout as SQS holds it. */
  visibilityTimeoutSeconds(): number;
  /** Empty both queues (the "reset the world" action). */
  purgeAll(): Promise<void>;
  /** The `sqsUnavailable` fault. */
  setSqsUnavailable(unavailable: boolean): void;
  /** Called when step mode turns on, so consumers already long-polling poll again through the gate. */
  onStepModeEnabled(): void;
  stop(): Promise<void>;
}
