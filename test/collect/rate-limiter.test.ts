import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../src/collect/rate-limiter.js';

test('RateLimiter: spaces request starts', async () => {
  const limiter = new RateLimiter(50);
  const starts: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    await limiter.acquire();
    starts.push(performance.now());
  }
  // Five starts at 50 per second span at least four intervals of 20 ms (timers may fire late, never early).
  assert.ok(starts[4] - starts[0] >= 4 * 20 - 2, `span ${starts[4] - starts[0]} ms`);
});

test('RateLimiter: invalid rate', () => {
  assert.throws(() => new RateLimiter(0), /invalid request rate: 0/);
});
