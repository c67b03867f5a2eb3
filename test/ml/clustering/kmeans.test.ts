import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GrooviestEvent } from '../../../src/contracts/events.js';
import { KMeans } from '../../../src/ml/clustering/kmeans.js';
import { RandomGenerator } from '../../../src/random.js';
import { vectorTable } from '../golden-checks.js';
import { discographiesDataset } from '../../support/discographies.js';
import { buildPipeline } from '../../../src/ml/objective.js';
import { tableFromDataset } from '../../../src/ml/table.js';
import type { PipelineModel } from '../../../src/ml/pipeline.js';
import type { KMeansModel } from '../../../src/ml/clustering/kmeans.js';
import { initKMeansParallel } from '../../../src/ml/clustering/kmeans-parallel-init.js';
import { runLloyd } from '../../../src/ml/clustering/lloyd.js';
import { nearestCenter, squaredDistance } from '../../../src/ml/clustering/distance-measure.js';

test('KMeans k below 2', () => {
  assert.throws(() => new KMeans({ k: 1 }), { name: 'InputError', message: 'invalid k: 1 (k must be an integer of at least 2)' });
});

test('KMeans defaults are Spark defaults', () => {
  const { k, maxIter, tol, initMode, initSteps, distanceMeasure } = new KMeans().params;
  assert.deepEqual({ k, maxIter, tol, initMode, initSteps, distanceMeasure }, { k: 2, maxIter: 20, tol: 1e-4, initMode: 'k-means||', initSteps: 2, distanceMeasure: 'euclidean' });
});

test('KMeans empty input', () => {
  assert.throws(() => new KMeans().fit(vectorTable([[1, 2]]).selectRows([])), { message: /empty input: KMeans needs at least one row/ });
});

test('KMeans fewer distinct points than k says so', () => {
  const events: GrooviestEvent[] = [];
  const model = new KMeans({ k: 5, seed: 3 }).fit(vectorTable([[0, 0], [0, 0], [1, 1], [2, 2]]), { onEvent: (event) => events.push(event) });
  assert.equal(model.summary.numCenters, 3);
  assert.equal(events.length, 1);
  assert.match(model.summary.warnings[0], /3 distinct centres for k = 5: the data has only 3 distinct points/);
});

test('KMeans rejects NaN features', () => {
  assert.throws(() => new KMeans().fit(vectorTable([[0, 1], [Number.NaN, 1]])), { message: /invalid value NaN in column "features" at row 1/ });
});

test('KMeans cosine rejects zero vectors', () => {
  assert.throws(() => new KMeans({ distanceMeasure: 'cosine' }).fit(vectorTable([[0, 1], [0, 0]])), { message: /zero vector has no cosine distance/ });
});

test('KMeansModel mismatched vector size', () => {
  const model = new KMeans({ seed: 1 }).fit(vectorTable([[0, 1], [5, 5], [6, 6]]));
  assert.throws(() => model.transform(vectorTable([[1, 2, 3]])), { message: /do not fill vectors of size 2|size 3/ });
});

test('KMeans same seed gives identical model', () => {
  const table = tableFromDataset(discographiesDataset());
  const fit = () => (buildPipeline(discographiesDataset().columns, { k: 8, kmeansSeed: 7 }).fit(table) as PipelineModel).stage<KMeansModel>('KMeansModel')!;
  const a = fit();
  const b = fit();
  assert.deepEqual([...a.centers], [...b.centers]);
  assert.equal(a.trainingCost, b.trainingCost);
});

test('KMeans different seeds differ', () => {
  const table = tableFromDataset(discographiesDataset());
  const fit = (seed: number) => (buildPipeline(discographiesDataset().columns, { k: 8, kmeansSeed: seed }).fit(table) as PipelineModel).stage<KMeansModel>('KMeansModel')!;
  assert.notDeepEqual([...fit(1).centers], [...fit(2).centers]);
});

test('KMeans fit produces no empty cluster on real data', () => {
  const model = (buildPipeline(discographiesDataset().columns, { k: 15 }).fit(tableFromDataset(discographiesDataset())) as PipelineModel).stage<KMeansModel>('KMeansModel')!;
  assert.equal(model.summary.numCenters, 15);
  assert.ok(model.summary.clusterSizes.every((size) => size > 0));
});

/** Plain Lloyd with Spark's rules, the reference for the accelerated loop. */
function naiveLloyd(points: Float64Array, n: number, d: number, initial: Float64Array, k: number, maxIter: number, tol: number) {
  let centers = Float64Array.from(initial);
  let previous = centers;
  const assignment = new Int32Array(n);
  let iteration = 0;
  let converged = false;
  while (iteration < maxIter && !converged) {
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = nearestCenter(points, i, centers, k, d);
      assignment[i] = c;
      counts[c] += 1;
      for (let j = 0; j < d; j++) sums[c * d + j] += points[i * d + j];
    }
    previous = centers;
    centers = Float64Array.from(previous);
    converged = true;
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) for (let j = 0; j < d; j++) centers[c * d + j] = sums[c * d + j] / counts[c];
      if (squaredDistance(previous, c, centers, c, d) > tol * tol) converged = false;
    }
    iteration += 1;
  }
  let cost = 0;
  for (let i = 0; i < n; i++) cost += squaredDistance(points, i, previous, assignment[i], d);
  return { centers, assignment, cost, iteration };
}

test('Lloyd with bounds equals plain Lloyd', () => {
  const random = new RandomGenerator(9);
  const n = 3000;
  const d = 4;
  const k = 12;
  const points = new Float64Array(n * d);
  for (let i = 0; i < points.length; i++) points[i] = random.nextNormal() + (i % 3);
  const initial = initKMeansParallel({ points, n, d, k, measure: 'euclidean' }, 2, random);
  const fast = runLloyd({ points, n, d, centers: initial, k, maxIter: 50, tol: 0, measure: 'euclidean' });
  const slow = naiveLloyd(points, n, d, initial, k, 50, 0);
  assert.deepEqual([...fast.assignment], [...slow.assignment]);
  // Bounded passes update the sums by the rows that moved, so centres may differ in the last bits.
  fast.centers.forEach((value, i) => assert.ok(Math.abs(value - slow.centers[i]) <= 1e-12 * Math.max(1, Math.abs(value)), `centre value ${i}: ${value} vs ${slow.centers[i]}`));
  assert.equal(fast.numIter, slow.iteration);
  assertCostClose(fast.trainingCost, slow.cost);
});

test('Lloyd bound survives near-cancelling move', () => {
  // Centre 1 moves from about 1 to about 1e-15 of row 0, 2.6% nearer than centre 0. Subtracting that
  // move from a lower bound near 1 leaves a bound far smaller than the rounding of its operands.
  const points = Float64Array.from([0, -2.1649350246251567e-15, 1.0547120000000002e-15]);
  const initial = Float64Array.from([-1, 1.0000000000000002]);
  const fast = runLloyd({ points, n: 3, d: 1, centers: initial, k: 2, maxIter: 50, tol: 0, measure: 'euclidean', threads: 1 });
  const slow = naiveLloyd(points, 3, 1, initial, 2, 50, 0);
  assert.deepEqual([...slow.assignment], [1, 0, 1]);
  assert.deepEqual([...fast.assignment], [...slow.assignment]);
  assert.equal(fast.numIter, slow.iteration);
});

test('unweighted Lloyd stops like plain Lloyd', () => {
  // Close blobs from which plain Lloyd stops after 6 iterations at tol = 0. Centres summed afresh
  // after changes-only passes once moved by their last bits here, which ran a seventh.
  const random = new RandomGenerator(7);
  const n = 400;
  const d = 16;
  const k = 36;
  const means = Float64Array.from({ length: k * d }, () => 0.5 * random.nextNormal());
  const points = Float64Array.from({ length: n * d }, (_, i) => means[(Math.floor(i / d) % k) * d + (i % d)] + random.nextNormal());
  const initial = points.slice(0, k * d);
  const fast = runLloyd({ points, n, d, centers: initial, k, maxIter: 50, tol: 0, measure: 'euclidean', threads: 1 });
  const slow = naiveLloyd(points, n, d, initial, k, 50, 0);
  assert.equal(slow.iteration, 6);
  assert.equal(fast.numIter, slow.iteration);
  assert.deepEqual([...fast.assignment], [...slow.assignment]);
});

function assertCostClose(a: number, b: number): void {
  assert.ok(Math.abs(a - b) <= 1e-9 * b, `${a} vs ${b}`);
}

test('KMeans random init finds separated blobs', () => {
  const points = [[0, 0], [0, 1], [1, 0], [20, 20], [20, 21], [21, 20]];
  const model = new KMeans({ k: 2, initMode: 'random', seed: 4 }).fit(vectorTable(points));
  const centers = model.clusterCenters.sort((a, b) => a[0] - b[0]);
  assert.deepEqual(centers, [[1 / 3, 1 / 3], [61 / 3, 61 / 3]]);
});

test('KMeans weightCol pulls centres to heavy rows', () => {
  const points = [[0], [1], [10], [11]];
  const table = vectorTable(points).withColumn('weight', { type: 'double', values: Float64Array.from([1, 3, 1, 1]) });
  const model = new KMeans({ k: 2, seed: 1, weightCol: 'weight' }).fit(table);
  assert.deepEqual(model.clusterCenters.map((center) => center[0]).sort((a, b) => a - b), [0.75, 10.5]);
  assert.equal(model.trainingCost, 3 * 0.0625 + 0.5625 + 0.25 + 0.25);
});

test('KMeans rejects negative weights', () => {
  const table = vectorTable([[0], [1]]).withColumn('weight', { type: 'double', values: Float64Array.from([1, -1]) });
  assert.throws(() => new KMeans({ weightCol: 'weight' }).fit(table), { message: /invalid weight -1 in column "weight" at row 1/ });
});

test('KMeans cosine centres have unit length', () => {
  const points = [[1, 0.1], [2, 0.1], [0.1, 1], [0.2, 3]];
  const model = new KMeans({ k: 2, seed: 1, distanceMeasure: 'cosine' }).fit(vectorTable(points));
  for (const center of model.clusterCenters) assert.ok(Math.abs(Math.hypot(...center) - 1) < 1e-12);
  assert.deepEqual([...model.transform(vectorTable([[5, 0.4], [0.3, 6]])).ints('prediction').values].sort(), [0, 1]);
});

test('Lloyd on worker threads equals one thread', () => {
  const random = new RandomGenerator(12);
  const n = 40000;
  const d = 3;
  const k = 6;
  const points = new Float64Array(n * d);
  for (let i = 0; i < points.length; i++) points[i] = random.nextNormal() * ((i % 5) + 1);
  const initial = points.slice(0, k * d);
  const single = runLloyd({ points, n, d, centers: initial, k, maxIter: 15, tol: 0, measure: 'euclidean', threads: 1 });
  const parallel = runLloyd({ points, n, d, centers: initial, k, maxIter: 15, tol: 0, measure: 'euclidean', threads: 2 });
  assert.deepEqual([...parallel.centers], [...single.centers]);
  assert.deepEqual([...parallel.assignment], [...single.assignment]);
  assert.equal(parallel.trainingCost, single.trainingCost);
  assert.equal(parallel.numIter, single.numIter);
});
