import { describe } from "vitest";
import { solvesWith } from "./solveShard.js";

// The lessons that exercise every part of the lesson's function (step mode, faults, retries, the
// dead-letter queue, idempotency, partial batch failures), solved the default way: the function in
// execution environments behind the Lambda Runtime API (the other lesson tests run it in process).
describe("lessons with LESSON_FUNCTION=runtime (the default)", () => solvesWith({ LESSON_FUNCTION: "runtime" }, ["the-whole-flow", "retries-and-dlq", "idempotency", "partial-batch-failures"]));
