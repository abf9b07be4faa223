/**
 * The function's own concurrency, shared by every event source mapping that invokes it: how many
 * invocations run now, and its reserved concurrency (PutFunctionConcurrency's
 * `ReservedConcurrentExecutions`), the most that may run at once. An invocation past it is
 * throttled. The mappings do not look at it before they receive — AWS: "Event source mappings
 * don't account for reserved concurrency and can process more messages off your queue than can be
 * sent to your function" (knowledge-center/lambda-sqs-scaling) — so a mapping whose pollers want
 * more than the reservation holds messages it cannot invoke.
 * AWS: https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export class FunctionConcurrency {
  private runningNow = 0;

  /** `reserved`: null for none (the function shares the account's unreserved pool, which the playground does not limit). */
  constructor(private reservedNow: number | null = null) {}

  get reserved(): number | null {
    return this.reservedNow;
  }

  /** Invocations running now, across every mapping of the function. */
  get running(): number {
    return this.runningNow;
  }

  /** PutFunctionConcurrency (a number, 0 stops every invocation) or DeleteFunctionConcurrency (null). Running invocations finish. */
  setReserved(reserved: number | null): void {
    this.reservedNow = reserved;
  }

  /** Take a slot for one invocation; false means Lambda throttles it (TooManyRequestsException, "Rate Exceeded."). */
  tryAcquire(): boolean {
    if (this.reservedNow !== null && this.runningNow >= this.reservedNow) return false;
    this.runningNow += 1;
    return true;
  }

  release(): void {
    this.runningNow = Math.max(0, this.runningNow - 1);
  }
}

/**
 * AWS's range for ReservedConcurrentExecutions in the default account: 0 up to the account's
 * 1,000 concurrent executions less the 100 that Lambda keeps unreserved. Above it, AWS refuses with
 * this message (PutFunctionConcurrency: "leave at least 100 simultaneous executions unreserved").
 * AWS: https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
 */
export const ACCOUNT_CONCURRENCY = 1000;
export const MINIMUM_UNRESERVED = 100;
export const MAXIMUM_RESERVED = ACCOUNT_CONCURRENCY - MINIMUM_UNRESERVED;
export const RESERVED_TOO_HIGH = `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED}].`;
