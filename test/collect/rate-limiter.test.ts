import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../src/collect/rate-limiter.js';

/** A fake clock whose sleeps advance its time and are recorded. */
function fakeClock(): { now(): number; sleep(ms: number): Promise<void>; sleeps: number[]; advance(ms: number): void } {
  let time = 1000;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
    advance: (ms) => {
      time += ms;
    },
  };
}

test('RateLimiter: spaces back-to-back starts', async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter(50, clock);
  for (let i = 0; i < 5; i += 1) await limiter.acquire();
  assert.deepEqual(clock.sleeps, [20, 20, 20, 20]);
});

test('RateLimiter: no wait after a pause', async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter(50, clock);
  await limiter.acquire();
  clock.advance(30);
  await limiter.acquire();
  assert.deepEqual(clock.sleeps, []);
});

test('RateLimiter: waits only the rest of the interval', async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter(50, clock);
  await limiter.acquire();
  clock.advance(15);
  await limiter.acquire();
  assert.deepEqual(clock.sleeps, [5]);
});

test('RateLimiter: invalid rate', () => {
  assert.throws(() => new RateLimiter(0), /invalid request rate: 0/);
});
