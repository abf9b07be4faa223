import { describe, expect, it } from "vitest";
import type { MessageView } from "../../common/state.js";
import { cardWords, deadCaption } from "../../client/src/cardWords.js";

const message = (over: Partial<MessageView>): MessageView => ({ messageId: "abcdef123456", taskId: 12, queue: "interview-queue", state: "visible", receiveCount: 0, visibleAt: null, receivedAt: null, consumer: null, sentAt: 0, ...over });

describe("a message's card on the drawing", () => {
  it("keeps a message taken from the terminal, without a task, short enough for its card (measured: about 20 characters fit)", () => {
    const card = cardWords(message({ taskId: null, state: "in-flight", receiveCount: 5, receivedAt: 0, visibleAt: 30_000, consumer: "other-client" }), 2000, 3);
    expect(card.lines).toEqual(["message abcd", "receive 5 of 3", "other client · 28 s"]);
  });

  it("reads task, receive count out of maxReceiveCount and the visibility time left, in whole seconds", () => {
    const card = cardWords(message({ state: "in-flight", receiveCount: 2, receivedAt: 1000, visibleAt: 6000, consumer: "lambda-trigger" }), 2500, 3);
    expect(card.lines).toEqual(["task 12", "receive 2 of 3", "in flight · 4 s left"]);
  });

  it("runs its bar down with the visibility timeout", () => {
    expect(cardWords(message({ state: "in-flight", receiveCount: 1, receivedAt: 1000, visibleAt: 6000 }), 3500, 3).left).toBe(0.5);
  });

  it("shows a message whose visibility ran out as visible again, as SQS does before it says so", () => {
    expect(cardWords(message({ state: "in-flight", receiveCount: 1, receivedAt: 1000, visibleAt: 6000 }), 7000, 3).lines[2]).toBe("visible · waiting");
  });

  it("says a dead-lettered message was given up on after maxReceiveCount receives, never more", () => {
    expect(cardWords(message({ state: "dead-lettered", receiveCount: 4 }), 0, 3).lines).toEqual(["task 12", "after 3 receives", "dead-lettered"]);
  });

  it("says how often a message was really received when its queue's redrive policy came after (lab 2's poison message)", () => {
    expect(cardWords(message({ state: "dead-lettered", receiveCount: 61 }), 0, 3).lines).toEqual(["task 12", "after 61 receives", "dead-lettered"]);
  });

  it("names a message without a task by its id", () => {
    expect(cardWords(message({ taskId: null }), 0, null).lines).toEqual(["message abcd", "not received yet", "visible · waiting"]);
  });
});

describe("the dead-letter queue's caption", () => {
  it("says how many messages it holds have no card, as the queue's caption does", () => {
    expect(deadCaption(0, 0)).toBe("empty");
    expect(deadCaption(2, 2)).toBe("2 dead-lettered");
    expect(deadCaption(4, 2)).toBe("4 dead-lettered (2 more not drawn)");
  });
});
