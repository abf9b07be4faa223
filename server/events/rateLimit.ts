import type { Clock } from "./eventLog.js";

/** How many events one client may send: a burst, then a steady rate. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/** Generous for a person clicking, tight enough that a runaway script cannot busy the server. */
export const SOCKET_RATE_LIMIT: RateLimit = { burst: 40, perSecond: 20 };

/**
 * A token bucket: `burst` events at once, refilled at `perSecond`. Time comes from the clock
 * passed in, so tests can hold it still and count exactly which events pass.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {
    this.tokens = limit.burst;
    this.last = clock();
  }

  take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
