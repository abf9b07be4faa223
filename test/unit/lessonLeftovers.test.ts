// A check counts what its own part did: a second press of a part's Run must not stall it ("4 of 3
// completed", waiting for ever), and an earlier part's tasks must not pass it before the learner has
// done anything (lesson 15's "every customer's task is completed", ✓ on arrival). When the world can
// no longer satisfy it, it says so, and what to do. Lessons 15, 16 and 20, on folded worlds.
import { describe, expect, it } from "vitest";
import type { FlowEvent, FlowEventBody, Task } from "../../common/events.js";
import type { CheckBlock, Lesson } from "../../common/lessons.js";
import { foldEvents } from "../../common/state.js";
import { evaluateCheck, interpolate, selectorFor } from "../../server/lessons/checks.js";
import { loadLessons } from "../../server/lessons/loadLessons.js";
import { ROOT } from "../helpers/process.js";

const lessons = loadLessons(`${ROOT}lessons`, ROOT);
let seq = 0;
const at = (body: FlowEventBody, time = 1000): FlowEvent => ({ ...body, seq: ++seq, at: time }) as FlowEvent;

const task = (id: number, status: Task["status"], extra: Partial<Task> = {}): Task => ({
  id,
  title: `task ${id}`,
  status,
  messageId: `m${id}`,
  createdAt: new Date(1000).toISOString(),
  updatedAt: "",
  completedAt: status === "completed" ? new Date(4000).toISOString() : null,
  attempts: status === "pending" ? 0 : 1,
  sendError: null,
  lastError: null,
  ...extra,
});
const created = (t: Task): FlowEventBody => ({ type: "task.created", taskId: t.id, task: t });
const fifoTask = (id: number, group: string, status: Task["status"] = "completed") => created(task(id, status, { queue: "fifo", messageGroupId: group }));
const invoked = (invocationId: string, taskIds: number[]): FlowEventBody => ({ type: "lambda.invoked", invocationId, functionName: "f", messageIds: taskIds.map((id) => `m${id}`), taskIds });
const world = (bodies: FlowEventBody[]) => foldEvents(bodies.map((body) => at(body)));

/** The check of `lesson`'s part `part` (1-based, as a learner counts them) labelled `label`. */
function checkOf(lessonId: string, part: number, label: string): CheckBlock {
  const lesson = lessons.find((l: Lesson) => l.id === lessonId);
  const found = lesson?.steps[part - 1]?.parts.find((p): p is CheckBlock => p.kind === "check" && p.label === label);
  if (!found) throw new Error(`${lessonId} part ${part} has no check "${label}"`);
  return found;
}
const judge = (check: CheckBlock, bodies: FlowEventBody[]) => evaluateCheck(check, world(bodies), 2000);

describe("a message group's states", () => {
  it("count only that group's FIFO tasks", () => {
    const state = world([fifoTask(1, "customer-1"), fifoTask(2, "customer-2"), fifoTask(3, "customer-2", "pending"), created(task(4, "completed"))]);
    expect(selectorFor("fifo.group.customer-2.tasks")?.(state, 2000)).toBe(2);
    expect(selectorFor("fifo.group.customer-2.completed")?.(state, 2000)).toBe(1);
    expect(selectorFor("fifo.group.customer-9.completed")?.(state, 2000)).toBe(0);
  });

  it("name a group with dots in it by what lies before the last dot", () => {
    expect(selectorFor("fifo.group.eu.customer-1.completed")?.(world([fifoTask(1, "eu.customer-1")]), 2000)).toBe(1);
  });

  it("are unknown for anything but a group's tasks or completed", () => {
    expect(selectorFor("fifo.group.customer-1.failed")).toBeUndefined();
    expect(selectorFor("fifo.group..completed")).toBeUndefined();
  });

  it("fill a placeholder that names a group with digits and hyphens", () => {
    expect(interpolate("({fifo.group.customer-2.completed} of {fifo.group.customer-2.tasks})", world([fifoTask(1, "customer-2")]), 2000)).toBe("(1 of 1)");
  });
});

describe("lesson 15's checks", () => {
  const lesson = "fifo-and-message-groups";

  it("part 1 passes when 'create the order' was pressed twice (four tasks of customer-1)", () => {
    const check = checkOf(lesson, 1, "the three tasks of customer-1 are completed");
    expect(judge(check, [1, 2, 3, 4].map((id) => fifoTask(id, "customer-1"))).status).toBe("passed");
    expect(judge(check, [...[1, 2, 3].map((id) => fifoTask(id, "customer-1")), fifoTask(4, "customer-1", "processing")]).status).toBe("waiting");
  });

  it("part 2 waits on part 1's tasks, pressed before the part's Reset, and passes on Ada's, Bob's and Cy's", () => {
    const check = checkOf(lesson, 2, "every customer's task is completed");
    const partOne = [1, 2, 3].map((id) => fifoTask(id, "customer-1"));
    const waiting = judge(check, partOne);
    expect(waiting.status).toBe("waiting");
    expect(waiting.why).toContain("send Ada's, Bob's and Cy's tasks above");
    expect(judge(check, [fifoTask(1, "customer-ada"), fifoTask(2, "customer-bob"), fifoTask(3, "customer-cy", "processing")]).status).toBe("waiting");
    expect(judge(check, [fifoTask(1, "customer-ada"), fifoTask(2, "customer-ada"), fifoTask(3, "customer-bob"), fifoTask(4, "customer-cy")]).status).toBe("passed");
    expect(judge(check, [fifoTask(1, "customer-ada"), fifoTask(2, "customer-ada", "processing"), fifoTask(3, "customer-bob"), fifoTask(4, "customer-cy")]).status).toBe("waiting");
  });

  it("part 3 waits on part 2's completed tasks for customer-2's and for the task behind the poison message", () => {
    const partTwo = [fifoTask(1, "customer-ada"), fifoTask(2, "customer-bob"), fifoTask(3, "customer-cy")];
    expect(judge(checkOf(lesson, 3, "customer-2's tasks are completed"), partTwo).status).toBe("waiting");
    expect(judge(checkOf(lesson, 3, "customer-1's task is completed once the poison message has left"), partTwo).status).toBe("waiting");
  });

  it("part 3 passes customer-2's check when the command ran twice (four tasks of customer-2)", () => {
    const check = checkOf(lesson, 3, "customer-2's tasks are completed");
    expect(judge(check, [fifoTask(1, "customer-2"), fifoTask(2, "customer-2"), fifoTask(3, "customer-1", "pending"), fifoTask(4, "customer-2"), fifoTask(5, "customer-2")]).status).toBe("passed");
  });

  it("part 4 fails, saying why, when the card was charged twice", () => {
    const check = checkOf(lesson, 4, "the card was charged once");
    expect(judge(check, [fifoTask(1, "customer-2"), fifoTask(2, "customer-2"), fifoTask(3, "customer-3", "failed")]).status).toBe("waiting");
    expect(judge(check, [fifoTask(1, "customer-3"), fifoTask(2, "customer-3", "failed")]).status).toBe("passed");
    const twice = judge(check, [fifoTask(1, "customer-3"), fifoTask(2, "customer-3")]);
    expect(twice).toMatchObject({ status: "failed", why: expect.stringContaining("charged 2 times") as unknown });
  });
});

describe("lesson 16's checks", () => {
  const lesson = "batch-traps";

  it("part 1 passes when the command ran twice (two messages refused a delete)", () => {
    const sent = (id: string): FlowEventBody => ({ type: "message.sent", queue: "interview-queue", messageId: id, taskId: null, body: "twice", bodyLength: 5, truncated: false });
    expect(judge(checkOf(lesson, 1, "the message is still in the queue"), [sent("a"), sent("b")]).status).toBe("passed");
  });

  it("part 2's last check waits on part 1's world: a message deleted, none waiting, no task", () => {
    const partOne: FlowEventBody[] = [
      { type: "message.sent", queue: "interview-queue", messageId: "a", taskId: null, body: "twice again", bodyLength: 11, truncated: false },
      { type: "message.deleted", queue: "interview-queue", messageId: "a", taskId: null },
    ];
    expect(judge(checkOf(lesson, 2, "its message was deleted, nothing waits"), partOne).status).toBe("waiting");
  });

  it("part 3 waits on part 2's world (a task completed, its message deleted) and passes on a lost task", () => {
    const check = checkOf(lesson, 3, "the failed task's message was deleted");
    const deleted: FlowEventBody = { type: "message.deleted", queue: "interview-queue", messageId: "m1", taskId: 1 };
    expect(judge(check, [created(task(1, "completed")), deleted]).status).toBe("waiting");
    expect(judge(check, [created(task(1, "pending")), { type: "message.sent", queue: "interview-queue", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }, deleted]).status).toBe("passed");
  });

  it("part 4 says the task was dead-lettered, and to reset and redo the part, when the fault was cleared too late", () => {
    const result = judge(checkOf(lesson, 4, "the retry completed the task"), [created(task(1, "failed", { attempts: 10 }))]);
    expect(result.status).toBe("failed");
    expect(result.why).toContain("Press Reset the world above and do the part again");
  });

  it("part 4's 'came back' holds once a second delivery was worked, even after its message was deleted", () => {
    const check = checkOf(lesson, 4, "the failed message came back");
    expect(judge(check, [created(task(1, "completed", { attempts: 2 }))]).status).toBe("passed");
    expect(judge(check, [created(task(1, "completed", { attempts: 1 }))])).toMatchObject({ status: "failed", why: expect.stringContaining("not failing") as unknown });
  });
});

describe("lesson 20's checks", () => {
  const lesson = "polling-and-batching-trade-offs";
  const done = (ids: number[], title = "at once") => ids.map((id) => created(task(id, "completed", { title: `${title} ${((id - 1) % 5) + 1}` })));

  it("part 5 begins with its own Reset, so that part 4's tasks are not counted", () => {
    const part = lessons.find((l) => l.id === lesson)?.steps[4];
    expect(part?.parts.find((p) => p.kind !== "prose")?.kind).toBe("reset");
  });

  it("part 4 passes when its five tasks were sent twice", () => {
    expect(judge(checkOf(lesson, 4, "five tasks done"), done([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).status).toBe("passed");
  });

  it("part 5 neither passes nor fails on part 4's tasks, before its Reset or any send", () => {
    const partFour = [...done([1, 2, 3, 4, 5]), ...[1, 2, 3, 4, 5].map((id) => invoked(`i${id}`, [id]))];
    expect(judge(checkOf(lesson, 5, "one invocation for five tasks"), partFour).status).toBe("waiting");
    expect(judge(checkOf(lesson, 5, "five tasks done"), partFour).status).toBe("waiting");
  });

  it("part 5 passes when its five were sent twice, each five in one invocation", () => {
    const bodies = [...done([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "gathered"), invoked("a", [1, 2, 3, 4, 5]), invoked("b", [6, 7, 8, 9, 10])];
    expect(judge(checkOf(lesson, 5, "one invocation for five tasks"), bodies).status).toBe("passed");
    expect(judge(checkOf(lesson, 5, "five tasks done"), bodies).status).toBe("passed");
  });

  it("part 5 fails only once every task is done in smaller batches, and says to reset and send the five with one press", () => {
    const check = checkOf(lesson, 5, "one invocation for five tasks");
    const split = [invoked("a", [1, 2]), invoked("b", [3, 4, 5])];
    expect(judge(check, [...done([1, 2], "gathered"), ...[3, 4, 5].map((id) => created(task(id, "processing", { title: `gathered ${id}` }))), ...split]).status).toBe("waiting");
    const result = judge(check, [...done([1, 2, 3, 4, 5], "gathered"), ...split]);
    expect(result.status).toBe("failed");
    expect(result.why).toBe("every task is done, in 2 invocations of at most 3 record(s): the five did not arrive within one 4 s window. Press Reset the world above and do the part again, sending the five with one press of the command");
  });

  it("part 6 passes when the seven 1 MB messages were sent twice", () => {
    const sent = Array.from({ length: 14 }, (_, i): FlowEventBody => ({ type: "message.sent", queue: "interview-queue", messageId: `b${i}`, taskId: null, body: "x", bodyLength: 1_000_000, truncated: true }));
    expect(judge(checkOf(lesson, 6, "seven 1 MB messages wait"), sent).status).toBe("passed");
  });

  it("part 6 waits, on part 5's world of two invocations, for a batch of six", () => {
    expect(judge(checkOf(lesson, 6, "the seventh went in a batch of its own"), [invoked("a", [1, 2, 3, 4, 5]), invoked("b", [6])]).status).toBe("waiting");
  });
});
