import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunSummary } from '../../src/experiment/summary.js';
import { runCli, temporaryDir } from '../support/cli.js';
import { hasMlflow, mlflowEnv, startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { getRun, listArtifactFiles, searchRuns } from '../support/mlflow-rest.js';
import { DISCOGRAPHIES, sharedData } from '../support/shared-data.js';

const skip = !hasMlflow() && 'MLflow is not installed in .venv-reference (run scripts/reference-env.sh)';
let server: MlflowServer;
let summary: RunSummary;

before(async () => {
  if (skip) return;
  server = await startMlflowServer();
  const cwd = temporaryDir();
  const result = await runCli(['run', '-i', sharedData(DISCOGRAPHIES), '--experiment', 'prog-rock', '--out-dir', join(cwd, 'out'), '--no-covers', '--json', '--quiet'], {
    cwd,
    env: mlflowEnv({ MLFLOW_TRACKING_URI: server.url }),
    timeoutMs: 300_000,
  });
  assert.equal(result.code, 0, result.stderr);
  summary = JSON.parse(result.stdout) as RunSummary;
});
after(() => server?.stop());

test('server run holds best k and silhouette', { skip }, async () => {
  const runs = await searchRuns(server.url, 'prog-rock', "attributes.run_name = 'k_means'");
  assert.equal(runs.length, 1);
  const parent = runs[0];
  assert.equal(parent.info.status, 'FINISHED');
  assert.equal(parent.data.params?.find((param) => param.key === 'k_value')?.value, String(summary.best_k));
  assert.ok(Math.abs((parent.data.metrics?.find((metric) => metric.key === 'silhouette')?.value ?? NaN) - summary.final_silhouette) < 1e-12);
});

test('server has one child run per trial', { skip }, async () => {
  const runs = await searchRuns(server.url, 'prog-rock');
  const parent = runs.find((run) => run.info.run_name === 'k_means')!;
  const children = runs.filter((run) => run.data.tags?.some((tag) => tag.key === 'mlflow.parentRunId' && tag.value === parent.info.run_id));
  assert.equal(children.length, 10);
  for (const child of children) {
    assert.equal(child.info.status, 'FINISHED');
    assert.ok(child.data.params?.some((param) => param.key === 'k_value'));
    assert.ok(child.data.metrics?.some((metric) => metric.key === 'silhouette_mean'));
  }
});

test('server run has the model and outputs as artifacts', { skip }, async () => {
  const runs = await searchRuns(server.url, 'prog-rock', "attributes.run_name = 'k_means'");
  const files = (await listArtifactFiles(server.url, runs[0].info.run_id)).map((file) => file.path);
  for (const name of ['model/MLmodel', 'model/stage.json', 'predictions.parquet', 'trials.json', 'summary.json', 'report.html']) {
    assert.ok(files.includes(name), `${name} in ${files.join(', ')}`);
  }
  assert.equal((await getRun(server.url, runs[0].info.run_id)).info.status, 'FINISHED');
});
