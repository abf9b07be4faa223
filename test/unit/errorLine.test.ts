import { describe, expect, it } from "vitest";
import { errorPlace, onNamedExpression } from "../../server/runtime/errorLine.js";

describe("errorPlace", () => {
  it("reads the line and column of the first Node frame in the learner's file", () => {
    const stack = ["at Array.map (<anonymous>)", "at handler (file:///tmp/qfp-function-x/v3/handler.ts:12:9)", "at loop (file:///work/lambda/runtime/bootstrap.mjs:88:26)"];
    expect(errorPlace(stack, "handler.ts")).toEqual({ line: 12, column: 9 });
  });

  it("reads the line of the first Python frame in the learner's file", () => {
    const stack = ['  File "/work/lambda/runtime/bootstrap.py", line 99, in main\n    result = handler(json.loads(text), context)\n', '  File "/tmp/qfp-function-x/v2/lambda_function.py", line 7, in lambda_handler\n    raise ValueError("bad")\n'];
    expect(errorPlace(stack, "lambda_function.py")).toEqual({ line: 7 });
  });

  it("reads the line a Python error was raised on inside a helper, not the handler's line that called it (the traceback lists the innermost frame last)", () => {
    const stack = [
      '  File "/work/lambda/runtime/bootstrap.py", line 99, in main\n    result = handler(json.loads(text), context)\n',
      '  File "/tmp/qfp-function-x/v2/lambda_function.py", line 9, in lambda_handler\n    helper()\n',
      '  File "/tmp/qfp-function-x/v2/lambda_function.py", line 5, in helper\n    x / 0\n',
    ];
    expect(errorPlace(stack, "lambda_function.py")).toEqual({ line: 5 });
  });

  it("finds no place when no frame names the learner's file", () => {
    expect(errorPlace(["at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"], "handler.ts")).toBeNull();
  });

  it("does not take a file whose name only ends like the learner's", () => {
    expect(errorPlace(["at f (file:///x/myhandler.ts:3:1)"], "handler.ts")).toBeNull();
  });
});

describe("onNamedExpression", () => {
  const code = ["// a handler", "export const handler = async (event) => {", "  for (const record of evnt.Records) {", "    const myevnt = 1;", "  }", "};"].join("\n");
  const notDefined = { errorType: "ReferenceError", errorMessage: "evnt is not defined" };

  it("moves a ReferenceError from where V8 reports it (at `Records`, column 29) onto the name that is not defined", () => {
    expect(onNamedExpression({ line: 3, column: 29 }, code, notDefined)).toEqual({ line: 3, column: 24, endColumn: 28 });
  });

  it("moves a TypeError onto the expression its message names (`event.records is not iterable`)", () => {
    const typo = "  for (const record of event.records) {";
    expect(onNamedExpression({ line: 1, column: 31 }, typo, { errorType: "TypeError", errorMessage: "event.records is not iterable" })).toEqual({ line: 1, column: 24, endColumn: 37 });
  });

  it("does not take a longer name that only contains the one named", () => {
    expect(onNamedExpression({ line: 4, column: 11 }, code, notDefined)).toEqual({ line: 4, column: 11 });
  });

  it("keeps a place without a column (a Python error is marked at its line as reported)", () => {
    expect(onNamedExpression({ line: 3 }, code, notDefined)).toEqual({ line: 3 });
  });

  it("leaves alone the learner's own thrown Error whose words look like V8's", () => {
    expect(onNamedExpression({ line: 3, column: 29 }, code, { errorType: "Error", errorMessage: "evnt is not defined" })).toEqual({ line: 3, column: 29 });
  });
});
