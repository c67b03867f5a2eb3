import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TrackingClient } from '../../../src/tracking/client.js';
import { LocalStore } from '../../../src/tracking/stores/local.js';

const run = promisify(execFile);
const writer = fileURLToPath(new URL('../../support/local-store-writer.js', import.meta.url));

describe('local store', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'grooviest-local-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('local: two processes log at once', async () => {
    const trackingDir = join(dir, 'shared');
    const [a, b] = await Promise.all([run(process.execPath, [writer, trackingDir, 'a', '300']), run(process.execPath, [writer, trackingDir, 'b', '300'])]);
    const store = LocalStore.open(trackingDir);
    const histories = [a.stdout.trim(), b.stdout.trim()].map((runId) => store.getMetricHistory(runId, 'value'));
    const statuses = [a.stdout.trim(), b.stdout.trim()].map((runId) => store.getRunInfo(runId).status);
    store.close();
    assert.deepEqual(histories.map((history) => history.length), [300, 300]);
    assert.deepEqual(statuses, ['FINISHED', 'FINISHED']);
  });

  test('local: param change names both values', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'params') });
    const handle = await client.startRun();
    await handle.logParam('k', 3);
    await handle.logParam('k', 3);
    await assert.rejects(handle.logParam('k', 4), /param "k" of run [0-9a-f]+ is already "3" and cannot change to "4"/);
    await handle.end();
    await client.close();
  });

  test('local: invalid batch writes nothing', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'atomic') });
    const handle = await client.startRun();
    await assert.rejects(handle.logMetrics({ good: 1, bad: Number.NaN }), /finite/);
    assert.deepEqual(client.local.getAllMetrics(handle.runId), []);
    await handle.end();
    await client.close();
  });

  test('local: latest metric by step', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'latest') });
    const handle = await client.startRun();
    await handle.logMetric('loss', 5, { step: 2, timestamp: 1 });
    await handle.logMetric('loss', 9, { step: 1, timestamp: 2 });
    assert.deepEqual(client.local.getLatestMetrics(handle.runId), [{ key: 'loss', value: 5, step: 2, timestamp: 1 }]);
    await handle.end();
    await client.close();
  });

  test('local: logging after end rejected', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'ended') });
    const handle = await client.startRun({ runName: 'done' });
    await handle.end('KILLED');
    await assert.rejects(handle.logMetric('m', 1), /has ended/);
    assert.equal(client.local.getRunInfo(handle.runId).status, 'KILLED');
    await client.close();
  });

  test('local: endOpenRuns kills open runs', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'interrupted') });
    const parent = await client.startRun({ runName: 'parent' });
    const child = await client.startRun({ runName: 'child', parent });
    const done = await client.startRun({ runName: 'done', parent });
    await done.end();
    await client.endOpenRuns();
    assert.equal(client.local.getRunInfo(parent.runId).status, 'KILLED');
    assert.equal(client.local.getRunInfo(child.runId).status, 'KILLED');
    assert.equal(client.local.getRunInfo(done.runId).status, 'FINISHED');
    await client.close();
  });

  test('local: artifact path escaping rejected', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'escape') });
    const handle = await client.startRun();
    await assert.rejects(handle.logText('x', '../outside.txt'), /invalid artifact path/);
    await handle.end();
    await client.close();
  });

  test('local: run id prefix resolves', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'prefix') });
    const handle = await client.startRun();
    await handle.end();
    assert.equal(client.local.resolveRunId(handle.runId.slice(0, 8)), handle.runId);
    assert.throws(() => client.local.resolveRunId('zz'), /run not found/);
    await client.close();
  });

  test('local: deleted runs hidden from list', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'delete') });
    const keep = await client.startRun({ runName: 'keep' });
    const drop = await client.startRun({ runName: 'drop' });
    client.local.deleteRun(drop.runId);
    assert.deepEqual(client.local.listRuns().map((info) => info.runName), ['keep']);
    assert.equal(client.local.listRuns({ includeDeleted: true }).length, 2);
    await keep.end();
    await client.close();
  });
});
