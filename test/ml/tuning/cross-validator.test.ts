import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KMeans } from '../../../src/ml/clustering/kmeans.js';
import { ClusteringEvaluator } from '../../../src/ml/evaluation/clustering-evaluator.js';
import { Table } from '../../../src/ml/table.js';
import { CrossValidator, FoldEvaluationError } from '../../../src/ml/tuning/cross-validator.js';
import { assignFolds } from '../../../src/ml/tuning/fold-assignment.js';
import { ParamGridBuilder } from '../../../src/ml/tuning/param-grid-builder.js';
import { vectorTable } from '../golden-checks.js';

test('ParamGridBuilder builds the Cartesian product', () => {
  const kmeans = new KMeans();
  const grid = new ParamGridBuilder().addGrid(kmeans, 'k', [2, 3]).addGrid(kmeans, 'maxIter', [5, 10, 20]).build();
  assert.equal(grid.length, 6);
  assert.deepEqual(grid[1].map((pair) => pair.value), [2, 10]);
});

test('ParamGridBuilder empty grid is one empty map', () => {
  assert.deepEqual(new ParamGridBuilder().build(), [[]]);
});

test('assignFolds repeats for a seed', () => {
  assert.deepEqual([...assignFolds(100, 3, 7)], [...assignFolds(100, 3, 7)]);
});

test('assignFolds covers every fold', () => {
  const counts = [0, 0, 0];
  for (const fold of assignFolds(3000, 3, 1)) counts[fold] += 1;
  assert.ok(counts.every((count) => count > 900 && count < 1100), String(counts));
});

test('CrossValidator numFolds below 2', () => {
  assert.throws(() => new CrossValidator({ estimator: new KMeans(), evaluator: new ClusteringEvaluator(), numFolds: 1 }), { message: /invalid numFolds: 1/ });
});

test('CrossValidator single-cluster fold names the fold', () => {
  // Fold 1 holds only points of the left group, so its predictions fall in one cluster.
  const points = [[0, 0], [0, 1], [10, 10], [10, 11], [0, 0.5], [0, 0.2], [10, 10.5], [10, 10.2]];
  const folds = [0, 0, 0, 0, 1, 1, 2, 2];
  const table = vectorTable(points).withColumn('fold', { type: 'int', values: Int32Array.from(folds) });
  const validator = new CrossValidator({ estimator: new KMeans({ seed: 1 }), evaluator: new ClusteringEvaluator(), foldCol: 'fold' });
  assert.throws(() => validator.fit(table), (error: unknown) => error instanceof FoldEvaluationError && error.fold === 1 && /fold 1 of the cross-validation failed/.test(error.message));
});

test('CrossValidator foldCol out of range', () => {
  const table = vectorTable([[0], [1], [2]]).withColumn('fold', { type: 'int', values: Int32Array.from([0, 1, 3]) });
  const validator = new CrossValidator({ estimator: new KMeans(), evaluator: new ClusteringEvaluator(), foldCol: 'fold' });
  assert.throws(() => validator.fit(table), { message: 'invalid fold 3 in column "fold" at row 2 (fold numbers must be integers in 0..2)' });
});

test('CrossValidator empty input', () => {
  const empty = new Table(0, [], [['features', { type: 'vector', size: 2, values: new Float64Array(0) }]]);
  const validator = new CrossValidator({ estimator: new KMeans(), evaluator: new ClusteringEvaluator() });
  assert.throws(() => validator.fit(empty), { message: /empty input/ });
});
