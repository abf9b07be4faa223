import type { Clock } from "./eventLog.js";

/** How many events one client may send: a burst, then a steady rate. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/** Generous for a person clicking, tight enough that a runaway script cannot busy the server. */
export const SOCKET_RATE_LIMIT: RateLimit = { burst: 40, perSecond: 20 };

/** New Socket.IO connections from one address on another machine: a page reconnecting now and then, not a loop. */
export const CONNECT_RATE_LIMIT: RateLimit = { burst: 10, perSecond: 1 };

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

/** Addresses remembered at once by AddressBuckets; the least recently seen is forgotten first (it starts full again). */
const ADDRESSES_KEPT = 1000;

/**
 * One token bucket per client address, for limits that a client must not escape by opening
 * another connection. At most ADDRESSES_KEPT addresses are remembered.
 */
export class AddressBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {}

  /** True when `address` may go on now (and counts it). */
  take(address: string): boolean {
    let bucket = this.buckets.get(address);
    if (bucket) this.buckets.delete(address);
    else bucket = new TokenBucket(this.limit, this.clock);
    this.buckets.set(address, bucket);
    if (this.buckets.size > ADDRESSES_KEPT) this.buckets.delete(this.buckets.keys().next().value as string);
    return bucket.take();
  }
}
