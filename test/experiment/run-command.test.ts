import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { openEngine } from '../../src/frame/engines.js';
import { ClusteringEvaluator } from '../../src/ml/evaluation/clustering-evaluator.js';
import { loadModel } from '../../src/ml/persistence.js';
import { tableFromDataset } from '../../src/ml/table.js';
import { LocalStore } from '../../src/tracking/index.js';
import type { RunSummary } from '../../src/experiment/summary.js';
import { DEFAULT_FEATURE_COLUMNS } from '../../src/contracts/track-table.js';
import { cliPath, runCli, temporaryDir } from '../support/cli.js';
import { DISCOGRAPHIES, GENRE_SEARCH, TIDYTUESDAY, sharedData } from '../support/shared-data.js';

async function readPredictions(path: string, columns = 'id, cluster, silhouette'): Promise<{ id: string; cluster: number | null; silhouette: number }[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`SELECT ${columns} FROM read_parquet('${path}')`);
  const rows = reader.getRowObjectsJS() as { id: string; cluster: number | null; silhouette: number }[];
  connection.closeSync();
  instance.closeSync();
  return rows;
}

async function run(args: string[], cwd: string): Promise<RunSummary> {
  const result = await runCli(['run', ...args, '--no-covers', '--json', '--quiet'], { cwd, timeoutMs: 300_000 });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as RunSummary;
}

describe('run on the 36-artist file', () => {
  const cwd = temporaryDir();
  const input = sharedData(DISCOGRAPHIES);
  let summary: RunSummary;
  let again: RunSummary;
  before(async () => {
    summary = await run(['-i', input, '--out-dir', join(cwd, 'first')], cwd);
    again = await run(['-i', input, '--out-dir', join(cwd, 'second')], cwd);
  });

  test('summary has the versioned keys', () => {
    assert.equal(summary.schema_version, 1);
    assert.ok(summary.best_k >= 3, `best k ${summary.best_k}`);
    assert.ok(summary.best_k <= 19, `best k ${summary.best_k}`);
    assert.ok(summary.final_silhouette > 0, `silhouette ${summary.final_silhouette}`);
    assert.ok(summary.final_silhouette < 1, `silhouette ${summary.final_silhouette}`);
    assert.equal(summary.k_tried.length, 10);
    assert.ok(summary.k_tried.every((k) => k >= 3 && k <= 19));
  });

  test('outputs are written', () => {
    for (const name of ['predictions.parquet', 'trials.json', 'summary.json', 'report.html', 'model/stage.json', 'charts/top-tracks.vl.json', 'charts/elbow.svg']) {
      assert.ok(existsSync(join(cwd, 'first', name)), name);
    }
  });

  test('every track has a cluster', async () => {
    const predictions = await readPredictions(join(cwd, 'first', 'predictions.parquet'));
    assert.equal(predictions.length, 10130);
    assert.ok(predictions.every((row) => row.cluster !== null && row.cluster >= 0 && row.cluster < summary.best_k));
  });

  test('query reads the predictions as tracks', async () => {
    const result = await runCli(['query', 'SELECT cluster, count(*) AS tracks, avg(danceability) AS danceability FROM tracks GROUP BY cluster', '-i', join(cwd, 'first', 'predictions.parquet'), '--json'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as { cluster: number; tracks: number; danceability: number }[];
    assert.equal(rows.length, summary.best_k);
    assert.equal(rows.reduce((sum, row) => sum + row.tracks, 0), 10130);
    assert.ok(rows.every((row) => row.danceability > 0 && row.danceability < 1));
  });

  test('final silhouette equals the evaluator on saved predictions', async () => {
    const predictions = await readPredictions(join(cwd, 'first', 'predictions.parquet'));
    const frame = await openEngine('local').load({ inputs: [input], cacheDir: temporaryDir() });
    const dataset = await frame.toDataset([...DEFAULT_FEATURE_COLUMNS], 'error');
    await frame.close();
    const model = await loadModel(join(cwd, 'first', 'model'));
    const scored = model.transform(tableFromDataset(dataset));
    const saved = scored.withColumn('saved_cluster', { type: 'int', values: Int32Array.from(predictions, (row) => row.cluster!) });
    const silhouette = new ClusteringEvaluator({ featuresCol: 'scaled_features', predictionCol: 'saved_cluster' }).evaluate(saved);
    assert.ok(Math.abs(silhouette - summary.final_silhouette) <= 1e-12, `${silhouette} vs ${summary.final_silhouette}`);
  });

  test('predict from the run folder matches the run', async () => {
    const out = join(cwd, 'predicted.parquet');
    const result = await runCli(['predict', '--model', join(cwd, 'first'), '-i', input, '--out', out, '--quiet'], { cwd, timeoutMs: 120_000 });
    assert.equal(result.code, 0, result.stderr);
    const predicted = await readPredictions(out, 'id, cluster, NULL AS silhouette');
    const saved = await readPredictions(join(cwd, 'first', 'predictions.parquet'));
    assert.deepEqual(predicted.map((row) => row.cluster), saved.map((row) => row.cluster));
  });

  test('same seeds reproduce best k and predictions', async () => {
    assert.equal(again.best_k, summary.best_k);
    assert.deepEqual(again.k_tried, summary.k_tried);
    const first = await readPredictions(join(cwd, 'first', 'predictions.parquet'));
    const second = await readPredictions(join(cwd, 'second', 'predictions.parquet'));
    assert.deepEqual(second.map((row) => row.cluster), first.map((row) => row.cluster));
  });

  test('parent and child runs are tracked', () => {
    const store = LocalStore.open(join(cwd, '.grooviest'));
    try {
      const parent = store.getRun(summary.tracking.parent_run_id);
      assert.equal(parent.info.status, 'FINISHED');
      assert.equal(parent.info.runName, 'k_means');
      assert.equal(parent.params.find((param) => param.key === 'k_value')?.value, String(summary.best_k));
      assert.equal(parent.metrics.find((metric) => metric.key === 'silhouette')?.value, summary.final_silhouette);
      assert.ok(parent.tags.some((tag) => tag.key === 'grooviest.input_sha256' && /^[0-9a-f]{64}$/.test(tag.value)));
      assert.equal(summary.tracking.child_run_ids.length, 10);
      for (const [tid, childId] of summary.tracking.child_run_ids.entries()) {
        const child = store.getRun(childId);
        assert.equal(child.info.status, 'FINISHED');
        assert.equal(child.tags.find((tag) => tag.key === 'mlflow.parentRunId')?.value, parent.info.runId);
        assert.equal(child.params.find((param) => param.key === 'k_value')?.value, String(summary.k_tried[tid]));
        const metrics = new Set(child.metrics.map((metric) => metric.key));
        for (const key of ['loss', 'silhouette_fold_0', 'silhouette_fold_1', 'silhouette_fold_2', 'silhouette_mean', 'silhouette_std', 'training_cost']) assert.ok(metrics.has(key), `${key} of trial ${tid}`);
      }
    } finally {
      store.close();
    }
  });
});

describe('run interrupted and resumed', () => {
  const cwd = temporaryDir();
  const input = sharedData(DISCOGRAPHIES);
  const args = ['-i', input, '--max-evals', '16', '--k-max', '12'];

  test('kill and resume equals an uninterrupted run', async () => {
    const uninterrupted = await run([...args, '--out-dir', join(cwd, 'whole')], cwd);

    // Start the same run and interrupt it after a few trials have ended.
    const outDir = join(cwd, 'interrupted');
    const child = spawn(process.execPath, [cliPath, 'run', ...args, '--no-covers', '--out-dir', outDir, '--quiet'], { cwd, env: { ...process.env, XDG_CACHE_HOME: temporaryDir() } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const trialsFile = join(outDir, 'trials.json');
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (existsSync(trialsFile)) {
        const done = (JSON.parse(readFileSync(trialsFile, 'utf8')) as { trials: { state: string }[] }).trials.filter((trial) => trial.state === 'done').length;
        if (done >= 4) break;
      }
      assert.ok(Date.now() < deadline, 'trials did not start in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    const runId = /--resume (\w+)/.exec(stderr)?.[1];
    assert.ok(runId, stderr);

    const store = LocalStore.open(join(cwd, '.grooviest'));
    assert.equal(store.getRun(runId).info.status, 'KILLED');
    store.close();

    const resumed = await run([...args, '--out-dir', outDir, '--resume', runId], cwd);
    assert.equal(resumed.tracking.parent_run_id, runId);
    assert.deepEqual(resumed.k_tried, uninterrupted.k_tried);
    assert.equal(resumed.best_k, uninterrupted.best_k);
    const a = await readPredictions(join(cwd, 'whole', 'predictions.parquet'));
    const b = await readPredictions(join(outDir, 'predictions.parquet'));
    assert.deepEqual(b.map((row) => row.cluster), a.map((row) => row.cluster));
  });
});

describe('run on the larger real datasets', () => {
  for (const name of [TIDYTUESDAY, GENRE_SEARCH]) {
    test(`run on ${name}`, async () => {
      const cwd = temporaryDir();
      const summary = await run(['-i', sharedData(name), '--out-dir', join(cwd, 'out')], cwd);
      const predictions = await readPredictions(join(cwd, 'out', 'predictions.parquet'));
      assert.equal(predictions.length, summary.data.rows_clustered);
      assert.equal(summary.data.rows, name === TIDYTUESDAY ? 32833 : 77566);
      assert.ok(predictions.every((row) => row.cluster !== null));
      assert.equal(summary.trials.length, 10);
    });
  }
});

describe('run errors', () => {
  test('unknown feature column', async () => {
    const result = await runCli(['run', '-i', sharedData(DISCOGRAPHIES), '--features', 'tempo,groove', '--no-covers'], { cwd: temporaryDir() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /feature column groove not in the tracks/);
  });

  test('reused out dir warns', async () => {
    const cwd = temporaryDir();
    const args = ['run', '-i', sharedData(DISCOGRAPHIES), '--max-evals', '1', '--k-max', '4', '--no-covers', '--out-dir', 'out', '--json'];
    const first = await runCli(args, { cwd });
    assert.equal(first.code, 0, first.stderr);
    const firstRun = (JSON.parse(first.stdout) as RunSummary).tracking.parent_run_id;
    const second = await runCli(args, { cwd });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, new RegExp(`contains the outputs of run ${firstRun}, and this run replaces them`));

    // The first run's report cannot be rebuilt from the second run's outputs.
    const report = await runCli(['report', firstRun], { cwd });
    assert.equal(report.code, 2);
    assert.match(report.stderr, new RegExp(`contains the outputs of run \\w+, which replaced those of run ${firstRun}`));

    // A finished run cannot be resumed, and it stays FINISHED.
    const resumed = await runCli([...args, '--resume', firstRun], { cwd });
    assert.equal(resumed.code, 2);
    assert.match(resumed.stderr, /already finished/);
    const listed = await runCli(['runs', 'list', '--json'], { cwd });
    const rows = JSON.parse(listed.stdout) as { run_id: string; status: string }[];
    assert.equal(rows.find((row) => row.run_id === firstRun)?.status, 'FINISHED');
  });

  test('file without an unused feature', async () => {
    const cwd = temporaryDir();
    const rows = Array.from({ length: 30 }, (_, i) => `t${i},Song ${i},Band,${(i % 7) / 7},${(i % 5) / 5},${(i % 3) / 3},${(i % 11) / 11},0.1,-7,0.05,120`);
    writeFileSync(join(cwd, 'partial.csv'), `id,name,artist,acousticness,danceability,energy,instrumentalness,liveness,loudness,speechiness,tempo\n${rows.join('\n')}\n`);
    const chosen = await runCli(['run', '-i', 'partial.csv', '--features', 'acousticness,danceability,energy', '--k-max', '4', '--dry-run', '--no-covers'], { cwd });
    assert.equal(chosen.code, 0, chosen.stderr);
    const all = await runCli(['run', '-i', 'partial.csv', '--k-max', '4', '--dry-run', '--no-covers'], { cwd });
    assert.equal(all.code, 2);
    assert.match(all.stderr, /missing audio-feature columns valence/);
  });

  test('out dir that is a file', async () => {
    const cwd = temporaryDir();
    writeFileSync(join(cwd, 'afile'), 'x');
    const result = await runCli(['run', '-i', sharedData(DISCOGRAPHIES), '--no-covers', '--out-dir', 'afile'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --out-dir afile: it is a file/);
  });

  test('more folds than tracks can fill', async () => {
    const cwd = temporaryDir();
    const path = join(cwd, 'few.csv');
    const lines = readFileSync(sharedData(DISCOGRAPHIES), 'latin1').split(/\r?\n|\r/).slice(0, 31);
    writeFileSync(path, lines.join('\n') + '\n', 'latin1');
    const result = await runCli(['run', '-i', path, '--folds', '40', '--k-max', '4', '--no-covers', '--dry-run'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --folds 40: fold \d+ of the 30 tracks gets no validation tracks/);
  });

  test('keep with NaN features explains why it fails', async () => {
    const cwd = temporaryDir();
    const path = join(cwd, 'nan.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `t${i},Song ${i},Band,${i === 4 ? 'NaN' : (i % 7) / 7},${(i % 5) / 5},${(i % 3) / 3},${(i % 11) / 11},0.1,-7,0.05,120,0.5`);
    writeFileSync(path, `id,name,artist,danceability,acousticness,energy,instrumentalness,liveness,loudness,speechiness,tempo,valence\n${rows.join('\n')}\n`);
    const result = await runCli(['run', '-i', path, '--handle-invalid', 'keep', '--k-max', '4', '--no-covers'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /nan\.csv row 5.*keep would pass them on as NaN, which KMeans cannot cluster; pass --handle-invalid skip/);
  });

  test('source column name of a renamed column', async () => {
    const result = await runCli(['run', '-i', sharedData(DISCOGRAPHIES), '--features', 'tempo,track_name', '--no-covers'], { cwd: temporaryDir() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /feature column track_name not in the tracks \(track_name is loaded as name\)/);
  });

  test('k range inverted', async () => {
    const result = await runCli(['run', '-i', sharedData(DISCOGRAPHIES), '--k-min', '8', '--k-max', '5', '--no-covers'], { cwd: temporaryDir() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid k range: --k-min 8 is above --k-max 5/);
  });

  test('k range above a training fold', async () => {
    const cwd = temporaryDir();
    // The header and the first 39 tracks, bytes unchanged (the file is Windows-1252).
    const lines = readFileSync(sharedData(DISCOGRAPHIES)).toString('latin1').split('\n').slice(0, 40);
    writeFileSync(join(cwd, 'small.csv'), Buffer.from(lines.join('\n') + '\n', 'latin1'));
    const result = await runCli(['run', '-i', 'small.csv', '--k-min', '30', '--k-max', '40', '--no-covers'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --k-max 40: KMeans needs at least k tracks, and the smallest training fold of the 3-fold cross-validation has \d+ of the 39; /);
    assert.equal(existsSync(join(cwd, '.grooviest')), false, 'a tracking store was created');
  });

  test('null feature leaves no run', async () => {
    const cwd = temporaryDir();
    const lines = readFileSync(sharedData(DISCOGRAPHIES)).toString('latin1').split('\n').slice(0, 40);
    const header = lines[0].split(',');
    const energy = header.findIndex((name) => name.replace(/"/g, '') === 'energy');
    // A row without quoted commas, so splitting on commas finds its cells.
    const row = lines.findIndex((line, i) => i > 0 && line.split(',').length === header.length);
    const cells = lines[row].split(',');
    cells[energy] = '';
    lines[row] = cells.join(',');
    writeFileSync(join(cwd, 'gap.csv'), Buffer.from(lines.join('\n') + '\n', 'latin1'));
    const result = await runCli(['run', '-i', 'gap.csv', '--k-max', '5', '--no-covers'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /energy/);
    assert.equal(existsSync(join(cwd, '.grooviest')), false, 'a tracking store was created');
  });

  test('dry run prints the plan', async () => {
    const result = await runCli(['run', '-i', sharedData(DISCOGRAPHIES), '--dry-run', '--no-covers', '--json'], { cwd: temporaryDir() });
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout) as { space: string; data: { rows: number } };
    assert.match(plan.space, /randint\(3, 20\)/);
    assert.equal(plan.data.rows, 10130);
  });
});
