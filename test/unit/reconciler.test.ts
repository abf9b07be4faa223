import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Task } from "../../common/events.js";
import { Reconciler } from "../../server/flow/reconciler.js";
import type { SendResult, TaskSender } from "../../server/flow/taskSender.js";
import { LowdbTaskStore } from "../../server/store/lowdbTaskStore.js";
import { makeDataDir, removeDataDir } from "../helpers/playground.js";

// The start-up pass of the reconciler over a real task store (lowdb in a temp dir). A recording
// sender stands in for SQS: what is checked is which tasks are sent again, not the sending.
let dataDir = "";
let store: LowdbTaskStore;
beforeEach(async () => {
  dataDir = await makeDataDir();
  store = await LowdbTaskStore.open({ dataDir });
});
afterEach(async () => {
  await store.flush();
  await removeDataDir(dataDir);
});

function recordingSender(): { sender: TaskSender; sent: number[] } {
  const sent: number[] = [];
  const sender = { send: async (task: Task): Promise<SendResult> => (sent.push(task.id), { sent: true, task }) } as unknown as TaskSender;
  return { sender, sent };
}

async function taskWithMessage(title: string, messageId: string | null): Promise<Task> {
  const task = await store.create(title);
  return messageId === null ? task : store.markSent(task.id, messageId);
}

describe("the reconciler's start-up pass", () => {
  it("leaves tasks whose message SQS still holds, marks failed those whose message is in the dead-letter queue, and sends the rest again (a recording sender stands in for SQS)", async () => {
    const queued = await taskWithMessage("queued", "m-queued");
    const dead = await taskWithMessage("dead", "m-dead");
    const gone = await taskWithMessage("gone", "m-gone");
    const neverSent = await taskWithMessage("never sent", null);
    const { sender, sent } = recordingSender();
    const where: Record<string, "queue" | "dead-letter"> = { "m-queued": "queue", "m-dead": "dead-letter" };
    const report = await new Reconciler(store, sender).resendUnfinished((messageId) => where[messageId]);
    expect(sent.sort()).toEqual([gone.id, neverSent.id].sort());
    expect(report).toEqual({ resent: 2, stillFailing: 0 });
    expect(store.get(queued.id)?.status).toBe("pending");
    expect(store.get(dead.id)?.status).toBe("failed");
  });

  it("sends every unfinished task again when the backend cannot tell where messages are (a recording sender stands in for SQS)", async () => {
    const a = await taskWithMessage("a", "m-a");
    const b = await taskWithMessage("b", null);
    const { sender, sent } = recordingSender();
    await new Reconciler(store, sender).resendUnfinished();
    expect(sent.sort()).toEqual([a.id, b.id].sort());
  });
});
