/** A client-side request-rate limit, so a service rarely has to return 429. */

/** Clock and timer of a {@link RateLimiter}; the defaults are `Date.now` and `setTimeout`. */
export interface RateLimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: RateLimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces request starts at least `1000 / requestsPerSecond` milliseconds
 * apart. Callers `await acquire()` before each request.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly clock: RateLimiterClock;
  private nextStart = 0;

  /** @param requestsPerSecond maximum request starts per second; `Infinity` disables the limit. */
  constructor(requestsPerSecond: number, clock: RateLimiterClock = realClock) {
    if (!(requestsPerSecond > 0)) throw new RangeError(`invalid request rate: ${requestsPerSecond} (must be above 0)`);
    this.intervalMs = 1000 / requestsPerSecond;
    this.clock = clock;
  }

  /** Waits until the next request may start and reserves that slot. */
  async acquire(): Promise<void> {
    const now = this.clock.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.intervalMs;
    if (start > now) await this.clock.sleep(start - now);
  }
}
