/**
 * KMeans initialisation: k-means|| (Bahmani et al., "Scalable K-Means++",
 * VLDB 2012) as Spark ML runs it, and `random` as the alternative.
 *
 * k-means||: start from one uniformly drawn point; in each of `initSteps`
 * rounds, keep every point independently with probability
 * `2 · k · cost(x) / Σ cost`, where cost is the distance to the nearest
 * centre chosen so far (about 2k new candidates a round). The candidates are
 * deduplicated, and if at most k remain they are the centres. Otherwise each
 * is weighted by the total weight of the points nearest to it, and a local
 * weighted k-means++ (java.util.Random with seed 0, as Spark) with up to 30 Lloyd iterations
 * picks k of them.
 */
import { RandomGenerator } from '../../random.js';
import { withKernels } from '../kernels/wasm.js';
import type { DistanceMeasure } from './distance-measure.js';
import { JavaRandom } from './java-random.js';
import { localKMeansPlusPlus } from './local-kmeans.js';

/** Iterations of the local Lloyd loop on the weighted candidates (Spark's value). */
const LOCAL_MAX_ITERATIONS = 30;

/** Input of an initialisation: prepared points (see distance-measure.ts) and optional weights. */
export interface InitInput {
  points: Float64Array;
  /** Row weights; undefined means 1 for every row. */
  weights?: Float64Array;
  n: number;
  d: number;
  k: number;
  measure: DistanceMeasure;
}

/** Returns the initial centres (row-major, at most k of them, possibly fewer) by k-means||. */
export function initKMeansParallel(input: InitInput, initSteps: number, random: RandomGenerator): Float64Array {
  const { points, weights, n, d, k, measure } = input;

  // One uniformly drawn first centre.
  const candidateRows: number[] = [random.nextInt(n)];
  let newRows = candidateRows.slice();

  const candidates = withKernels((kernels) => {
    const pointsAt = kernels.copyF64(points);
    const costsAt = kernels.allocateF64(n);
    kernels.f64(costsAt, n).fill(Number.POSITIVE_INFINITY);
    // Position in candidateRows of each point's nearest candidate so far (the first on ties).
    const ownersAt = kernels.allocateI32(n);

    for (let step = 0; step < initSteps; step++) {
      // Cost of each point: squared distance to the nearest candidate so far.
      const mark = kernels.mark();
      const newCentersAt = kernels.copyF64(gatherRows(points, newRows, d));
      const ownerBase = candidateRows.length - newRows.length;
      const screen = kernels.screen(newCentersAt, newRows.length, d);
      const sumCosts = kernels.functions.lowerCosts(pointsAt, 0, n, d, newCentersAt, newRows.length, costsAt, ownersAt, ownerBase, screen);
      kernels.release(mark);

      // Keep each point with probability 2k · cost / Σ cost.
      newRows = [];
      if (sumCosts > 0) {
        const costs = kernels.f64(costsAt, n);
        const scale = (2 * k) / sumCosts;
        for (let i = 0; i < n; i++) if (random.nextFloat() < costs[i] * scale) newRows.push(i);
      }
      candidateRows.push(...newRows);
    }

    const { distinct, distinctIndex } = distinctRows(points, candidateRows, d);
    if (distinct.length <= k) return { rows: gatherRows(points, distinct, d) };

    // Weight each candidate by the points nearest to it. The cost passes
    // already found each point's nearest among all but the last round's
    // candidates, so only those are compared here. Taking the first
    // candidate on ties, in candidate order, gives the same choice as a
    // search over the distinct candidates (Spark's findClosest).
    const lastAt = kernels.copyF64(gatherRows(points, newRows, d));
    const screen = kernels.screen(lastAt, newRows.length, d);
    kernels.functions.lowerCosts(pointsAt, 0, n, d, lastAt, newRows.length, costsAt, ownersAt, candidateRows.length - newRows.length, screen);
    const owners = kernels.i32(ownersAt, n);
    const candidateWeights = new Float64Array(distinct.length);
    for (let i = 0; i < n; i++) candidateWeights[distinctIndex[owners[i]]] += weights ? weights[i] : 1;
    return { rows: gatherRows(points, distinct, d), candidateWeights };
  });

  if (candidates.candidateWeights === undefined) return candidates.rows;
  // Spark draws from java.util.Random(0) here in every fit; the same draws make the same choices.
  return localKMeansPlusPlus(candidates.rows, candidates.candidateWeights, d, k, LOCAL_MAX_ITERATIONS, measure, new JavaRandom(0));
}

/** Returns k distinct-by-value rows drawn uniformly without replacement (fewer when duplicates remain). */
export function initRandom(input: InitInput, random: RandomGenerator): Float64Array {
  const { points, n, d, k } = input;
  const chosen = new Set<number>();
  while (chosen.size < Math.min(k, n)) chosen.add(random.nextInt(n));
  return gatherRows(points, distinctRows(points, [...chosen], d).distinct, d);
}

/** Returns the first `limit + 1` (or fewer) rows of `points` with distinct values, in row order. */
export function distinctRowsUpTo(points: Float64Array, n: number, d: number, limit: number): number[] {
  const seen = new Set<string>();
  const rows: number[] = [];
  for (let i = 0; i < n && rows.length <= limit; i++) {
    const key = rowKey(points, i, d);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(i);
  }
  return rows;
}

/**
 * Returns the rows with distinct values, first occurrences in order, and for
 * each position of `rows` the index in that list of the row with its value.
 */
function distinctRows(points: Float64Array, rows: number[], d: number): { distinct: number[]; distinctIndex: Int32Array } {
  const seen = new Map<string, number>();
  const distinct: number[] = [];
  const distinctIndex = new Int32Array(rows.length);
  rows.forEach((row, position) => {
    const key = rowKey(points, row, d);
    let index = seen.get(key);
    if (index === undefined) {
      index = distinct.length;
      seen.set(key, index);
      distinct.push(row);
    }
    distinctIndex[position] = index;
  });
  return { distinct, distinctIndex };
}

function rowKey(points: Float64Array, row: number, d: number): string {
  return Array.prototype.join.call(points.subarray(row * d, row * d + d), ',');
}

/** Copies the given rows of `points` into a new row-major array. */
export function gatherRows(points: Float64Array, rows: number[], d: number): Float64Array {
  const result = new Float64Array(rows.length * d);
  rows.forEach((row, index) => result.set(points.subarray(row * d, row * d + d), index * d));
  return result;
}
