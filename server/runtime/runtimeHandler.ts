import { randomBytes } from "node:crypto";
import type { Context, SQSEvent } from "aws-lambda";
import type { FunctionErrorDetail } from "../../common/events.js";
import type { LessonSettings } from "../../common/internalApi.js";
import { errorPlace, onNamedExpression } from "./errorLine.js";
import { FunctionError } from "./functionError.js";
import type { FunctionCode } from "./functionCode.js";
import type { EnvironmentPool } from "./pool.js";
import type { RuntimeErrorPayload } from "./runtimeApi.js";

/**
 * The trigger's handler, plus the trigger's way to stop the invocation's clock while a promise is
 * pending (a cold start's init: LambdaTrigger.frozenWhile).
 */
export type DeployedHandler = (event: SQSEvent, context: Context, frozenWhile: (pending: Promise<unknown>) => Promise<unknown>, lessonSettings?: LessonSettings) => Promise<unknown>;

/** An X-Ray trace header as Lambda-Runtime-Trace-Id carries it (sampling off: nothing records it). */
function traceId(): string {
  const seconds = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${seconds}-${randomBytes(12).toString("hex")};Parent=${randomBytes(8).toString("hex")};Sampled=0`;
}

/**
 * The function as the trigger calls it, whichever version runs (the lesson's or a learner's): the
 * invocation goes through the environment pool and the Lambda Runtime API to a runtime process,
 * and comes back as the handler's return value or as a FunctionError (the runtime's error, with
 * the line in the learner's file; a process that ended; a timeout, after which the process is
 * gone). The request id is the context's, so `lambda.log` and `lambda.cold-start` name the
 * invocation the trigger announced. `lessonSettings` go to the lesson's function only, in the
 * client context (a learner's function gets none, as from an SQS trigger on AWS).
 */
export function runtimeHandler(code: FunctionCode, pool: EnvironmentPool): DeployedHandler {
  return async (event: SQSEvent, context: Context, frozenWhile, lessonSettings) => {
    const deployment = code.deployment;
    const timeoutMs = context.getRemainingTimeInMillis();
    const clientContext = !deployment && lessonSettings ? { clientContext: JSON.stringify({ custom: lessonSettings }) } : {};
    const invocation = { requestId: context.awsRequestId, event: JSON.stringify(event), timeoutMs, functionArn: context.invokedFunctionArn, traceId: traceId(), ...clientContext };
    const outcome = await pool.invoke(invocation, (init) => void frozenWhile(init));
    const detail = (payload: RuntimeErrorPayload): FunctionErrorDetail => {
      const place = deployment?.sourceFile ? errorPlace(payload.stackTrace, deployment.sourceFile) : null;
      return { errorType: payload.errorType, errorMessage: payload.errorMessage, ...(place && deployment ? onNamedExpression(place, deployment.code, payload) : null) };
    };
    switch (outcome.kind) {
      case "response":
        try {
          return JSON.parse(outcome.body) as unknown;
        } catch {
          throw new FunctionError({ errorType: "Runtime.InvalidResponse", errorMessage: "the function's response is not JSON" });
        }
      case "error":
      case "ended":
        throw new FunctionError(detail(outcome.payload));
      case "timeout":
        throw new FunctionError({ errorType: "Sandbox.Timedout", errorMessage: `Task timed out after ${Math.ceil(timeoutMs / 1000).toFixed(2)} seconds` });
    }
  };
}
