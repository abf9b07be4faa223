import type { Task, TaskDestination, TaskMessageBody } from "../../common/events.js";
import { formatTaskMessage } from "../../common/taskMessage.js";
import type { StepGate } from "../control/stepGate.js";
import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import { QueueError, type TaskQueue } from "../queue/taskQueue.js";

/** `duplicate`: SQS took the send as a duplicate of another task's message and queued nothing new. */
export type SendResult = { sent: true; task: Task; duplicate?: boolean } | { sent: false; task: Task; error: QueueError };

/**
 * Steps 1 and 2 of the flow: the task is written to the database first (`pending`), then its
 * message goes to SQS. Two systems, no shared transaction — the dual-write problem. If the send
 * fails, the task keeps the error (`sendError`) and the reconciler sends it again later, so no
 * task sits silently `pending` forever.
 */
export class TaskSender {
  constructor(
    private readonly store: LowdbTaskStore,
    private readonly queue: TaskQueue,
    private readonly gate?: StepGate,
    /** The FIFO queue (`interview-queue.fifo`), for tasks created with a message group. */
    private readonly fifoQueue?: TaskQueue,
  ) {}

  async submit(title: string, destination: TaskDestination = { queue: "standard" }): Promise<SendResult> {
    await this.gate?.pass("insert", { detail: `the API is about to insert the task "${title}" as pending` });
    const task = await this.store.create(title, destination);
    return this.send(task);
  }

  async send(task: Task): Promise<SendResult> {
    const body: TaskMessageBody = { task_id: task.id, title: task.title };
    await this.gate?.pass("send", { taskId: task.id, detail: `the API is about to send task ${task.id}'s message (SendMessage)` });
    let messageId: string;
    try {
      messageId = await this.sendBody(task, formatTaskMessage(body));
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      const failed = await this.store.markSendFailed(task.id, error.message);
      return { sent: false, task: failed, error };
    }
    // A FIFO send within five minutes of another with the same deduplication id returns that
    // message's id and queues nothing: the other task's message is the only one SQS holds.
    const original = task.queue === "fifo" ? this.store.list().find((t) => t.messageId === messageId && t.id !== task.id) : undefined;
    if (original) return { sent: true, duplicate: true, task: await this.store.markDeduplicated(task.id, original) };
    await this.store.markSent(task.id, messageId);
    // The API answers with the task as it stood when the API was done with it: pending, message sent.
    return { sent: true, task: { ...task, messageId, sendError: null } };
  }

  private sendBody(task: Task, body: string): Promise<string> {
    if (task.queue !== "fifo") return this.queue.send(body);
    if (!this.fifoQueue) throw new QueueError("NoFifoQueue", "this playground has no FIFO queue");
    return this.fifoQueue.sendToGroup(body, task.messageGroupId ?? "", task.deduplicationId ?? `task-${task.id}`);
  }
}
