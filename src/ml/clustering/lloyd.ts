/**
 * The KMeans Lloyd loop with Spark ML's rules, accelerated by Hamerly's
 * bounds (G. Hamerly, "Making k-means even faster", SDM 2010).
 *
 * Rules of Spark's `KMeans.runAlgorithmWithWeight`: every point goes to its
 * nearest centre (ties to the lowest index). Each centre moves to the
 * weighted mean of its points, and an empty cluster keeps its centre. The
 * loop stops when no centre moved more than `tol`, or after `maxIter`
 * iterations. The training cost is
 * Σ weight · distance of the last assignment, measured against the centres
 * that assignment used (before their last move), as Spark reports it.
 *
 * Hamerly's bounds only skip distance computations that cannot change an
 * assignment, so the result is Lloyd's. Each point keeps an upper bound on
 * the distance to its centre and a lower bound on the distance to every
 * other centre; when the upper bound is below both the lower bound and half
 * the distance from its centre to the nearest other centre, the point keeps
 * its centre without computing anything.
 */
import { costFromSquared, finishCentroid, isConverged, squaredDistance, type DistanceMeasure } from './distance-measure.js';

/** Input of {@link runLloyd}: prepared points (see distance-measure.ts), weights and the initial centres. */
export interface LloydInput {
  points: Float64Array;
  /** Row weights; undefined means 1 for every row. */
  weights?: Float64Array;
  n: number;
  d: number;
  /** Initial centres, row-major, k × d; not modified. */
  centers: Float64Array;
  k: number;
  maxIter: number;
  tol: number;
  measure: DistanceMeasure;
}

/** Output of {@link runLloyd}. */
export interface LloydResult {
  /** Final centres, row-major, k × d. */
  centers: Float64Array;
  /** Σ weight · distance of the last assignment to the centres it used. */
  trainingCost: number;
  /** Iterations run (at most maxIter). */
  numIter: number;
  /** Cluster of each point in the last assignment. */
  assignment: Int32Array;
  /** Total weight of each cluster in the last assignment. */
  clusterWeights: Float64Array;
}

/**
 * Safety margin on bound comparisons: a point is skipped only when its upper
 * bound is below the lower bound by more than rounding can explain, so
 * floating-point drift in the bounds never changes an assignment.
 */
const BOUND_SLACK = 1e-10;

/** Runs Lloyd's algorithm with Spark's convergence rule, accelerated by Hamerly's bounds. */
export function runLloyd(input: LloydInput): LloydResult {
  const { points, weights, n, d, k, maxIter, tol, measure } = input;
  let centers = Float64Array.from(input.centers);
  let previous = centers;
  const assignment = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const clusterWeights = new Float64Array(k);
  const halfGap = new Float64Array(k);
  const moves = new Float64Array(k);

  let iteration = 0;
  let converged = false;
  while (iteration < maxIter && !converged) {
    // Assignment step: full search on the first pass, bounded search afterwards.
    if (iteration === 0) assignAll(points, n, d, centers, k, assignment, upper, lower);
    else assignWithBounds(points, n, d, centers, k, assignment, upper, lower, halfGap);

    // Update step: weighted sums, then means (an empty cluster keeps its centre).
    sums.fill(0);
    clusterWeights.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i];
      const w = weights ? weights[i] : 1;
      const base = c * d;
      const row = i * d;
      for (let j = 0; j < d; j++) sums[base + j] += w * points[row + j];
      clusterWeights[c] += w;
    }
    previous = centers;
    centers = Float64Array.from(previous);
    converged = true;
    for (let c = 0; c < k; c++) {
      if (clusterWeights[c] > 0) {
        finishCentroid(sums, c * d, d, clusterWeights[c], measure);
        centers.set(sums.subarray(c * d, c * d + d), c * d);
      }
      const moved = squaredDistance(previous, c, centers, c, d);
      moves[c] = Math.sqrt(moved);
      if (!isConverged(moved, tol, measure)) converged = false;
    }
    iteration += 1;

    // Move the bounds by how far the centres moved, and refresh the centre gaps.
    if (!converged && iteration < maxIter) {
      updateBounds(n, k, assignment, upper, lower, moves);
      computeHalfGaps(centers, k, d, halfGap);
    }
  }

  // Cost of the last assignment against the centres it used, computed exactly.
  let trainingCost = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    trainingCost += w * costFromSquared(squaredDistance(points, i, previous, assignment[i], d), measure);
  }
  return { centers, trainingCost, numIter: iteration, assignment, clusterWeights };
}

/** Full search for every point: nearest centre, its distance (upper) and the second-nearest distance (lower). */
function assignAll(points: Float64Array, n: number, d: number, centers: Float64Array, k: number, assignment: Int32Array, upper: Float64Array, lower: Float64Array): void {
  for (let i = 0; i < n; i++) searchPoint(points, i, d, centers, k, assignment, upper, lower);
}

function searchPoint(points: Float64Array, i: number, d: number, centers: Float64Array, k: number, assignment: Int32Array, upper: Float64Array, lower: Float64Array): void {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  const row = i * d;
  for (let c = 0; c < k; c++) {
    let distance = 0;
    const base = c * d;
    for (let j = 0; j < d; j++) {
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
  lower[i] = Math.sqrt(second);
}

function assignWithBounds(
  points: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  assignment: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  halfGap: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const a = assignment[i];
    const bound = Math.max(halfGap[a], lower[i]) * (1 - BOUND_SLACK);
    if (upper[i] < bound) continue;

    // Tighten the upper bound to the exact distance and test again.
    upper[i] = Math.sqrt(squaredDistance(points, i, centers, a, d));
    if (upper[i] < bound) continue;

    searchPoint(points, i, d, centers, k, assignment, upper, lower);
  }
}

/** Upper bounds grow by the move of the point's centre, lower bounds shrink by the largest move of any other centre. */
function updateBounds(n: number, k: number, assignment: Int32Array, upper: Float64Array, lower: Float64Array, moves: Float64Array): void {
  let largest = 0;
  let largestIndex = -1;
  let secondLargest = 0;
  for (let c = 0; c < k; c++) {
    if (moves[c] > largest) {
      secondLargest = largest;
      largest = moves[c];
      largestIndex = c;
    } else if (moves[c] > secondLargest) {
      secondLargest = moves[c];
    }
  }
  for (let i = 0; i < n; i++) {
    const a = assignment[i];
    upper[i] += moves[a];
    lower[i] -= a === largestIndex ? secondLargest : largest;
  }
}

/** Half the distance from each centre to its nearest other centre. */
function computeHalfGaps(centers: Float64Array, k: number, d: number, halfGap: Float64Array): void {
  halfGap.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const gap = Math.sqrt(squaredDistance(centers, a, centers, b, d)) / 2;
      if (gap < halfGap[a]) halfGap[a] = gap;
      if (gap < halfGap[b]) halfGap[b] = gap;
    }
  }
  if (k === 1) halfGap.fill(Number.POSITIVE_INFINITY);
}
