import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusteringEvaluator, SingleClusterError } from '../../../src/ml/evaluation/clustering-evaluator.js';
import { vectorTable } from '../golden-checks.js';

test('ClusteringEvaluator one cluster raises', () => {
  const table = vectorTable([[0, 0], [1, 1], [2, 2]], [4, 4, 4]);
  assert.throws(() => new ClusteringEvaluator().evaluate(table), (error: unknown) => error instanceof SingleClusterError && /3 rows fall in 1 cluster/.test(error.message));
});

test('ClusteringEvaluator exact silhouette one cluster raises', () => {
  const table = vectorTable([[0, 0], [1, 1]], [0, 0]);
  assert.throws(() => new ClusteringEvaluator({ distanceMeasure: 'euclidean' }).evaluate(table), SingleClusterError);
});

test('ClusteringEvaluator singleton scores 0', () => {
  const table = vectorTable([[0, 0], [0, 1], [9, 9]], [0, 0, 1]);
  const values = new ClusteringEvaluator().silhouettes(table);
  assert.equal(values[2], 0);
});

test('ClusteringEvaluator is larger-better', () => {
  assert.equal(new ClusteringEvaluator().isLargerBetter, true);
});

test('ClusteringEvaluator sampled exact silhouette repeats', () => {
  const points = Array.from({ length: 200 }, (_, i) => [i % 2 === 0 ? i : -i, (i * 7) % 13]);
  const labels = points.map((point) => (point[0] >= 0 ? 0 : 1));
  const evaluator = new ClusteringEvaluator({ distanceMeasure: 'euclidean', sampleSize: 50, seed: 3 });
  const table = vectorTable(points, labels);
  assert.equal(evaluator.evaluate(table), evaluator.evaluate(table));
  assert.equal(evaluator.silhouettes(table).length, 50);
});

test('ClusteringEvaluator invalid distanceMeasure', () => {
  assert.throws(() => new ClusteringEvaluator({ distanceMeasure: 'manhattan' as 'cosine' }), { message: /invalid distanceMeasure: "manhattan"/ });
});
