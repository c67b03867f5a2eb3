/**
 * One block of rows of a Lloyd iteration with Elkan's bounds (C. Elkan,
 * "Using the triangle inequality to accelerate k-means", ICML 2003). Each row
 * keeps an upper bound on the distance to its centre and one lower bound per
 * centre. A centre is skipped when the upper bound is below its lower bound or
 * below half its distance to the row's centre, so only distances that could
 * change the assignment are computed. Ties still go to the lowest index. The
 * block's rows are then summed per cluster. The main thread and the worker threads run the same
 * function on the same buffers, and block sums are added in block order, so
 * the result does not depend on how many threads ran.
 */

/** Rows per block: the unit of work and of summation order. */
export const BLOCK_ROWS = 16384;

/**
 * Buffers of one Lloyd run, shared with worker threads when they are used.
 * `centerStats` contains five parts, in this order:
 * - half the distance from each centre to the nearest other centre (k values);
 * - the distance each centre last moved (k values);
 * - the largest move, the index of its centre and the second-largest move (3 values);
 * - half the distance between every pair of centres (k × k values);
 * - each centre's drift, the sum of all its moves so far (k values). `upper` stores the bound minus the drift of the
 * row's centre and `lower` the bound plus the drift of its centre, so a move
 * updates every bound at once.
 */
export interface LloydBuffers {
  points: Float64Array;
  /** Row weights; length 0 means 1 for every row. */
  weights: Float64Array;
  n: number;
  d: number;
  k: number;
  centers: Float64Array;
  centerStats: Float64Array;
  assignment: Int32Array;
  upper: Float64Array;
  /** Lower bound on the distance from each row to each centre, plus that centre's drift (n × k). */
  lower: Float64Array;
  /** Per block and cluster: weighted sums (numBlocks × k × d). */
  blockSums: Float64Array;
  /** Per block and cluster: total weight (numBlocks × k). */
  blockWeights: Float64Array;
}

/**
 * Safety margin on bound comparisons: a row is skipped only when its upper
 * bound is below the lower bound by more than rounding can explain. This
 * keeps floating-point drift in the bounds from changing an assignment
 * (checked against plain Lloyd in the tests).
 */
const BOUND_SLACK = 1e-10;

/** Processes block `block`: all distances on the first pass, a bounded search afterwards. */
export function processBlock(buffers: LloydBuffers, block: number, firstPass: boolean): void {
  const { points, weights, n, d, k, centers, centerStats, assignment, upper, lower, blockSums, blockWeights } = buffers;
  const start = block * BLOCK_ROWS;
  const end = Math.min(n, start + BLOCK_ROWS);
  const pairs = 2 * k + 3;
  const drift = pairs + k * k;
  const keep = 1 - BOUND_SLACK;

  for (let i = start; i < end; i++) {
    const bounds = i * k;
    if (firstPass) {
      // Every distance is computed once and becomes an exact lower bound.
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const distance = Math.sqrt(distanceTo(points, i, centers, c, d));
        lower[bounds + c] = distance + centerStats[drift + c];
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      assignment[i] = best;
      upper[i] = bestDistance - centerStats[drift + best];
      continue;
    }

    // Bounds are stored relative to each centre's total drift, so moving them costs nothing here.
    let a = assignment[i];
    let u = upper[i] + centerStats[drift + a];
    if (u < centerStats[a] * keep) continue;

    // Visit the centres that the bounds cannot rule out, tightening u to the exact distance first.
    let tight = false;
    for (let c = 0; c < k; c++) {
      if (c === a) continue;
      const bound = lower[bounds + c] - centerStats[drift + c];
      const halfGap = centerStats[pairs + a * k + c];
      if (u < bound * keep || u < halfGap * keep) continue;
      if (!tight) {
        u = Math.sqrt(distanceTo(points, i, centers, a, d));
        lower[bounds + a] = u + centerStats[drift + a];
        tight = true;
        if (u < bound * keep || u < halfGap * keep) continue;
      }
      const distance = Math.sqrt(distanceTo(points, i, centers, c, d));
      lower[bounds + c] = distance + centerStats[drift + c];
      if (distance < u || (distance === u && c < a)) {
        a = c;
        u = distance;
      }
    }
    assignment[i] = a;
    upper[i] = u - centerStats[drift + a];
  }

  // Weighted sums of the block's rows per cluster.
  const sums = blockSums.subarray(block * k * d, (block + 1) * k * d);
  const clusterWeights = blockWeights.subarray(block * k, (block + 1) * k);
  sums.fill(0);
  clusterWeights.fill(0);
  const weighted = weights.length > 0;
  for (let i = start; i < end; i++) {
    const c = assignment[i];
    const w = weighted ? weights[i] : 1;
    for (let j = 0; j < d; j++) sums[c * d + j] += w * points[i * d + j];
    clusterWeights[c] += w;
  }
}

function distanceTo(points: Float64Array, i: number, centers: Float64Array, c: number, d: number): number {
  let squares = 0;
  for (let j = 0; j < d; j++) {
    const diff = points[i * d + j] - centers[c * d + j];
    squares += diff * diff;
  }
  return squares;
}
