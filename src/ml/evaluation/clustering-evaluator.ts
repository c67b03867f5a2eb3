/**
 * ClusteringEvaluator: the silhouette of a clustering.
 *
 * `squaredEuclidean` (Spark's default) and `cosine` follow Spark ML's
 * O(n·k·d) formula from per-cluster statistics: for squared Euclidean, the
 * mean distance from x to cluster Γ is `‖x‖² + Ψ/N − 2·(x·Y)/N` with
 * N = Σ w, Y = Σ w·x and Ψ = Σ w·‖x‖² over Γ (x itself counted at
 * distance 0, so its own cluster's value is scaled by N/(N − w)); for
 * cosine it is `1 − x̂·Ω/N` with Ω = Σ w·x̂. The neighbour value b is the
 * minimum over the other clusters present; s = 1 − a/b if a < b,
 * b/a − 1 if a > b, 0 if equal, and 0 for a point alone in its cluster.
 * The result is the weighted mean of s.
 *
 * `euclidean` is the exact silhouette with plain Euclidean distances that
 * scikit-learn's `silhouette_score` computes, O(n²), optionally on a seeded
 * random sample of `sampleSize` rows.
 */
import { InputError } from '../../errors.js';
import { RandomGenerator, sampleWithoutReplacement } from '../../random.js';
import { integerAtLeast, nonEmptyString, oneOf, resolveParams, type ParamSpecs } from '../param.js';
import { saveStage } from '../persistence.js';
import { newUid, type StageDocument } from '../stage.js';
import type { Table } from '../table.js';
import { BLOCK_ROWS, blockShares, kernelThreads, runCalls, startKernelThreads, threadsFor, type KernelCall } from '../kernels/threads.js';
import { withKernels } from '../kernels/wasm.js';

/** Distance of the silhouette: Spark's `squaredEuclidean` (default) and `cosine`, or the exact `euclidean` of scikit-learn. */
export type SilhouetteDistance = 'squaredEuclidean' | 'cosine' | 'euclidean';

/** Params of {@link ClusteringEvaluator}. */
export interface ClusteringEvaluatorParams {
  /** Only `silhouette` (Spark's only metric). */
  metricName: 'silhouette';
  /** Default `squaredEuclidean`. */
  distanceMeasure: SilhouetteDistance;
  /** Input vector column; default `features`. */
  featuresCol: string;
  /** Cluster column; default `prediction`. */
  predictionCol: string;
  /** Optional column of row weights (Spark formula only). */
  weightCol?: string;
  /** `euclidean` only: evaluate a random sample of this many rows (unset: all rows). */
  sampleSize?: number;
  /** Seed of the `sampleSize` draw; default 42. */
  seed: number;
}

const specs: ParamSpecs<ClusteringEvaluatorParams> = {
  metricName: { doc: 'metric', default: 'silhouette', validate: oneOf(['silhouette'], 'metricName') },
  distanceMeasure: { doc: 'distance of the silhouette', default: 'squaredEuclidean', validate: oneOf(['squaredEuclidean', 'cosine', 'euclidean'], 'distanceMeasure') },
  featuresCol: { doc: 'input vector column', default: 'features', validate: nonEmptyString('featuresCol') },
  predictionCol: { doc: 'cluster column', default: 'prediction', validate: nonEmptyString('predictionCol') },
  weightCol: { doc: 'column of row weights', optional: true, validate: nonEmptyString('weightCol') },
  sampleSize: { doc: 'rows sampled for the exact silhouette', optional: true, validate: integerAtLeast(2, 'sampleSize') },
  seed: { doc: 'seed of the sample', default: 42, validate: (value) => (Number.isSafeInteger(value) ? undefined : 'seed must be an integer') },
};

/** Raised when every evaluated point lies in one cluster: the silhouette is undefined. */
export class SingleClusterError extends InputError {
  /** Number of distinct clusters found (0 or 1). */
  readonly numClusters: number;

  constructor(numClusters: number, rows: number) {
    super(`invalid clustering: ${rows} rows fall in ${numClusters} cluster${numClusters === 1 ? '' : 's'} (the silhouette needs at least 2 clusters)`);
    this.numClusters = numClusters;
  }
}

/** Spark ML's ClusteringEvaluator, with the exact Euclidean silhouette as an extra distance. */
export class ClusteringEvaluator {
  readonly className = 'ClusteringEvaluator';
  readonly uid: string;
  readonly params: Readonly<ClusteringEvaluatorParams>;

  /** Creates an evaluator; params are validated here. */
  constructor(params: Partial<ClusteringEvaluatorParams> = {}, uid?: string) {
    this.params = resolveParams('ClusteringEvaluator', specs, params);
    if (this.params.weightCol !== undefined && this.params.distanceMeasure === 'euclidean') {
      throw new InputError(`invalid weightCol: "${this.params.weightCol}" (the exact euclidean silhouette takes no weights; use squaredEuclidean or cosine)`);
    }
    this.uid = uid ?? newUid(this.className);
  }

  /** True: a larger silhouette is better. */
  get isLargerBetter(): boolean {
    return true;
  }

  /** Returns the silhouette of the clustering in `table`, in −1..1. */
  evaluate(table: Table): number {
    const { values, weights } = this.evaluatePoints(table);
    let weighted = 0;
    let total = 0;
    for (let i = 0; i < values.length; i++) {
      const w = weights ? weights[i] : 1;
      weighted += values[i] * w;
      total += w;
    }
    return weighted / total;
  }

  /** Returns the silhouette of every row (of the sample, for a sampled `euclidean` evaluation), for plots. */
  silhouettes(table: Table): Float64Array {
    return this.evaluatePoints(table).values;
  }

  private evaluatePoints(table: Table): { values: Float64Array; weights?: Float64Array } {
    const { featuresCol, predictionCol, weightCol, distanceMeasure, sampleSize, seed } = this.params;
    const features = table.vector(featuresCol);
    const predictions = readLabels(table, predictionCol);
    const d = features.size;
    if (table.numRows === 0) throw new InputError(`empty input: the silhouette needs at least 2 rows in column "${featuresCol}"`);
    const weights = weightCol === undefined ? undefined : Float64Array.from(table.column(weightCol).values);

    if (distanceMeasure === 'euclidean') {
      let x = features.values;
      let labels = predictions;
      if (sampleSize !== undefined && sampleSize < table.numRows) {
        const rows = sampleWithoutReplacement(table.numRows, sampleSize, new RandomGenerator(seed));
        x = new Float64Array(sampleSize * d);
        labels = new Int32Array(sampleSize);
        rows.forEach((row, i) => {
          x.set(features.values.subarray(row * d, row * d + d), i * d);
          labels[i] = predictions[row];
        });
      }
      return { values: exactEuclideanSilhouettes(x, d, labels) };
    }
    return { values: sparkSilhouettes(features.values, d, predictions, weights, distanceMeasure), weights };
  }

  toDocument(): StageDocument {
    return { class: this.className, uid: this.uid, params: { ...this.params } };
  }

  /** Restores an evaluator from its JSON form. */
  static fromDocument(document: StageDocument): ClusteringEvaluator {
    return new ClusteringEvaluator(document.params as Partial<ClusteringEvaluatorParams>, document.uid);
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

function readLabels(table: Table, name: string): Int32Array {
  const column = table.column(name);
  if (column.type === 'int') return column.values;
  if (column.type === 'vector') throw new InputError(`invalid column "${name}": vectors where cluster numbers are expected`);
  const labels = new Int32Array(column.values.length);
  for (let i = 0; i < labels.length; i++) {
    const value = column.values[i];
    if (!Number.isInteger(value)) throw new InputError(`invalid cluster ${value} in column "${name}" at row ${i} (clusters must be integers)`);
    labels[i] = value;
  }
  return labels;
}

/** Labels below this use a lookup array instead of a map when made dense. */
const SMALL_LABELS = 1 << 16;

/** Maps cluster labels to dense indices 0..m−1 in order of first appearance and fails when fewer than two clusters are present. */
function denseLabels(labels: Int32Array): { dense: Int32Array; m: number } {
  const dense = new Int32Array(labels.length);
  let m = 0;
  let small = true;
  for (const label of labels) if (label < 0 || label >= SMALL_LABELS) small = false;
  if (small) {
    // Cluster numbers from KMeans are small and non-negative: an array lookup per row.
    const index = new Int32Array(SMALL_LABELS).fill(-1);
    for (let i = 0; i < labels.length; i++) {
      let c = index[labels[i]];
      if (c < 0) c = index[labels[i]] = m++;
      dense[i] = c;
    }
  } else {
    const index = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
      let c = index.get(labels[i]);
      if (c === undefined) {
        c = m++;
        index.set(labels[i], c);
      }
      dense[i] = c;
    }
  }
  if (m < 2) throw new SingleClusterError(m, labels.length);
  return { dense, m };
}

/**
 * Spark's silhouette of each point from per-cluster statistics (squared
 * Euclidean or cosine), on the WebAssembly kernels. Each block of rows sums
 * its own statistics and the blocks are added in order, so the result does
 * not depend on how many threads ran (default: every core from 50,000 rows).
 */
export function sparkSilhouettes(
  x: Float64Array,
  d: number,
  labels: Int32Array,
  weights: Float64Array | undefined,
  measure: 'squaredEuclidean' | 'cosine',
  threads?: number,
): Float64Array {
  const n = labels.length;
  const { dense, m } = denseLabels(labels);
  const points = measure === 'cosine' ? normalised(x, d) : x;
  const numBlocks = Math.ceil(n / BLOCK_ROWS);
  const threadCount = Math.min(threadsFor(n, threads), numBlocks);
  startKernelThreads(threadCount);

  return withKernels((kernels) => {
    const pointsAt = kernels.copyF64(points);
    const weightsAt = weights ? kernels.copyF64(weights) : 0;
    const clustersAt = kernels.copyI32(dense);
    // Per block, then in total: cluster weight N, vector sum Y (Ω for cosine) and Ψ = Σ w·‖x‖².
    const statsSize = m * (d + 2);
    const blockStatsAt = kernels.allocateF64(numBlocks * statsSize);
    const totalsAt = kernels.allocateF64(statsSize);
    const normsAt = kernels.allocateF64(n);
    const outAt = kernels.allocateF64(n);
    const pool = kernelThreads(threadCount);
    const shares = blockShares(numBlocks, pool ? pool.size + 1 : 1);
    const scratches = shares.map(() => kernels.allocateF64(m));
    kernels.f64(blockStatsAt, numBlocks * statsSize).fill(0);

    const run = (calls: KernelCall[][]) => (pool ? pool.run(calls, kernels.functions) : runCalls(kernels.functions, calls[0]));
    const blockRows = (block: number) => [block * BLOCK_ROWS, Math.min(n, (block + 1) * BLOCK_ROWS)];
    const statsOf = (at: number) => [at, at + m * 8, at + m * (d + 1) * 8];

    run(
      shares.map(([first, end]) =>
        range(first, end).map((block) => {
          const [weightsOut, sumsOut, normSumsOut] = statsOf(blockStatsAt + block * statsSize * 8);
          return { name: 'silhouetteStats', args: [pointsAt, weightsAt, ...blockRows(block), d, clustersAt, weightsOut, sumsOut, normSumsOut, normsAt] };
        }),
      ),
    );
    const blockStats = kernels.f64(blockStatsAt, numBlocks * statsSize);
    const totals = kernels.f64(totalsAt, statsSize).fill(0);
    for (let block = 0; block < numBlocks; block++) {
      for (let i = 0; i < statsSize; i++) totals[i] += blockStats[block * statsSize + i];
    }

    const [clusterWeightsAt, vectorSumsAt] = statsOf(totalsAt);
    // Ψ_c/N_c, the part of the mean distance to cluster c that every row shares.
    const meanNormsAt = kernels.copyF64(Float64Array.from({ length: m }, (_, c) => totals[m * (d + 1) + c] / totals[c]));
    const cosine = measure === 'cosine' ? 1 : 0;
    run(
      shares.map(([first, end], share) =>
        range(first, end).map((block) => ({
          name: 'silhouettes',
          args: [pointsAt, weightsAt, ...blockRows(block), d, clustersAt, m, clusterWeightsAt, vectorSumsAt, meanNormsAt, normsAt, cosine, outAt, scratches[share]],
        })),
      ),
    );
    return Float64Array.from(kernels.f64(outAt, n));
  });
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

function normalised(x: Float64Array, d: number): Float64Array {
  const result = new Float64Array(x.length);
  for (let i = 0; i < x.length; i += d) {
    let squares = 0;
    for (let j = 0; j < d; j++) squares += x[i + j] * x[i + j];
    if (squares === 0) throw new InputError(`invalid row ${i / d}: a zero vector has no cosine distance (drop it or use distanceMeasure "squaredEuclidean")`);
    const inverse = 1 / Math.sqrt(squares);
    for (let j = 0; j < d; j++) result[i + j] = x[i + j] * inverse;
  }
  return result;
}

/**
 * Exact silhouette with Euclidean distances, as scikit-learn's
 * `silhouette_samples`: a = mean distance to the other points of the own
 * cluster, b = the smallest mean distance to another cluster,
 * s = (b − a) / max(a, b), and 0 for a point alone in its cluster.
 */
export function exactEuclideanSilhouettes(x: Float64Array, d: number, labels: Int32Array): Float64Array {
  const n = labels.length;
  const { dense, m } = denseLabels(labels);
  const sizes = new Float64Array(m);
  for (let i = 0; i < n; i++) sizes[dense[i]] += 1;

  // Sum of distances from every point to every cluster; each pair is computed once (WebAssembly kernel).
  const sums = withKernels((kernels) => {
    const pointsAt = kernels.copyF64(x);
    const clustersAt = kernels.copyI32(dense);
    const sumsAt = kernels.allocateF64(n * m);
    kernels.f64(sumsAt, n * m).fill(0);
    kernels.functions.pairDistanceSums(pointsAt, n, d, clustersAt, m, sumsAt);
    return Float64Array.from(kernels.f64(sumsAt, n * m));
  });

  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = dense[i];
    if (sizes[own] === 1) continue;
    const a = sums[i * m + own] / (sizes[own] - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < m; c++) if (c !== own && sums[i * m + c] / sizes[c] < b) b = sums[i * m + c] / sizes[c];
    const larger = Math.max(a, b);
    result[i] = larger === 0 ? 0 : (b - a) / larger;
  }
  return result;
}
