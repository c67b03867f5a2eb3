/**
 * Smoke run of the workflow benchmark: one repetition of both sides on the
 * first 1,000 tracks of the 36-artist file with 3 search evaluations, so the
 * harness (the Python reference workflow, the driver, the section writer)
 * keeps working. Timings are not asserted.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflowBench, type InputResult } from '../../bench/workflow/bench.js';
import { workflowSection } from '../../bench/workflow/section.js';
import { hasMlflow } from '../support/mlflow-server.js';
import { hasReferenceEnv } from '../support/reference-env.js';
import { DISCOGRAPHIES, sharedData } from '../support/shared-data.js';

const skip = !hasReferenceEnv() || !hasMlflow() ? 'reference venv with PySpark and MLflow not installed' : false;
const MAX_EVALS = 3;

let dir: string;
let results: InputResult[];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'workflow-smoke-'));

  // The first 1,000 tracks, under the original name so both sides read it as the Windows-1252 file it is.
  const lines = readFileSync(sharedData(DISCOGRAPHIES), 'latin1').split('\n');
  const path = join(dir, DISCOGRAPHIES);
  writeFileSync(path, lines.slice(0, 1001).join('\n') + '\n', 'latin1');
  results = await runWorkflowBench({ inputs: [{ name: DISCOGRAPHIES, path, repetitions: 1 }], warmups: 0, maxEvals: MAX_EVALS });
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('workflow bench runs one repetition', { skip }, () => {
  assert.equal(results[0].repetitions.length, 1);
});

test('workflow bench grooviest tries every trial', { skip }, () => {
  assert.equal(results[0].repetitions[0].grooviest.kTried.length, MAX_EVALS);
});

test('workflow bench pyspark tries every trial', { skip }, () => {
  assert.equal(results[0].repetitions[0].pyspark.kTried.length, MAX_EVALS);
});

test('workflow bench pyspark best k in range', { skip }, () => {
  const { bestK } = results[0].repetitions[0].pyspark;
  assert.ok(bestK >= 3, `best k ${bestK}`);
  assert.ok(bestK <= 19, `best k ${bestK}`);
});

test('workflow bench pyspark silhouette in range', { skip }, () => {
  const { finalSilhouette } = results[0].repetitions[0].pyspark;
  assert.ok(finalSilhouette > -1, `silhouette ${finalSilhouette}`);
  assert.ok(finalSilhouette < 1, `silhouette ${finalSilhouette}`);
});

test('workflow bench measures the pyspark process tree', { skip }, () => {
  // Python alone stays far below 300 MiB; more means the JVM child was counted.
  assert.ok(results[0].repetitions[0].pyspark.peakMiB > 300, `peak ${results[0].repetitions[0].pyspark.peakMiB} MiB`);
});

test('workflow bench also runs grooviest without the MLflow server', { skip }, () => {
  assert.equal(results[0].repetitions[0].local?.kTried.length, MAX_EVALS);
  const section = workflowSection({ startedAt: '', finishedAt: '', command: 'npm run bench:workflow', machine: {}, results });
  assert.match(section, /with its local tracking store only/);
});

test('workflow bench ratio is positive', { skip }, () => {
  assert.ok(results[0].repetitions[0].ratio > 0);
});

test('workflow bench section states the speed-up line', { skip }, () => {
  const section = workflowSection({ startedAt: '', finishedAt: '', command: 'npm run bench:workflow', machine: {}, results });
  assert.match(section, /^End-to-end speed-up \(36-artist file, median, cold\): \d+(\.\d)?×$/m);
});
