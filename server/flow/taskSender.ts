import type { Task, TaskMessageBody } from "../../common/events.js";
import { formatTaskMessage } from "../../common/taskMessage.js";
import type { StepGate } from "../control/stepGate.js";
import type { LowdbTaskStore } from "../store/lowdbTaskStore.js";
import { QueueError, type TaskQueue } from "../queue/taskQueue.js";

export type SendResult = { sent: true; task: Task } | { sent: false; task: Task; error: QueueError };

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
  ) {}

  async submit(title: string): Promise<SendResult> {
    await this.gate?.pass("insert", { detail: `the API is about to insert the task "${title}" as pending` });
    const task = await this.store.create(title);
    return this.send(task);
  }

  async send(task: Task): Promise<SendResult> {
    const body: TaskMessageBody = { task_id: task.id, title: task.title };
    await this.gate?.pass("send", { taskId: task.id, detail: `the API is about to send task ${task.id}'s message (SendMessage)` });
    let messageId: string;
    try {
      messageId = await this.queue.send(formatTaskMessage(body));
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      const failed = await this.store.markSendFailed(task.id, error.message);
      return { sent: false, task: failed, error };
    }
    await this.store.markSent(task.id, messageId);
    // The API answers with the task as it stood when the API was done with it: pending, message sent.
    return { sent: true, task: { ...task, messageId, sendError: null } };
  }
}
