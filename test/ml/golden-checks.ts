/**
 * Comparisons of grooviest's ML stages with the golden values that
 * reference/ml/golden.py writes from PySpark and scikit-learn. Registered
 * twice: on the committed fixture and on a freshly regenerated one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KMeans } from '../../src/ml/clustering/kmeans.js';
import { ClusteringEvaluator } from '../../src/ml/evaluation/clustering-evaluator.js';
import { StandardScaler } from '../../src/ml/feature/standard-scaler.js';
import { VectorAssembler } from '../../src/ml/feature/vector-assembler.js';
import { Pipeline } from '../../src/ml/pipeline.js';
import { Table, type Column } from '../../src/ml/table.js';
import { CrossValidator } from '../../src/ml/tuning/cross-validator.js';
import { ParamGridBuilder } from '../../src/ml/tuning/param-grid-builder.js';
import { discographiesDataset } from '../support/discographies.js';
import { tableFromDataset } from '../../src/ml/table.js';

/** The shape of golden.json (the parts the checks read). */
export interface Golden {
  assembler: { rows: (number | string | null)[][]; columns: string[]; keep: (number | null)[][]; skip: (number | null)[][] };
  scaler: { rows: number; mean: number[]; std: number[]; firstRows: number[][]; columnSums: number[] };
  scalerSmall: {
    zeroVariance: { mean: number[]; std: number[]; scaled: number[][] };
    oneRow: { std: number[]; scaled: number[][] };
    defaults: number[][];
  };
  silhouette: { k: number; labels: number[]; squaredEuclidean: number; cosine: number; euclideanExact: number }[];
  silhouetteSmall: { points: number[][]; labels: number[]; weights: number[]; squaredEuclidean: number; weightedSquaredEuclidean: number; euclideanExact: number };
  kmeans: {
    points: number[][];
    fits: { distanceMeasure: 'euclidean' | 'cosine'; centers: number[][]; trainingCost: number }[];
    fewerDistinct: { points: number[][]; k: number; centers: number[][]; trainingCost: number };
  };
  crossValidator: { points: number[][]; folds: number[]; avgMetrics: number[]; stdMetrics: number[]; foldMetrics: number[] };
}

/** Asserts |actual − expected| ≤ tolerance · max(1, |expected|), treating null as NaN. */
export function assertClose(actual: number, expected: number | null, tolerance: number, label: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`);
    return;
  }
  const allowed = tolerance * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= allowed, `${label}: ${actual} differs from ${expected} by ${Math.abs(actual - expected)} (allowed ${allowed})`);
}

function assertRowsClose(actual: Float64Array, expected: (number | null)[][], tolerance: number, label: string): void {
  const d = expected[0]?.length ?? 0;
  assert.equal(actual.length, expected.length * d, `${label}: value count`);
  expected.forEach((row, i) => row.forEach((value, j) => assertClose(actual[i * d + j], value, tolerance, `${label}[${i}][${j}]`)));
}

/** Builds a table of one vector column `features` (and optional int `prediction`, double `weight`). */
export function vectorTable(points: number[][], labels?: number[], weights?: number[]): Table {
  const d = points[0].length;
  const columns: [string, Column][] = [['features', { type: 'vector', size: d, values: Float64Array.from(points.flat()) }]];
  if (labels) columns.push(['prediction', { type: 'int', values: Int32Array.from(labels) }]);
  if (weights) columns.push(['weight', { type: 'double', values: Float64Array.from(weights) }]);
  return new Table(points.length, points.map((_, i) => `row${i}`), columns);
}

function sortedCenters(centers: number[][]): number[][] {
  return [...centers].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function scaledDiscographies(): Table {
  const assembler = new VectorAssembler({ inputCols: discographiesDataset().columns, outputCol: 'features' });
  const assembled = assembler.transform(tableFromDataset(discographiesDataset()));
  return new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true, withStd: true }).fit(assembled).transform(assembled);
}

/** Registers one test per golden comparison; `load` returns the fixture when the tests run. */
export function registerGoldenChecks(load: () => Golden): void {
  test('VectorAssembler keep and skip match Spark', () => {
    const golden = load().assembler;
    const columns: [string, Column][] = golden.columns.map((name, j) => {
      const cells = golden.rows.map((row) => row[j]);
      const values = Float64Array.from(cells, (cell) => (cell === null || cell === 'NaN' ? Number.NaN : Number(cell)));
      const nulls = Uint8Array.from(cells, (cell) => (cell === null ? 1 : 0));
      return [name, { type: 'double', values, nulls }];
    });
    const table = new Table(golden.rows.length, golden.rows.map((_, i) => `row${i}`), columns);
    for (const mode of ['keep', 'skip'] as const) {
      const output = new VectorAssembler({ inputCols: golden.columns, handleInvalid: mode }).transform(table);
      assertRowsClose(output.vector('features').values, golden[mode], 0, `assembler ${mode}`);
    }
  });

  test('StandardScaler statistics match Spark to 1e-12', () => {
    const golden = load().scaler;
    const assembled = new VectorAssembler({ inputCols: discographiesDataset().columns }).transform(tableFromDataset(discographiesDataset()));
    const model = new StandardScaler({ withMean: true, withStd: true }).fit(assembled);
    assert.equal(assembled.numRows, golden.rows);
    golden.mean.forEach((value, j) => assertClose(model.mean[j], value, 1e-12, `mean[${j}]`));
    golden.std.forEach((value, j) => assertClose(model.std[j], value, 1e-12, `std[${j}]`));
  });

  test('StandardScaler scaled rows match Spark to 1e-12', () => {
    const golden = load().scaler;
    const scaled = scaledDiscographies().vector('scaled').values;
    assertRowsClose(scaled.subarray(0, golden.firstRows.length * 9), golden.firstRows, 1e-12, 'scaled');
    const sums = new Float64Array(9);
    for (let i = 0; i < scaled.length; i++) sums[i % 9] += scaled[i];
    golden.columnSums.forEach((value, j) => assertClose(sums[j], value, 1e-9, `column sum ${j}`));
  });

  test('StandardScaler zero variance and one row match Spark', () => {
    const golden = load().scalerSmall;
    const small = vectorTable([[1, 2, 3], [1, 4, 9], [1, 6, 0]]);
    const model = new StandardScaler({ withMean: true, withStd: true }).fit(small);
    golden.zeroVariance.std.forEach((value, j) => assertClose(model.std[j], value, 1e-12, `std[${j}]`));
    assertRowsClose(model.transform(small).vector('scaled_features').values, golden.zeroVariance.scaled, 1e-12, 'zero variance');
    const oneRow = vectorTable([[3, -2]]);
    assertRowsClose(new StandardScaler({ withMean: true }).fit(oneRow).transform(oneRow).vector('scaled_features').values, golden.oneRow.scaled, 0, 'one row');
    assertRowsClose(new StandardScaler().fit(small).transform(small).vector('scaled_features').values, golden.defaults, 1e-12, 'defaults');
  });

  test('silhouette matches Spark and scikit-learn to 1e-9', () => {
    const scaled = scaledDiscographies();
    for (const entry of load().silhouette) {
      const table = scaled.withColumn('prediction', { type: 'int', values: Int32Array.from(entry.labels) });
      for (const measure of ['squaredEuclidean', 'cosine'] as const) {
        const value = new ClusteringEvaluator({ featuresCol: 'scaled', distanceMeasure: measure }).evaluate(table);
        assertClose(value, entry[measure], 1e-9, `k=${entry.k} ${measure}`);
      }
      const exact = new ClusteringEvaluator({ featuresCol: 'scaled', distanceMeasure: 'euclidean' }).evaluate(table);
      assertClose(exact, entry.euclideanExact, 1e-9, `k=${entry.k} euclidean`);
    }
  });

  test('silhouette small and weighted cases match', () => {
    const golden = load().silhouetteSmall;
    const table = vectorTable(golden.points, golden.labels, golden.weights);
    assertClose(new ClusteringEvaluator().evaluate(table), golden.squaredEuclidean, 1e-12, 'squaredEuclidean');
    assertClose(new ClusteringEvaluator({ weightCol: 'weight' }).evaluate(table), golden.weightedSquaredEuclidean, 1e-12, 'weighted');
    assertClose(new ClusteringEvaluator({ distanceMeasure: 'euclidean' }).evaluate(table), golden.euclideanExact, 1e-12, 'euclidean');
  });

  test('KMeans on separated blobs matches Spark', () => {
    const golden = load().kmeans;
    const table = vectorTable(golden.points);
    for (const fit of golden.fits) {
      const model = new KMeans({ k: 3, seed: 1, distanceMeasure: fit.distanceMeasure }).fit(table);
      const centers = sortedCenters(model.clusterCenters);
      fit.centers.forEach((center, c) => center.forEach((value, j) => assertClose(centers[c][j], value, 1e-9, `${fit.distanceMeasure} center ${c}[${j}]`)));
      assertClose(model.trainingCost, fit.trainingCost, 1e-9, `${fit.distanceMeasure} trainingCost`);
    }
  });

  test('KMeans with fewer distinct points than k matches Spark', () => {
    const golden = load().kmeans.fewerDistinct;
    const model = new KMeans({ k: golden.k, seed: 1 }).fit(vectorTable(golden.points));
    assert.deepEqual(sortedCenters(model.clusterCenters), golden.centers);
    assert.equal(model.trainingCost, golden.trainingCost);
  });

  test('CrossValidator with foldCol matches Spark to 1e-9', () => {
    const golden = load().crossValidator;
    const table = new Table(golden.points.length, golden.points.map((_, i) => `row${i}`), [
      ['x', { type: 'double', values: Float64Array.from(golden.points, (p) => p[0]) }],
      ['y', { type: 'double', values: Float64Array.from(golden.points, (p) => p[1]) }],
      ['fold', { type: 'int', values: Int32Array.from(golden.folds) }],
    ]);
    const kmeans = new KMeans({ featuresCol: 'scaled', seed: 5 });
    const pipeline = new Pipeline({
      stages: [new VectorAssembler({ inputCols: ['x', 'y'] }), new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true, withStd: true }), kmeans],
    });
    const grid = new ParamGridBuilder().addGrid(kmeans, 'k', [3]).addGrid(kmeans, 'maxIter', [10, 20]).build();
    const model = new CrossValidator({ estimator: pipeline, estimatorParamMaps: grid, evaluator: new ClusteringEvaluator({ featuresCol: 'scaled' }), foldCol: 'fold', seed: 3 }).fit(table);
    golden.avgMetrics.forEach((value, i) => assertClose(model.avgMetrics[i], value, 1e-9, `avgMetrics[${i}]`));
    golden.stdMetrics.forEach((value, i) => assertClose(model.stdMetrics[i], value, 1e-9, `stdMetrics[${i}]`));
    golden.foldMetrics.forEach((value, fold) => assertClose(model.foldMetrics[fold][0], value, 1e-9, `fold ${fold}`));
  });
}
