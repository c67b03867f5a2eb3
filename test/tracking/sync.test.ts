import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { GrooviestEvent } from '../../src/contracts/events.js';
import { TrackingClient } from '../../src/tracking/client.js';
import { RestStore } from '../../src/tracking/stores/rest.js';
import { syncRuns } from '../../src/tracking/sync.js';
import { hasMlflow, startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { listArtifactFiles, metricHistory, pythonJson, searchRuns, type WireRun } from '../support/mlflow-rest.js';

const SKIP = 'MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)';
const FAST_RETRY = { maxRetries: 1, baseDelayMs: 50, maxDelayMs: 100, timeoutMs: 5000 };

function tagOf(run: WireRun, key: string): string | undefined {
  return run.data.tags?.find((tag) => tag.key === key)?.value;
}

describe('tracking sync', () => {
  let server: MlflowServer | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grooviest-sync-'));
    if (hasMlflow()) server = await startMlflowServer();
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('sync: local runs with children reach the server', async (t) => {
    if (!server) return t.skip(SKIP);
    const trackingDir = join(dir, 'offline');
    const client = TrackingClient.open({ trackingDir, experimentName: 'synced' });
    const parent = await client.startRun({ runName: 'k_means' });
    for (const k of [4, 7]) {
      await client.withRun({ runName: `trial-${k}`, parent }, async (child) => {
        await child.logParam('k', k);
        for (let fold = 0; fold < 3; fold += 1) await child.logMetric('fold_silhouette', k / 10 + fold / 100, { step: fold });
      });
    }
    await parent.logParam('k_value', 4);
    await parent.logText('best k is 4\n', 'summary.txt');
    const modelDir = join(dir, 'offline-model');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(join(modelDir, 'model.json'), '{"k":4}');
    await parent.logModel(modelDir, { signature: { inputs: [{ name: 'tempo', type: 'double' }] } });
    await parent.end('FINISHED');
    client.local.close();

    const client2 = TrackingClient.open({ trackingDir });
    const report = await syncRuns(client2.local, new RestStore(server.url));
    const again = await syncRuns(client2.local, new RestStore(server.url));
    client2.local.close();

    const runs = await searchRuns(server.url, 'synced');
    const remoteParent = runs.find((run) => run.info.run_name === 'k_means')!;
    const child = runs.find((run) => run.info.run_name === 'trial-7')!;
    assert.equal(report.runs.length, 3);
    assert.equal(report.runs.every((run) => run.created), true);
    assert.equal(report.runs.reduce((sum, run) => sum + run.metrics, 0), 6);
    assert.equal(again.runs.reduce((sum, run) => sum + run.params + run.tags + run.metrics + run.artifacts, 0), 0);
    assert.equal(again.runs.some((run) => run.created || run.status !== undefined), false);
    assert.equal(runs.length, 3);
    assert.equal(tagOf(child, 'mlflow.parentRunId'), remoteParent.info.run_id);
    assert.equal(child.info.status, 'FINISHED');
    assert.deepEqual((await metricHistory(server.url, child.info.run_id, 'fold_silhouette')).map((point) => [point.step, point.value]), [
      [0, 0.7],
      [1, 0.71],
      [2, 0.72],
    ]);
    assert.deepEqual((await listArtifactFiles(server.url, remoteParent.info.run_id)).map((file) => file.path), ['model/MLmodel', 'model/model.json', 'summary.txt']);
    assert.equal(remoteParent.data.params?.find((param) => param.key === 'k_value')?.value, '4');
    const model = pythonJson(
      server.url,
      `import json, mlflow\ninfo = mlflow.models.get_model_info("runs:/${remoteParent.info.run_id}/model")\nprint(json.dumps({"inputs": info.signature.inputs.input_names(), "flavors": sorted(info.flavors)}))`,
    ) as { inputs: string[]; flavors: string[] };
    assert.deepEqual(model, { inputs: ['tempo'], flavors: ['grooviest'] });
  });

  test('sync: server killed mid-run loses nothing', async (t) => {
    if (!server) return t.skip(SKIP);
    const events: GrooviestEvent[] = [];
    const trackingDir = join(dir, 'crash');
    const client = TrackingClient.open({
      trackingDir,
      trackingUri: server.url,
      experimentName: 'crash',
      retry: FAST_RETRY,
      onEvent: (event) => events.push(event),
    });
    const parent = await client.startRun({ runName: 'k_means' });
    const first = await client.startRun({ runName: 'trial-0', parent });
    await first.logParam('k', 3);
    for (let step = 0; step < 10; step += 1) await first.logMetric('loss', step, { step });
    await first.end();
    for (let step = 0; step < 5; step += 1) await parent.logMetric('best_loss', step, { step });

    await server.kill();
    for (let step = 5; step < 10; step += 1) await parent.logMetric('best_loss', step, { step });
    const second = await client.startRun({ runName: 'trial-1', parent });
    await second.logParam('k', 5);
    await second.logMetric('loss', -0.5);
    await second.end('KILLED');
    await parent.logParam('k_value', 3);
    await parent.setTag('stage', 'done');
    await parent.logText('finished without a server\n', 'summary.txt');
    await parent.end();
    await client.close();

    await server.restart();
    const client2 = TrackingClient.open({ trackingDir });
    const report = await syncRuns(client2.local, new RestStore(server.url));
    const again = await syncRuns(client2.local, new RestStore(server.url));
    client2.local.close();

    const runs = await searchRuns(server.url, 'crash');
    const remoteParent = runs.find((run) => run.info.run_name === 'k_means')!;
    const remoteFirst = runs.find((run) => run.info.run_name === 'trial-0')!;
    const remoteSecond = runs.find((run) => run.info.run_name === 'trial-1')!;
    const warnings = events.filter((event) => event.type === 'warning' && event.code === 'tracking-server-unavailable');
    const keptLocal = events.filter((event) => event.type === 'info' && event.code === 'run-kept-local');

    assert.equal(warnings.length, 1);
    assert.equal(keptLocal.length, 2);
    assert.equal(runs.length, 3);
    assert.equal(report.runs.find((run) => run.runName === 'trial-0')!.metrics, 0);
    assert.equal(report.runs.find((run) => run.runName === 'k_means')!.created, false);
    assert.equal(again.runs.reduce((sum, run) => sum + run.params + run.tags + run.metrics + run.artifacts, 0), 0);
    assert.deepEqual((await metricHistory(server.url, remoteParent.info.run_id, 'best_loss')).map((point) => point.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual((await metricHistory(server.url, remoteFirst.info.run_id, 'loss')).map((point) => point.value), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual((await metricHistory(server.url, remoteSecond.info.run_id, 'loss')).map((point) => point.value), [-0.5]);
    assert.equal(remoteParent.info.status, 'FINISHED');
    assert.equal(remoteSecond.info.status, 'KILLED');
    assert.equal(tagOf(remoteSecond, 'mlflow.parentRunId'), remoteParent.info.run_id);
    assert.equal(tagOf(remoteParent, 'stage'), 'done');
    assert.equal(remoteParent.data.params?.find((param) => param.key === 'k_value')?.value, '3');
    assert.deepEqual((await listArtifactFiles(server.url, remoteParent.info.run_id)).map((file) => file.path), ['summary.txt']);
  });

  test('sync: lost link finds the server run by tag', async (t) => {
    if (!server) return t.skip(SKIP);
    const trackingDir = join(dir, 'lost-link');
    const client = TrackingClient.open({ trackingDir, trackingUri: server.url, experimentName: 'lost-link' });
    await client.withRun({ runName: 'once' }, async (run) => {
      await run.logMetric('m', 1);
    });
    await client.close();

    // Forget the link, as when the create response never arrived.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(trackingDir, 'tracking.db'));
    db.prepare('DELETE FROM remote_runs').run();
    db.prepare('DELETE FROM sent').run();
    db.close();

    const client2 = TrackingClient.open({ trackingDir });
    const report = await syncRuns(client2.local, new RestStore(server.url));
    client2.local.close();
    const runs = await searchRuns(server.url, 'lost-link');
    assert.equal(runs.length, 1);
    assert.equal(report.runs[0].created, false);
    assert.equal((await metricHistory(server.url, runs[0].info.run_id, 'm')).length, 1);
  });

  test('sync: tag set back to an old value', async (t) => {
    if (!server) return t.skip(SKIP);
    const trackingDir = join(dir, 'tag-flip');
    const client = TrackingClient.open({ trackingDir, experimentName: 'tag-flip' });
    const run = await client.startRun({ runName: 'flip' });
    const remote = new RestStore(server.url);
    for (const value of ['a', 'b', 'a']) {
      await run.setTag('stage', value);
      await syncRuns(client.local, remote);
    }
    await run.end();
    client.local.close();
    const [remoteRun] = await searchRuns(server.url, 'tag-flip');
    assert.equal(tagOf(remoteRun, 'stage'), 'a');
  });
});
