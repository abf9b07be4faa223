import { describe } from "vitest";
import { solvesWith } from "./solveShard.js";

// Every lesson is solved with the lesson's function in execution environments (the default); these
// exercise every part of it (step mode, faults, retries, the dead-letter queue, idempotency, partial
// batch failures) with it in the playground's own process, the LESSON_FUNCTION=in-process option.
describe("lessons with LESSON_FUNCTION=in-process", () => solvesWith({ LESSON_FUNCTION: "in-process" }, ["the-whole-flow", "retries-and-dlq", "idempotency", "partial-batch-failures"]));
