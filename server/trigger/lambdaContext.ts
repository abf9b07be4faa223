import { randomBytes, randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import type { Clock } from "../events/eventLog.js";

export interface FunctionConfig {
  functionName: string;
  region: string;
  accountId: string;
  timeoutMs: number;
  memoryMb: number;
}

const unsupported = (name: string) => () => {
  throw new Error(`context.${name}() is the pre-async Lambda API; return a value or throw instead`);
};

/** A Lambda Node.js context for one invocation, with a deadline that really counts down. */
export function createLambdaContext(config: FunctionConfig, clock: Clock, awsRequestId: string = randomUUID()): Context {
  const deadline = clock() + config.timeoutMs;
  const day = new Date(clock()).toISOString().slice(0, 10).replaceAll("-", "/");
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${config.region}:${config.accountId}:function:${config.functionName}`,
    memoryLimitInMB: String(config.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${config.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString("hex")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock()),
    done: unsupported("done"),
    fail: unsupported("fail"),
    succeed: unsupported("succeed"),
  };
}
