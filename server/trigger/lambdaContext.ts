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

/** One invocation's context and its clock. `freeze` stops the countdown (step mode holds the function like a debugger). */
export interface Invocation {
  context: Context;
  remainingMs(): number;
  freeze(): () => void;
}

const unsupported = (name: string) => () => {
  throw new Error(`context.${name}() is the pre-async Lambda API; return a value or throw instead`);
};

/** A Lambda Node.js context for one invocation, with a deadline that really counts down. */
export function createInvocation(config: FunctionConfig, clock: Clock, awsRequestId: string = randomUUID()): Invocation {
  const deadline = clock() + config.timeoutMs;
  let frozenMs = 0;
  let frozenSince: number | undefined;
  const remainingMs = () => Math.max(0, deadline + frozenMs + (frozenSince === undefined ? 0 : clock() - frozenSince) - clock());
  const day = new Date(clock()).toISOString().slice(0, 10).replaceAll("-", "/");
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${config.region}:${config.accountId}:function:${config.functionName}`,
    memoryLimitInMB: String(config.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${config.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString("hex")}`,
    getRemainingTimeInMillis: remainingMs,
    done: unsupported("done"),
    fail: unsupported("fail"),
    succeed: unsupported("succeed"),
  };
  const freeze = () => {
    if (frozenSince !== undefined) return () => {};
    frozenSince = clock();
    return () => {
      if (frozenSince === undefined) return;
      frozenMs += clock() - frozenSince;
      frozenSince = undefined;
    };
  };
  return { context, remainingMs, freeze };
}

export function createLambdaContext(config: FunctionConfig, clock: Clock, awsRequestId?: string): Context {
  return createInvocation(config, clock, awsRequestId).context;
}

class HandlerTimeout extends Error {
  constructor(ms: number) {
    super(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`);
  }
}

/** Fail the invocation when its time runs out, as Lambda does; frozen time does not count. */
export function withTimeout<T>(work: Promise<T>, invocation: Invocation, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => (invocation.remainingMs() > 0 ? arm() : reject(new HandlerTimeout(timeoutMs))), invocation.remainingMs());
    };
    arm();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
