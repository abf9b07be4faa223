// What a check says while it waits (and why it failed) is read by a learner, not by a developer:
// every text the lessons, labs and drill can show must read as plain English, on an empty world
// (no task, no message, no invocation yet) as much as on a busy one. "receive none of 3" and
// "(none record(s) in the last invocation)" were shown before a first task was sent.
import { describe, expect, it } from "vitest";
import type { CheckBlock, Lesson } from "../../common/lessons.js";
import { foldEvents } from "../../common/state.js";
import type { FlowEvent, FlowEventBody, Task } from "../../common/events.js";
import { evaluateCheck, interpolate } from "../../server/lessons/checks.js";
import { loadDrill, loadLessons } from "../../server/lessons/loadLessons.js";
import { PROJECT_ROOT } from "../../server/playground.js";
import { NO_FAULTS } from "../../server/control/faults.js";
import { DEFAULT_TRIGGER_SETTINGS } from "../../server/trigger/mappingSettings.js";

const lessons = loadLessons(`${PROJECT_ROOT}lessons`, PROJECT_ROOT);
const drill = loadDrill(`${PROJECT_ROOT}lessons`, PROJECT_ROOT, lessons);
const checksOf = (lesson: Lesson) => lesson.steps.flatMap((step) => step.parts.filter((p): p is CheckBlock => p.kind === "check"));
const everyCheck = [...lessons, ...(drill ? [drill.asLesson] : [])].flatMap((lesson) => checksOf(lesson).map((check) => ({ where: `${lesson.id} "${check.label}"`, check })));
const texts = everyCheck.flatMap(({ where, check }) => [check.waiting, check.failsWhen?.because].filter((t): t is string => Boolean(t)).map((text) => ({ where, text })));

let seq = 0;
const at = (body: FlowEventBody): FlowEvent => ({ ...body, seq: ++seq, at: 1000 }) as FlowEvent;
const task: Task = { id: 1, title: "t", status: "pending", messageId: null, createdAt: new Date(1000).toISOString(), updatedAt: "", completedAt: null, attempts: 0, sendError: null, lastError: null };
// The controls as the server's fold always knows them: the trigger on with its settings, no fault.
const controls = () => [at({ type: "trigger.updated", settings: DEFAULT_TRIGGER_SETTINGS, warnings: [] }), at({ type: "trigger.state", state: "enabled" }), at({ type: "faults.changed", faults: NO_FAULTS })];
/** The worlds a learner meets: empty, and a task stored whose message is not sent (no message, no invocation). */
const worlds = { empty: foldEvents(controls()), "task, no message": foldEvents([...controls(), at({ type: "task.created", taskId: 1, task })]) };

/** Words that are a value's placeholder, not English. */
const GARBLE = /\bnone\b|\bnull\b|undefined|NaN|\{|\}|\[\[|\]\]|(no task|no message|no invocation|not known) yet (ms|s|records?|record\(s\)|consumers?|of \d|old|times?)\b|of (no|not) |receive (no|not) |count now (no|not) /;

describe("the words of a waiting check", () => {
  it("are given by every check of every lesson, lab and drill question", () => {
    expect(everyCheck.length).toBeGreaterThan(100);
    expect(everyCheck.filter(({ check }) => !check.waiting).map(({ where }) => where)).toEqual([]);
  });

  for (const [name, state] of Object.entries(worlds)) {
    it(`read as plain English on a world with ${name}`, () => {
      const garbled = texts.map(({ where, text }) => `${where}: ${interpolate(text, state, 2000)}`).filter((line) => GARBLE.test(line.slice(line.indexOf(": ") + 2)));
      expect(garbled).toEqual([]);
    });
  }

  it("say what a receive count will be, not 'none', before the message is received", () => {
    const text = "it comes back — [[receive {lastTaskMessage.receiveCount} of 3|not received yet (it may be received up to 3 times)]]";
    expect(interpolate(text, worlds.empty, 0)).toBe("it comes back — not received yet (it may be received up to 3 times)");
    const received = foldEvents([
      at({ type: "task.created", taskId: 1, task: { ...task, messageId: "m1" } }),
      at({ type: "message.sent", queue: "q", messageId: "m1", taskId: 1, body: "{}", bodyLength: 2, truncated: false }),
      at({ type: "message.received", queue: "q", messageId: "m1", taskId: 1, receiptHandle: "r", receiveCount: 2, visibleAt: 9000, consumer: "lambda-trigger" }),
    ]);
    expect(interpolate(text, received, 2000)).toBe("it comes back — receive 2 of 3");
  });

  it("name a missing state in words outside a segment", () => {
    expect(interpolate("now: {lastTask.status}", worlds.empty, 0)).toBe("now: no task yet");
    expect(interpolate("{lastInvocation.records} records", worlds.empty, 0)).toBe("no invocation yet records");
  });

  it("say in words what a check without its own waiting text waits for", () => {
    const check: CheckBlock = { kind: "check", expect: "lastTask.status", comparison: { equals: "completed" }, label: "done", waiting: null, failsWhen: null, deadline: null };
    expect(evaluateCheck(check, worlds.empty, 0).why).toBe("waiting until lastTask.status is completed (now: no task yet)");
  });
});
