/** A client-side request-rate limit, so a service rarely has to return 429. */

/**
 * Spaces request starts at least `1000 / requestsPerSecond` milliseconds
 * apart. Callers `await acquire()` before each request.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private nextStart = 0;

  /** @param requestsPerSecond maximum request starts per second; `Infinity` disables the limit. */
  constructor(requestsPerSecond: number) {
    if (!(requestsPerSecond > 0)) throw new RangeError(`invalid request rate: ${requestsPerSecond} (must be above 0)`);
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Waits until the next request may start and reserves that slot. */
  async acquire(): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.intervalMs;
    if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
  }
}
