import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusteringEvaluator, SingleClusterError, sparkSilhouettes } from '../../../src/ml/evaluation/clustering-evaluator.js';
import { RandomGenerator } from '../../../src/random.js';
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

/** Spark's silhouette by the formula, in plain TypeScript, left-to-right sums. */
function plainSilhouettes(x: Float64Array, d: number, labels: Int32Array, m: number): Float64Array {
  const n = labels.length;
  const counts = new Float64Array(m);
  const sums = new Float64Array(m * d);
  const normSums = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    let squares = 0;
    for (let j = 0; j < d; j++) {
      sums[labels[i] * d + j] += x[i * d + j];
      squares += x[i * d + j] ** 2;
    }
    normSums[labels[i]] += squares;
    counts[labels[i]] += 1;
  }
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = labels[i];
    if (counts[own] === 1) continue;
    let squares = 0;
    for (let j = 0; j < d; j++) squares += x[i * d + j] ** 2;
    let a = 0;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < m; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += x[i * d + j] * sums[c * d + j];
      const mean = squares + normSums[c] / counts[c] - (2 * dot) / counts[c];
      if (c === own) a = (mean * counts[c]) / (counts[c] - 1);
      else b = Math.min(b, mean);
    }
    if (a < b) result[i] = 1 - a / b;
    else if (a > b) result[i] = b / a - 1;
  }
  return result;
}

function blobs(n: number, d: number, m: number): { x: Float64Array; labels: Int32Array } {
  const random = new RandomGenerator(31);
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % m;
    for (let j = 0; j < d; j++) x[i * d + j] = labels[i] * 0.7 + random.nextNormal();
  }
  return { x, labels };
}

test('Spark silhouette over several blocks matches the formula summed row by row', () => {
  const { x, labels } = blobs(40000, 9, 6);
  const kernel = sparkSilhouettes(x, 9, labels, undefined, 'squaredEuclidean', 1);
  const plain = plainSilhouettes(x, 9, labels, 6);
  let largest = 0;
  for (let i = 0; i < kernel.length; i++) largest = Math.max(largest, Math.abs(kernel[i] - plain[i]));
  assert.ok(largest < 1e-9, `largest difference ${largest}`);
});

test('Spark silhouette on kernel threads equals one thread bit for bit', () => {
  const { x, labels } = blobs(70000, 5, 7);
  const singleThread = sparkSilhouettes(x, 5, labels, undefined, 'squaredEuclidean', 1);
  const twoThreads = sparkSilhouettes(x, 5, labels, undefined, 'squaredEuclidean', 2);
  assert.deepEqual(twoThreads, singleThread);
});
