import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { GrooviestEvent } from '../../src/contracts/events.js';
import { TrackingClient } from '../../src/tracking/client.js';
import { hasMlflow, startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { downloadArtifact, getRun, listArtifactFiles, metricHistory, pythonJson, searchRuns, type WireRun } from '../support/mlflow-rest.js';

function tagOf(run: WireRun, key: string): string | undefined {
  return run.data.tags?.find((tag) => tag.key === key)?.value;
}

function paramsOf(run: WireRun): Record<string, string> {
  return Object.fromEntries((run.data.params ?? []).map((param) => [param.key, param.value]));
}

describe('tracking client', () => {
  let server: MlflowServer | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grooviest-client-'));
    if (hasMlflow()) server = await startMlflowServer();
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('client: local store without a tracking URI', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'local-only'), experimentName: 'local' });
    const run = await client.withRun({ runName: 'alone' }, async (handle) => {
      await handle.logParam('k_value', 4);
      await handle.logMetric('silhouette', 0.25);
      return handle;
    });
    const stored = client.local.getRun(run.runId);
    await client.close();
    assert.equal(stored.info.status, 'FINISHED');
    assert.deepEqual(stored.params, [{ key: 'k_value', value: '4' }]);
    assert.equal(stored.metrics[0].value, 0.25);
  });

  test('client: withRun ends FAILED when fn throws', async () => {
    const client = TrackingClient.open({ trackingDir: join(dir, 'failing') });
    let runId = '';
    await assert.rejects(
      client.withRun({ runName: 'boom' }, async (handle) => {
        runId = handle.runId;
        throw new Error('objective failed');
      }),
      /objective failed/,
    );
    assert.equal(client.local.getRunInfo(runId).status, 'FAILED');
    await client.close();
  });

  test('client: parent and child runs on the MLflow server', async (t) => {
    if (!server) return t.skip('MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)');
    const events: GrooviestEvent[] = [];
    const client = TrackingClient.open({
      trackingDir: join(dir, 'mirrored'),
      trackingUri: server.url,
      experimentName: 'grooviest-client',
      onEvent: (event) => events.push(event),
    });

    const modelDir = join(dir, 'model-src');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify({ k: 3, centers: [[0, 1], [1, 0], [2, 2]] }));

    const parent = await client.startRun({ runName: 'k_means', tags: { purpose: 'test' } });
    for (const k of [3, 5]) {
      await client.withRun({ runName: `trial-${k}`, parent }, async (child) => {
        await child.logParam('k', k);
        await child.logMetrics({ loss: -1 / k, silhouette: 1 / k }, { step: 0 });
        await child.setTag('hyperopt.trial', String(k));
      });
    }
    await assert.rejects(
      client.withRun({ runName: 'trial-bad', parent }, async (child) => {
        await child.logParam('k', 1);
        throw new Error('k must be at least 2');
      }),
    );
    for (let step = 0; step < 5; step += 1) await parent.logMetric('best_loss', -0.5 + step / 100, { step });
    await parent.logParams({ k_value: 3, max_evals: 10 });
    await parent.logDict({ best: { k: 3 } }, 'search/best.json');
    await parent.logText('hello tracking\n', 'notes.txt');
    await parent.logModel(modelDir, {
      signature: { inputs: [{ name: 'danceability', type: 'double' }, { name: 'energy', type: 'double' }], outputs: [{ name: 'prediction', type: 'integer' }] },
      flavor: { format: 'grooviest-kmeans' },
    });
    await parent.end();
    await client.close();

    const runs = await searchRuns(server.url, 'grooviest-client');
    const remoteParent = runs.find((run) => run.info.run_name === 'k_means')!;
    const children = runs.filter((run) => tagOf(run, 'mlflow.parentRunId') === remoteParent.info.run_id);
    assert.equal(events.filter((event) => event.type === 'warning').length, 0);
    assert.equal(runs.length, 4);
    assert.equal(children.length, 3);
    assert.deepEqual(children.map((run) => run.info.run_name).sort(), ['trial-3', 'trial-5', 'trial-bad']);
    assert.equal(children.find((run) => run.info.run_name === 'trial-bad')!.info.status, 'FAILED');
    assert.equal(children.find((run) => run.info.run_name === 'trial-3')!.info.status, 'FINISHED');
    assert.deepEqual(paramsOf(children.find((run) => run.info.run_name === 'trial-5')!), { k: '5' });
    assert.equal(tagOf(children.find((run) => run.info.run_name === 'trial-5')!, 'hyperopt.trial'), '5');

    assert.equal(remoteParent.info.status, 'FINISHED');
    assert.deepEqual(paramsOf(remoteParent), { k_value: '3', max_evals: '10' });
    assert.equal(tagOf(remoteParent, 'purpose'), 'test');
    assert.equal(tagOf(remoteParent, 'mlflow.source.name'), 'grooviest');
    assert.equal(tagOf(remoteParent, 'grooviest.runId'), parent.runId);
    const history = await metricHistory(server.url, remoteParent.info.run_id, 'best_loss');
    assert.deepEqual(history.map((point) => point.step), [0, 1, 2, 3, 4]);
    assert.deepEqual(history.map((point) => point.value), [-0.5, -0.49, -0.48, -0.47, -0.46]);

    const files = await listArtifactFiles(server.url, remoteParent.info.run_id);
    assert.deepEqual(files.map((file) => file.path), ['model/MLmodel', 'model/model.json', 'notes.txt', 'search/best.json']);
    assert.equal(await downloadArtifact(server.url, remoteParent.info.artifact_uri, 'notes.txt'), 'hello tracking\n');
    const localMLmodel = readFileSync(join(client.local.dir, 'artifacts', parent.experimentId, parent.runId, 'artifacts', 'model', 'MLmodel'), 'utf8');
    assert.equal(await downloadArtifact(server.url, remoteParent.info.artifact_uri, 'model/MLmodel'), localMLmodel);
  });

  test('client: MLflow reads the model descriptor', async (t) => {
    if (!server) return t.skip('MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)');
    const [remoteParent] = await searchRuns(server.url, 'grooviest-client', "attributes.run_name = 'k_means'");
    const info = pythonJson(
      server.url,
      [
        'import json, mlflow',
        `info = mlflow.models.get_model_info("runs:/${remoteParent.info.run_id}/model")`,
        'print(json.dumps({"flavors": sorted(info.flavors), "inputs": info.signature.inputs.input_names(), "types": [t.name for t in info.signature.inputs.input_types()], "outputs": info.signature.outputs.input_names(), "format": info.flavors["grooviest"]["format"]}))',
      ].join('\n'),
    ) as { flavors: string[]; inputs: string[]; types: string[]; outputs: string[]; format: string };
    assert.deepEqual(info.flavors, ['grooviest']);
    assert.deepEqual(info.inputs, ['danceability', 'energy']);
    assert.deepEqual(info.types, ['double', 'double']);
    assert.deepEqual(info.outputs, ['prediction']);
    assert.equal(info.format, 'grooviest-kmeans');
  });

  test('client: local store keeps what the server got', async (t) => {
    if (!server) return t.skip('MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)');
    const client = TrackingClient.open({ trackingDir: join(dir, 'mirrored') });
    const [localParent] = client.local.listRuns({ experimentName: 'grooviest-client' }).filter((run) => run.runName === 'k_means');
    const history = client.local.getMetricHistory(localParent.runId, 'best_loss');
    const link = client.local.getRemoteRun(server.url, localParent.runId);
    client.local.close();
    const remote = await getRun(server.url, link!.remoteRunId);
    assert.equal(history.length, 5);
    assert.equal(remote.info.run_name, 'k_means');
  });

  test('client: concurrent trials each get a child run', async (t) => {
    if (!server) return t.skip('MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)');
    const client = TrackingClient.open({ trackingDir: join(dir, 'concurrent'), trackingUri: server.url, experimentName: 'grooviest-concurrent' });
    const parent = await client.startRun({ runName: 'search' });
    await Promise.all(
      [3, 4, 5, 6, 7, 8].map((k) =>
        client.withRun({ runName: `trial-k${k}`, parent }, async (child) => {
          await child.logParam('k', k);
          for (let fold = 0; fold < 3; fold += 1) await child.logMetric('fold_silhouette', k + fold / 10, { step: fold });
        }),
      ),
    );
    await parent.end();
    await client.close();

    const runs = await searchRuns(server.url, 'grooviest-concurrent');
    const remoteParent = runs.find((run) => run.info.run_name === 'search')!;
    const children = runs.filter((run) => tagOf(run, 'mlflow.parentRunId') === remoteParent.info.run_id);
    assert.equal(runs.length, 7);
    assert.equal(children.length, 6);
    for (const child of children) {
      const k = Number(paramsOf(child).k);
      const history = await metricHistory(server.url, child.info.run_id, 'fold_silhouette');
      assert.deepEqual(history.map((point) => point.value), [k, k + 0.1, k + 0.2], child.info.run_name);
    }
  });

  test('client: truncation reaches the server cut', async (t) => {
    if (!server) return t.skip('MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)');
    const events: GrooviestEvent[] = [];
    const client = TrackingClient.open({
      trackingDir: join(dir, 'truncate'),
      trackingUri: server.url,
      experimentName: 'grooviest-truncate',
      truncate: true,
      onEvent: (event) => events.push(event),
    });
    await client.withRun({ runName: 'long' }, async (run) => {
      await run.logParam('columns', 'c'.repeat(7000));
      await run.setTag('note', 'n'.repeat(9000));
    });
    await client.close();
    const [remote] = await searchRuns(server.url, 'grooviest-truncate');
    assert.equal(paramsOf(remote).columns.length, 6000);
    assert.equal(tagOf(remote, 'note')!.length, 8000);
    assert.equal(events.filter((event) => event.type === 'warning' && event.code === 'value-truncated').length, 2);
  });
});
