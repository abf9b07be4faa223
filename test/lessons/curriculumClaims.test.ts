// Issue #19: nine statements the lessons, QUEUE_FLOW_EXPLAINED.md and the README once made that
// are not true of AWS. Each rule below fails if one comes back, in the words it was written in or
// without the qualification that makes it true (checked sentence by sentence).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/process.js";

const files = [...readdirSync(`${ROOT}lessons`).filter((f) => /^\d\d-.*\.md$/.test(f)).map((f) => `lessons/${f}`), "lessons/drill/questions.md", "QUEUE_FLOW_EXPLAINED.md", "README.md"];
const sentences = files.flatMap((file) =>
  readFileSync(`${ROOT}${file}`, "utf8")
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+(?=[A-Z`(*])/)
    .map((sentence) => ({ file, sentence })),
);

interface Rule {
  claim: string;
  /** A sentence that says this … */
  says: RegExp;
  /** … must also say this (absent: it must not be said at all). */
  unless?: RegExp;
}

const RULES: Rule[] = [
  { claim: "1. SQS keeps a message until a consumer deletes it (retention deletes it too)", says: /until a consumer deletes|nothing is lost while it waits|without the other noticing/i, unless: /retention/i },
  { claim: "2. a status check in the database makes outside side effects happen once", says: /first task's work — charging a card/i },
  { claim: "3. the visibility timeout guarantees no other consumer sees the message", says: /cannot see it meanwhile/i },
  { claim: "4. BatchSize n with n messages waiting makes one invocation of n", says: /into one SQS event, invokes|one invocation of (five|5)\b/i },
  { claim: "5. the 6× rule exists only so a message does not reappear while it is worked on", says: /six times the function timeout|6 × function timeout/i, unless: /throttl|recommended 6 ×/i },
  { claim: "6. SQS retries by itself", says: /retries by itself|retried by the queue itself|SQS delivers them again|SQS redelivers/i },
  { claim: "7. scaling internals stated as Lambda's", says: /5 more every second|once a second, as Lambda|halves after errors when|up to 1,000\+/i },
  { claim: "8. failing the whole batch is the only way to retry one record", says: /only way to get the bad record retried/i },
  { claim: "9. every SQS call carries X-Amz-Target", says: /every SQS call is an HTTP request with an `?X-Amz-Target/i },
];

describe("what the curriculum says is true of AWS (issue #19)", () => {
  it.each(RULES.map((rule) => [rule.claim, rule] as const))("never states again: %s", (_claim, rule) => {
    const offending = sentences.filter(({ sentence }) => rule.says.test(sentence) && !(rule.unless?.test(sentence) ?? false));
    expect(offending.map(({ file, sentence }) => `${file}: ${sentence.slice(0, 160)}`)).toEqual([]);
  });
});

// Lessons 19 and 20 teach the opposite of these; a sentence saying them again would undo the lessons.
const TUNING_RULES: Rule[] = [
  { claim: "SQS backs a failed message's retries off by itself", says: /SQS (itself )?(backs (them |it )?off|waits longer (before|each))|exponential backoff by default/i },
  { claim: "short polling costs less than long polling", says: /short polling is cheaper|long polling (costs|is billed) more/i },
  { claim: "BatchSize above 10 works without a batching window", says: /BatchSize (of |above |up to )?(100|1,?000|10,?000)\b[^.]*without (a )?(batching )?window/i, unless: /refuse|needs|must|error/i },
  { claim: "a heartbeat adds to the time a message has left (it sets N seconds from now)", says: /ChangeMessageVisibility[^.]*adds? (\d+ s|seconds) to/i },
];

describe("what the tuning lessons rest on (issue #19, lessons 19 and 20)", () => {
  it.each(TUNING_RULES.map((rule) => [rule.claim, rule] as const))("never states: %s", (_claim, rule) => {
    const offending = sentences.filter(({ sentence }) => rule.says.test(sentence) && !(rule.unless?.test(sentence) ?? false));
    expect(offending.map(({ file, sentence }) => `${file}: ${sentence.slice(0, 160)}`)).toEqual([]);
  });
});

// Claims the retention and concurrency lessons (17, 18) correct, guarded the same way.
const OPERATIONS_RULES: Rule[] = [
  {
    claim: "a message moved to a standard queue's dead-letter queue starts a new retention period (only FIFO does)",
    says: /(moved to|arrives? in|in) (a|the|its) (dead-letter queue|DLQ)[^.]*(new|fresh|full|restarts?|resets?) (its )?retention/i,
    unless: /FIFO|redriv/i,
  },
  { claim: "MaximumConcurrency reserves concurrency for the function", says: /MaximumConcurrency[^.]*\breserves? (concurrency|capacity)/i, unless: /\bnot\b|nothing|no /i },
  {
    claim: "a function's on-failure destination or DLQ catches an SQS trigger's failed messages",
    says: /(on-failure destination|function's (own )?dead-letter queue|DeadLetterConfig)[^.]*\bSQS (trigger|event source|queue)/i,
    unless: /asynchronous|\bnot\b|\bno\b|only/i,
  },
];

describe("what the operations lessons say is true of AWS (issue #19)", () => {
  it.each(OPERATIONS_RULES.map((rule) => [rule.claim, rule] as const))("never states: %s", (_claim, rule) => {
    const offending = sentences.filter(({ sentence }) => rule.says.test(sentence) && !(rule.unless?.test(sentence) ?? false));
    expect(offending.map(({ file, sentence }) => `${file}: ${sentence.slice(0, 160)}`)).toEqual([]);
  });
});
