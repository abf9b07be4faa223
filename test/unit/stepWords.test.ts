import { describe, expect, it } from "vitest";
import type { FlowEvent, Task } from "../../common/events.js";
import { deadLetterRule, deadLetterSecondLine, narrationLine, RESET_SENTENCE, stepOf, stepSentence } from "../../client/src/stepWords.js";
import { maxReceiveCountOf } from "../../common/redrivePolicy.js";
import { foldEvents } from "../../common/state.js";
import { isStep } from "../../client/src/pace.js";

const queue = "interview-queue";
let seq = 0;
const event = (body: object) => ({ ...body, seq: ++seq, at: 10_000 }) as unknown as FlowEvent;
const task = (id: number, status: Task["status"]): Task => ({ id, title: "t", status, messageId: "m", createdAt: "", updatedAt: "", completedAt: null, attempts: 1, sendError: null, lastError: null });

describe("the sentence under the drawing", () => {
  it("names step 4 and the receive count out of maxReceiveCount when the trigger receives a message", () => {
    const received = event({ type: "message.received", queue, messageId: "m", taskId: 12, receiptHandle: "r", receiveCount: 2, visibleAt: 15_000, consumer: "lambda-trigger" });
    expect(stepSentence(received, 3)).toBe("Step 4: the trigger received the message of task 12, receive 2 of 3; it is invisible to others for 5 s.");
  });

  it("numbers no step for another client's receive: step 4 is the trigger's (lesson 3's terminal lit the trigger's arrow)", () => {
    const received = (consumer: string) => event({ type: "message.received", queue, messageId: "m", taskId: 12, receiptHandle: "r", receiveCount: 1, visibleAt: 15_000, consumer });
    expect(stepOf(received("other-client"))).toBeNull();
    expect(stepOf(received("lambda-trigger"))).toBe(4);
  });

  it("says the function's own ChangeMessageVisibility, its backoff, between the receive and the message's return (lesson 19)", () => {
    const call = (caller: string, error: object | null = null) =>
      event({ type: "sqs.call", call: { caller, operation: "ChangeMessageVisibility", target: "AmazonSQS.ChangeMessageVisibility", request: { VisibilityTimeout: 2 }, response: {}, error, durationMs: 1, messageIds: ["m"] } });
    expect(stepSentence(call("function"), 3)).toBe("The function called ChangeMessageVisibility (its backoff): the failed record's message comes back in 2 s, not at the queue's visibility timeout.");
    expect(isStep(call("function"))).toBe(true);
    expect(foldEvents([call("function")]).timeline.map((e) => e.type)).toEqual(["sqs.call"]);
    // A refused one changed nothing; other clients' calls stay on the wire only.
    expect(stepSentence(call("function", { code: "ReceiptHandleIsInvalid", message: "x" }), 3)).toBeNull();
    expect(stepSentence(call("other-client"), 3)).toBeNull();
    expect(isStep(call("other-client"))).toBe(false);
    expect(foldEvents([call("other-client")]).timeline).toEqual([]);
  });

  it("says a cold start in step 4, with its time and runtime, where the learner reads", () => {
    const cold = event({ type: "lambda.cold-start", invocationId: "i", environmentId: "e", language: "nodejs", version: 0, initMs: 124 });
    expect(stepSentence(cold, 3)).toBe("Step 4: a cold start: Lambda started a new execution environment (Node.js, 124 ms); later invocations reuse it while it is warm.");
    // Whole milliseconds, and short enough for the line's three rows at 1024 px (cut at "the nex" once).
    const python = stepSentence(event({ type: "lambda.cold-start", invocationId: "i", environmentId: "e", language: "python", version: 2, initMs: 263.6 }), 3);
    expect(python).toContain("(Python, 264 ms)");
    expect(python?.length).toBeLessThanOrEqual(130);
  });

  it("leaves out the maximum when the queue's maxReceiveCount is not known", () => {
    const received = event({ type: "message.received", queue, messageId: "m", taskId: 12, receiptHandle: "r", receiveCount: 1, visibleAt: 15_000, consumer: "other-client" });
    expect(stepSentence(received, null)).toBe("Another client (not the trigger) received the message of task 12, receive 1; it is invisible to others for 5 s.");
  });

  it("says who sent a message: the API a task's, another client one without a task, a redrive SQS's move task", () => {
    expect(stepSentence(event({ type: "message.sent", queue, messageId: "m", taskId: 3, body: "{}" }), 3)).toBe(`Step 2: the API sent the message of task 3 to ${queue}; SQS holds it (step 3) until the trigger receives it.`);
    expect(stepSentence(event({ type: "message.sent", queue, messageId: "m", taskId: null, body: "poison" }), 3)).toBe(`Step 2: another client (not the API) sent a message without a task to ${queue}; SQS holds it (step 3) until a consumer receives it.`);
    expect(stepSentence(event({ type: "message.sent", queue, messageId: "m", taskId: 9, body: "{}", movedFrom: "interview-queue-dlq" }), 3)).toBe(`Step 2: a redrive (SQS's message move task) put the message of task 9 back on ${queue} from interview-queue-dlq, as a new message.`);
  });

  it("numbers each kind of event with the lesson's step", () => {
    const steps = [
      event({ type: "task.created", taskId: 1, task: task(1, "pending") }),
      event({ type: "message.sent", queue, messageId: "m", taskId: 1, body: "{}" }),
      event({ type: "message.visible-again", queue, messageId: "m", taskId: 1, receiveCount: 1 }),
      event({ type: "lambda.invoked", invocationId: "i", functionName: "f", messageIds: ["m"], taskIds: [1] }),
      event({ type: "task.updated", taskId: 1, from: "processing", task: task(1, "completed") }),
      event({ type: "message.deleted", queue, messageId: "m", taskId: 1 }),
    ].map(stepOf);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("tells a purge as who purged which queue, without a step number: it is not the trigger's delete (step 6)", () => {
    const purged = event({ type: "message.deleted", queue: "interview-queue.fifo", messageId: "m", taskId: 32, purgedBy: "other-client" });
    expect(stepOf(purged)).toBeNull();
    expect(stepSentence(purged, 3)).toBe("Another client (not the trigger) purged interview-queue.fifo (PurgeQueue): the message of task 32 is gone.");
    expect(narrationLine(purged, 3)).toBe(stepSentence(purged, 3));
  });

  it("says nothing for events that are not a step of the flow", () => {
    expect(stepSentence(event({ type: "lambda.concurrency", running: 1, limit: 5, maximum: 5 }), 3)).toBeNull();
  });

  it("says what waits in step mode in the pause's own words, for the line beside the Release button", () => {
    const paused = event({ type: "step.paused", pauseId: 3, step: "invoke", stepNumber: 4, taskId: 1, messageIds: ["m"], detail: "the trigger is about to invoke the handler with 1 record (task 1)" });
    expect(stepSentence(paused, 3)).toBe("Step 4 waits: the trigger is about to invoke the handler with 1 record (task 1).");
  });

  it("says where a dead-lettered message went and after how many receives", () => {
    const dead = event({ type: "message.dead-lettered", queue, deadLetterQueue: "interview-queue-dlq", messageId: "m", taskId: 7, receiveCount: 3 });
    expect(stepSentence(dead, 3)).toBe("Step 6: after 3 receives, SQS moved the message of task 7 to interview-queue-dlq.");
  });
});

describe("the dead-letter arrow's label", () => {
  it("names the queue's maxReceiveCount as SQS holds it", () => {
    expect(deadLetterRule(10)).toBe("after 10 receives");
    expect(deadLetterRule(1)).toBe("after 1 receive");
  });

  it("says when the queue has no redrive policy", () => {
    expect(deadLetterRule(null)).toBe("never: no redrive policy");
  });
});

describe("the redrive policy's maxReceiveCount", () => {
  it("is read as a number or as the aws CLI's numeric string", () => {
    expect(maxReceiveCountOf('{"deadLetterTargetArn": "arn", "maxReceiveCount": 10}')).toBe(10);
    expect(maxReceiveCountOf('{"deadLetterTargetArn": "arn", "maxReceiveCount": "10"}')).toBe(10);
  });

  it("is null without a usable policy", () => {
    for (const policy of [undefined, "", "not json", "null", '{"maxReceiveCount": "x"}', '{"maxReceiveCount": 0}']) expect(maxReceiveCountOf(policy)).toBeNull();
  });
});

describe("the line under the drawing", () => {
  it("says the world was reset when it was, so the old world's last sentence does not stay", () => {
    expect(narrationLine(event({ type: "world.reset" }), 3)).toBe(RESET_SENTENCE);
    expect(RESET_SENTENCE).toMatch(/^The world was reset/);
  });

  it("is a step's sentence for a step, and nothing for an event that is not one", () => {
    const created = event({ type: "task.created", taskId: 4, task: task(4, "pending") });
    expect(narrationLine(created, 3)).toBe(stepSentence(created, 3));
    expect(narrationLine(event({ type: "faults.changed", faults: {} }), 3)).toBeNull();
  });
});

describe("the throttle's sentence", () => {
  it("names two tasks, the concurrency in use and what the throttle costs", () => {
    const throttled = (taskIds: number[]) => ({ type: "lambda.throttled", seq: 1, at: 10_000, taskIds, running: 2, reserved: 2, retrying: false }) as unknown as FlowEvent;
    expect(stepSentence(throttled([7, 8]), 3)).toBe("Step 4: Lambda throttled the batch (tasks 7, 8): 2 of 2 reserved concurrency in use; its messages come back after their visibility timeout, a receive spent.");
    expect(stepSentence(throttled([7, 8, 9]), 3)).toMatch(/^Step 4: Lambda throttled the batch \(tasks 7, 8 and 1 more\): /);
  });
});

describe("a message back after its last receive", () => {
  it("is not 'waiting for receive 4 of 3': the next receive moves it to the dead-letter queue", () => {
    const back = (receiveCount: number) => event({ type: "message.visible-again", queue, messageId: "m", taskId: 1, receiveCount });
    expect(stepSentence(back(2), 3)).toBe(`Step 3: the visibility timeout ran out: the message of task 1 is visible again in ${queue}, waiting for receive 3 of 3.`);
    expect(stepSentence(back(3), 3)).toBe(`Step 3: the visibility timeout ran out: the message of task 1 is back in ${queue}, 3 of 3 receives used; the next receive moves it to the dead-letter queue.`);
    // No redrive policy known: no maximum to have used up.
    expect(stepSentence(back(3), null)).toBe(`Step 3: the visibility timeout ran out: the message of task 1 is visible again in ${queue}, waiting for receive 4.`);
  });
});

describe("a task marked failed", () => {
  it("says why without the message's id", () => {
    const failed = { ...task(10, "failed"), lastError: "message 4e155002-50c3-43d6-962e-77d208b70ad0 moved to interview-queue-dlq after 3 receives" };
    expect(stepSentence(event({ type: "task.updated", taskId: 10, from: "pending", task: failed }), 3)).toBe("Step 6: task 10 is marked failed (its message moved to interview-queue-dlq after 3 receives).");
  });
});

describe("a failed SendMessage", () => {
  it("is step 2, said with the error's code: the task stays pending without a message (lesson 12)", () => {
    const unsent = { ...task(7, "pending"), messageId: null, sendError: "SendMessage failed: ServiceUnavailable: The request has failed due to a temporary failure of the server." };
    const failed = event({ type: "task.updated", taskId: 7, from: "pending", task: unsent });
    expect(stepOf(failed)).toBe(2);
    expect(stepSentence(failed, 3)).toBe("Step 2: the API's SendMessage for task 7 failed (ServiceUnavailable): the task stays pending in the database, with no message in the queue.");
    // The same task sent later by the reconciler: its message.sent is the step, not this update.
    expect(stepOf(event({ type: "task.updated", taskId: 7, from: "pending", task: { ...unsent, sendError: null, messageId: "m" } }))).toBeNull();
  });
});

describe("a message deleted", () => {
  it("from the queue is the task done; from a dead-letter queue (a redrive's move) it is not", () => {
    expect(stepSentence(event({ type: "message.deleted", queue, messageId: "m", taskId: 10 }), 3)).toBe(`Step 6: the message of task 10 was deleted from ${queue}: done.`);
    expect(stepSentence(event({ type: "message.deleted", queue: "interview-queue-dlq", messageId: "m", taskId: 10 }), 3)).toBe("Step 6: the message of task 10 was deleted from interview-queue-dlq.");
    expect(stepSentence(event({ type: "message.deleted", queue: "interview-queue-dlq.fifo", messageId: "m", taskId: 10 }), 3)).toBe("Step 6: the message of task 10 was deleted from interview-queue-dlq.fifo.");
  });
});

describe("the dead-letter arrow's second line", () => {
  it("names the FIFO queue's own rule when it differs from the standard queue's (lab 2: none)", () => {
    expect(deadLetterSecondLine(3, 3)).toBe("(step 6, on failure)");
    expect(deadLetterSecondLine(3, undefined)).toBe("(step 6, on failure)");
    expect(deadLetterSecondLine(3, null)).toBe("FIFO: never, no policy");
    expect(deadLetterSecondLine(3, 5)).toBe("FIFO: after 5 receives");
  });
});
