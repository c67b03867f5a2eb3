import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CollectOptions } from '../../src/collect/collect.js';
import type { RetryEvent } from '../../src/contracts/events.js';
import { JobError } from '../../src/errors.js';
import { CLIENT_SECRET, startHarness, type Harness } from '../support/collect-harness.js';
import type { Fault } from '../support/spotify-stand-in.js';

// Two small artists keep each run short: KK (6 albums) by id and Skrillex (2 albums) by name.
const ARTISTS = ['4fEkbug6kZzzJ8eYX6Kbbp', 'Skrillex'];
const LIMIT = { timeout: 30_000 };

async function freshCache(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'grooviest-faults-'));
}

describe('collect faults, old integration', () => {
  let harness: Harness;
  let expectedRows: unknown[];
  const run = async (overrides: Partial<CollectOptions> = {}) =>
    harness.collect({ artists: ARTISTS, cacheDirectory: await freshCache(), ...overrides });
  const runWith = async (fault: Fault, overrides: Partial<CollectOptions> = {}) => {
    harness.spotify.clearFaults();
    harness.spotify.inject(fault);
    harness.events.length = 0;
    return run(overrides);
  };
  const retries = () => harness.events.filter((event): event is RetryEvent => event.type === 'retry');

  before(async () => {
    harness = await startHarness('old');
    expectedRows = (await run()).rows;
  });
  after(() => harness.close());

  test('fault 429 Retry-After: waits and retries', LIMIT, async () => {
    const result = await runWith({ kind: '429', endpoint: 'artist-albums', retryAfter: '1' });
    assert.deepEqual(result.rows, expectedRows);
    assert.equal(retries().length, 1);
    assert.equal(retries()[0].waitMs, 1000);
  });

  test('fault 429 retry-after lower case', LIMIT, async () => {
    const result = await runWith({ kind: '429', endpoint: 'albums', retryAfter: '1', retryAfterHeader: 'retry-after' });
    assert.deepEqual(result.rows, expectedRows);
    assert.equal(retries()[0].waitMs, 1000);
  });

  test('fault 429 RETRY-AFTER upper case', LIMIT, async () => {
    const result = await runWith({ kind: '429', endpoint: 'audio-features', retryAfter: '1', retryAfterHeader: 'RETRY-AFTER' });
    assert.deepEqual(result.rows, expectedRows);
    assert.equal(retries()[0].waitMs, 1000);
  });

  test('fault 429 without Retry-After: backoff', LIMIT, async () => {
    const result = await runWith({ kind: '429-no-retry-after', endpoint: 'search', times: 3 });
    assert.deepEqual(result.rows, expectedRows);
    const waits = retries().map((event) => event.waitMs);
    assert.equal(waits.length, 3);
    // Backoff base 5 ms doubles: each wait lies in [ceiling/2, ceiling] for ceilings 5, 10, 20.
    waits.forEach((wait, attempt) => {
      const ceiling = 5 * 2 ** attempt;
      assert.ok(wait >= ceiling / 2, `wait ${wait} ms of attempt ${attempt + 1} at least ${ceiling / 2}`);
      assert.ok(wait <= ceiling, `wait ${wait} ms of attempt ${attempt + 1} at most ${ceiling}`);
    });
  });

  test('fault Retry-After above max-wait fails fast', LIMIT, async () => {
    const error = await runWith({ kind: '429', endpoint: 'artist-albums', retryAfter: '3600' }, { http: { maxWaitMs: 300_000 } }).catch((caught) => caught);
    assert.ok(error instanceof JobError);
    assert.match(error.message, /requested a wait of 3600 s \(Retry-After\)/);
    assert.match(error.message, /--max-wait 300 s/);
  });

  test('fault backoff above max-wait fails fast', LIMIT, async () => {
    const error = await runWith({ kind: '503', endpoint: 'search' }, { http: { backoffBaseMs: 10_000, backoffMaxMs: 10_000, maxWaitMs: 1000 } }).catch((caught) => caught);
    assert.ok(error instanceof JobError);
    assert.match(error.message, /the next backoff wait of \d+(\.\d)? s before retrying GET \/search/);
  });

  test('fault QUOTA_EXCEEDED reported as such', LIMIT, async () => {
    const before = harness.spotify.counts()['album-tracks'];
    const error = await runWith({ kind: 'quota', endpoint: 'albums' }).catch((caught) => caught);
    assert.ok(error instanceof JobError);
    assert.match(error.message, /QUOTA_EXCEEDED/);
    assert.equal(harness.spotify.counts()['album-tracks'], before, 'no request after the quota error');
    assert.equal(retries().length, 0);
  });

  test('fault 500 then success', LIMIT, async () => {
    const result = await runWith({ kind: '500', endpoint: 'albums', times: 2 });
    assert.deepEqual(result.rows, expectedRows);
    assert.equal(retries().length, 2);
  });

  test('fault 503 then success', LIMIT, async () => {
    const result = await runWith({ kind: '503', endpoint: 'audio-features' });
    assert.deepEqual(result.rows, expectedRows);
  });

  test('fault 500 forever: bounded retries', LIMIT, async () => {
    const before = harness.spotify.counts()['artist-albums'];
    const error = await runWith({ kind: '500', endpoint: 'artist-albums', times: 1000 }, { http: { maxRetries: 3 } }).catch((caught) => caught);
    assert.ok(error instanceof JobError);
    assert.match(error.message, /after 4 attempts/);
    assert.equal(harness.spotify.counts()['artist-albums'] - before, 4);
    harness.spotify.clearFaults();
  });

  test('fault dropped connection', LIMIT, async () => {
    const result = await runWith({ kind: 'drop', endpoint: 'albums', times: 2 });
    assert.deepEqual(result.rows, expectedRows);
    assert.equal(retries().length, 2);
  });

  test('fault slow response times out and retries', LIMIT, async () => {
    const result = await runWith({ kind: 'slow', endpoint: 'audio-features', delayMs: 3000 }, { http: { timeoutMs: 300 } });
    assert.deepEqual(result.rows, expectedRows);
    assert.match(retries()[0].reason, /no response within 0.3 s/);
  });

  test('fault token expiry renews once', LIMIT, async () => {
    const tokensBefore = harness.spotify.counts().token;
    const result = await runWith({ kind: 'expire-token', endpoint: 'audio-features' });
    assert.deepEqual(result.rows, expectedRows);
    assert.equal(harness.spotify.counts().token - tokensBefore, 2);
  });

  test('fault invalid_client', LIMIT, async () => {
    const error = await run({ credentials: { clientId: 'wrong-id', clientSecret: 'wrong-secret-value' } }).catch((caught) => caught);
    assert.ok(error instanceof JobError);
    assert.match(error.message, /invalid_client/);
    assert.match(error.message, /SPOTIFY_CLIENT_ID/);
    assert.doesNotMatch(error.message, /wrong-secret-value/);
    assert.doesNotMatch(error.message, new RegExp(CLIENT_SECRET));
  });

  test('fault null feature entries skipped and listed', LIMIT, async () => {
    const nulls = (expectedRows as { id: string }[]).slice(0, 3).map((row) => row.id);
    const standIn = (harness.spotify as unknown as { nullFeatures: Set<string> }).nullFeatures;
    for (const id of nulls) standIn.add(id);
    try {
      harness.events.length = 0;
      const result = await run();
      assert.deepEqual(result.rows, (expectedRows as { id: string }[]).slice(3));
      assert.deepEqual(result.summary.featuresMissing, nulls);
      const warning = harness.events.find((event) => event.type === 'warning' && event.code === 'features-missing');
      assert.ok(warning, 'a features-missing warning');
      assert.deepEqual(warning.type === 'warning' && warning.details?.ids, nulls);
    } finally {
      standIn.clear();
    }
  });
});

describe('collect faults, development-mode app', () => {
  let harness: Harness;
  let expectedRows: unknown[];
  const run = async (overrides: Partial<CollectOptions> = {}) =>
    harness.collect({ artists: ARTISTS, cacheDirectory: await freshCache(), ...overrides });

  before(async () => {
    harness = await startHarness('development');
    expectedRows = (await run()).rows;
  });
  after(() => harness.close());

  test('audio features 403 names reccobeats', LIMIT, async () => {
    const error = await run({ provider: 'spotify' }).catch((caught) => caught);
    assert.ok(error instanceof JobError);
    assert.match(error.message, /November 2024/);
    assert.match(error.message, /--provider reccobeats/);
  });

  test('audio features 403 then reccobeats reuses cache', LIMIT, async () => {
    const cacheDirectory = await freshCache();
    await run({ provider: 'spotify', cacheDirectory }).catch(() => undefined);
    const before = harness.spotify.total;
    const result = await run({ provider: 'reccobeats', cacheDirectory });
    assert.equal(harness.spotify.total - before, 0);
    assert.deepEqual(result.rows, expectedRows);
  });

  test('reccobeats rejected batch halves', LIMIT, async () => {
    (harness.reccobeats.options as { maxBatch?: number }).maxBatch = 25;
    try {
      harness.events.length = 0;
      const result = await run();
      assert.deepEqual(result.rows, expectedRows);
      const halved = harness.events.filter((event) => event.type === 'warning' && event.code === 'batch-size-halved');
      assert.equal(halved.length, 1);
      assert.equal(halved[0].type === 'warning' && halved[0].details?.batchSize, 20);
    } finally {
      (harness.reccobeats.options as { maxBatch?: number }).maxBatch = 40;
    }
  });

  test('reccobeats unknown tracks reported missing', LIMIT, async () => {
    const unknown = (expectedRows as { id: string }[]).slice(-2).map((row) => row.id);
    const set = (harness.reccobeats as unknown as { unknown: Set<string> }).unknown;
    for (const id of unknown) set.add(id);
    try {
      const result = await run();
      assert.deepEqual(result.summary.featuresMissing, unknown);
      assert.equal(result.rows.length, expectedRows.length - 2);
    } finally {
      set.clear();
    }
  });

  test('reccobeats without any features fails', LIMIT, async () => {
    const set = (harness.reccobeats as unknown as { unknown: Set<string> }).unknown;
    for (const row of expectedRows as { id: string }[]) set.add(row.id);
    try {
      const error = await run().catch((caught) => caught);
      assert.ok(error instanceof JobError);
      assert.match(error.message, /no audio features found for any/);
    } finally {
      set.clear();
    }
  });

  test('reccobeats 429 retried', LIMIT, async () => {
    harness.reccobeats.throttle = 1;
    const result = await run();
    assert.deepEqual(result.rows, expectedRows);
  });
});
