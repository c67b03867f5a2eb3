import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRetryAfter } from '../../src/collect/retry-after.js';

test('parseRetryAfter: seconds', () => {
  assert.equal(parseRetryAfter('120'), 120_000);
});

test('parseRetryAfter: fractional seconds', () => {
  assert.equal(parseRetryAfter(' 1.5 '), 1500);
});

test('parseRetryAfter: HTTP date', () => {
  const now = Date.parse('Fri, 04 Dec 2026 20:00:00 GMT');
  assert.equal(parseRetryAfter('Fri, 04 Dec 2026 20:00:30 GMT', now), 30_000);
});

test('parseRetryAfter: date in the past', () => {
  const now = Date.parse('Fri, 04 Dec 2026 20:00:00 GMT');
  assert.equal(parseRetryAfter('Fri, 04 Dec 2026 19:00:00 GMT', now), 0);
});

test('parseRetryAfter: missing or unreadable', () => {
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter(''), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter('-5'), undefined);
});
