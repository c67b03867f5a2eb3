/**
 * One block of rows of a Lloyd iteration with Hamerly's bounds. The bounds
 * move by how far the centres moved, each row goes to its nearest centre
 * (rows whose bounds prove the centre unchanged are skipped), and the block's
 * rows are summed per cluster. The main thread and the worker threads run the same
 * function on the same buffers, and block sums are added in block order, so
 * the result does not depend on how many threads ran.
 */

/** Rows per block: the unit of work and of summation order. */
export const BLOCK_ROWS = 16384;

/**
 * Buffers of one Lloyd run, shared with worker threads when they are used.
 * `centerStats` contains, for k centres, five parts in order. They are half
 * the distance to the nearest other centre (k values), the distance each
 * centre last moved (k values), the largest move with the index of its centre
 * and the second-largest move (3 values), and half the distance between every
 * pair of centres (k × k values).
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

/** Processes block `block`: a full search on the first pass, a bounded search afterwards. */
export function processBlock(buffers: LloydBuffers, block: number, firstPass: boolean): void {
  const { points, weights, n, d, k, centers, centerStats, assignment, upper, lower, blockSums, blockWeights } = buffers;
  const start = block * BLOCK_ROWS;
  const end = Math.min(n, start + BLOCK_ROWS);
  const largest = centerStats[2 * k];
  const largestIndex = centerStats[2 * k + 1];
  const secondLargest = centerStats[2 * k + 2];

  for (let i = start; i < end; i++) {
    let a = 0;
    if (firstPass) {
      upper[i] = Math.sqrt(distanceTo(points, i, centers, 0, d));
    } else {
      // Upper bounds grow by the move of the row's centre, lower bounds shrink by the largest other move.
      a = assignment[i];
      upper[i] += centerStats[k + a];
      lower[i] -= a === largestIndex ? secondLargest : largest;
      const bound = Math.max(centerStats[a], lower[i]) * (1 - BOUND_SLACK);
      if (upper[i] < bound) continue;

      // Tighten the upper bound to the exact distance and test again.
      upper[i] = Math.sqrt(distanceTo(points, i, centers, a, d));
      if (upper[i] < bound) continue;
    }
    searchRow(points, i, d, centers, k, a, centerStats, assignment, upper, lower);
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

/**
 * Searches the nearest centre of row i (ties to the lowest index) and sets its
 * distance (upper) and a lower bound on every other centre's distance (lower).
 * `upper[i]` enters as the exact distance u to centre `a`. A centre j with
 * ½·‖c_a − c_j‖ > u is farther than c_a by the triangle inequality (Elkan's
 * lemma), so its distance is not computed and 2·½‖c_a − c_j‖ − u bounds it.
 */
function searchRow(
  points: Float64Array,
  i: number,
  d: number,
  centers: Float64Array,
  k: number,
  a: number,
  centerStats: Float64Array,
  assignment: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  const u = upper[i];
  const halfGaps = 2 * k + 3 + a * k;
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  let skippedBound = Number.POSITIVE_INFINITY;
  const row = i * d;
  for (let c = 0; c < k; c++) {
    const halfGap = centerStats[halfGaps + c];
    if (c !== a && halfGap * (1 - BOUND_SLACK) > u) {
      const bound = 2 * halfGap - u;
      if (bound < skippedBound) skippedBound = bound;
      continue;
    }
    // Partial distance search: once the sum passes the second-best distance, the centre cannot matter.
    let distance = 0;
    const base = c * d;
    for (let j = 0; j < d && distance < second; j++) {
      const diff = points[row + j] - centers[base + j];
      distance += diff * diff;
    }
    if (distance < bestDistance) {
      second = bestDistance;
      bestDistance = distance;
      best = c;
    } else if (distance < second) {
      second = distance;
    }
  }
  assignment[i] = best;
  upper[i] = Math.sqrt(bestDistance);
  lower[i] = Math.min(Math.sqrt(second), skippedBound);
}
