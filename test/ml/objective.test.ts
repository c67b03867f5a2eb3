import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dataset } from '../../src/contracts/dataset.js';
import { evaluateK } from '../../src/ml/objective.js';
import { discographiesDataset } from '../support/discographies.js';

test('evaluateK returns loss and fold metrics', async () => {
  const result = await evaluateK(discographiesDataset(), { k: 4 });
  assert.equal(result.status, 'ok');
  assert.equal(result.loss, -result.metrics!.silhouette_mean);
  assert.deepEqual(Object.keys(result.metrics!).sort(), ['silhouette_fold_0', 'silhouette_fold_1', 'silhouette_fold_2', 'silhouette_mean', 'silhouette_std', 'training_cost']);
});

test('evaluateK repeats for the same seeds', async () => {
  const a = await evaluateK(discographiesDataset(), { k: 5, seed: 3 });
  const b = await evaluateK(discographiesDataset(), { k: 5, seed: 3 });
  assert.deepEqual(a, b);
});

test('evaluateK fewer rows than k fails the trial', async () => {
  const dataset: Dataset = { columns: ['energy'], X: Float64Array.from([0.1, 0.2, 0.3]), rowKeys: ['a', 'b', 'c'] };
  const result = await evaluateK(dataset, { k: 5 });
  assert.equal(result.status, 'fail');
  assert.equal(result.reason, 'fewer rows (3) than k (5)');
});

test('evaluateK single-cluster fold fails the trial', async () => {
  // Two distinct values: a validation fold may hold one of them only.
  const X = Float64Array.from({ length: 12 }, (_, i) => (i < 11 ? 0 : 1));
  const dataset: Dataset = { columns: ['energy'], X, rowKeys: Array.from({ length: 12 }, (_, i) => `t${i}`) };
  const result = await evaluateK(dataset, { k: 2 });
  assert.equal(result.status, 'fail');
  assert.match(result.reason!, /fold \d of the cross-validation failed/);
});
