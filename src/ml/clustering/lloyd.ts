/**
 * The KMeans Lloyd loop with Spark ML's rules, accelerated by triangle-
 * inequality bounds (Elkan's per-centre lower bounds with Hamerly's
 * nearest-centre test, see lloyd-block.ts).
 *
 * Rules of Spark's `KMeans.runAlgorithmWithWeight`: every point goes to its
 * nearest centre (ties to the lowest index). Each centre moves to the
 * weighted mean of its points, and an empty cluster keeps its centre. The
 * loop stops when no centre moved more than `tol`, or after `maxIter`
 * iterations. The training cost is Σ weight · distance of the last
 * assignment, measured against the centres that assignment used (before
 * their last move), as Spark reports it.
 *
 * The bounds only skip distance computations that cannot change an
 * assignment, so the result is Lloyd's. They cost n × k doubles of memory
 * (160 MB for a million rows and k = 20). Large inputs run the blocks on
 * worker threads (lloyd-parallel.ts) with the same result.
 */
import { availableParallelism } from 'node:os';
import { costFromSquared, finishCentroid, isConverged, squaredDistance, type DistanceMeasure } from './distance-measure.js';
import { BLOCK_ROWS, processBlock, type LloydBuffers } from './lloyd-block.js';
import { LloydWorkers, sharedBuffers } from './lloyd-parallel.js';

/** Rows from which worker threads pay for their start-up (about 50 ms each); an estimate from runs on a 2-core machine. */
export const PARALLEL_MIN_ROWS = 200000;

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
  /** Threads to use; default: all available cores from {@link PARALLEL_MIN_ROWS} rows, else 1. */
  threads?: number;
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

/** Runs Lloyd's algorithm with Spark's convergence rule, accelerated by triangle-inequality bounds. */
export function runLloyd(input: LloydInput): LloydResult {
  const { points, weights, n, d, k, maxIter, tol, measure } = input;
  const numBlocks = Math.ceil(n / BLOCK_ROWS);
  const threads = Math.max(1, Math.min(input.threads ?? (n >= PARALLEL_MIN_ROWS ? availableParallelism() : 1), numBlocks));

  let buffers: LloydBuffers;
  let workers: LloydWorkers | undefined;
  if (threads > 1) {
    buffers = sharedBuffers(points, weights, n, d, k, numBlocks);
    workers = new LloydWorkers(buffers, numBlocks, threads);
    if (!workers.waitUntilReady()) workers = undefined;
  } else {
    buffers = {
      points,
      weights: weights ?? new Float64Array(0),
      n,
      d,
      k,
      centers: new Float64Array(k * d),
      centerStats: new Float64Array(2 * k + 3 + k * k + k),
      assignment: new Int32Array(n),
      upper: new Float64Array(n),
      lower: new Float64Array(n * k),
      blockSums: new Float64Array(numBlocks * k * d),
      blockWeights: new Float64Array(numBlocks * k),
    };
  }
  const { centers, centerStats, blockSums, blockWeights } = buffers;
  const drift = 2 * k + 3 + k * k;
  centers.set(input.centers);
  let previous = Float64Array.from(centers);
  const sums = new Float64Array(k * d);
  const clusterWeights = new Float64Array(k);
  updateCenterStats(centers, k, d, centerStats);

  try {
    let iteration = 0;
    let converged = false;
    while (iteration < maxIter && !converged) {
      // Assignment step and per-block sums, on every thread.
      if (workers) workers.runPass(iteration === 0);
      else for (let block = 0; block < numBlocks; block++) processBlock(buffers, block, iteration === 0);

      // Update step: block sums added in block order, then means (an empty cluster keeps its centre).
      sums.fill(0);
      clusterWeights.fill(0);
      for (let block = 0; block < numBlocks; block++) {
        for (let i = 0; i < k * d; i++) sums[i] += blockSums[block * k * d + i];
        for (let c = 0; c < k; c++) clusterWeights[c] += blockWeights[block * k + c];
      }
      previous = Float64Array.from(centers);
      converged = true;
      for (let c = 0; c < k; c++) {
        if (clusterWeights[c] > 0) {
          finishCentroid(sums, c * d, d, clusterWeights[c], measure);
          centers.set(sums.subarray(c * d, c * d + d), c * d);
        }
        const moved = squaredDistance(previous, c, centers, c, d);
        centerStats[k + c] = Math.sqrt(moved);
        centerStats[drift + c] += centerStats[k + c];
        if (!isConverged(moved, tol, measure)) converged = false;
      }
      iteration += 1;
      if (!converged && iteration < maxIter) updateCenterStats(centers, k, d, centerStats);
    }

    // Cost of the last assignment against the centres it used, computed exactly.
    const { assignment } = buffers;
    let trainingCost = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      trainingCost += w * costFromSquared(squaredDistance(points, i, previous, assignment[i], d), measure);
    }
    return { centers: Float64Array.from(centers), trainingCost, numIter: iteration, assignment: Int32Array.from(assignment), clusterWeights };
  } finally {
    workers?.close();
  }
}

/** Writes the half distances between centres (pairwise and to the nearest other) and the largest and second-largest moves. */
function updateCenterStats(centers: Float64Array, k: number, d: number, centerStats: Float64Array): void {
  const pairs = 2 * k + 3;
  for (let c = 0; c < k; c++) centerStats[c] = Number.POSITIVE_INFINITY;
  for (let a = 0; a < k; a++) {
    centerStats[pairs + a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const gap = Math.sqrt(squaredDistance(centers, a, centers, b, d)) / 2;
      centerStats[pairs + a * k + b] = gap;
      centerStats[pairs + b * k + a] = gap;
      if (gap < centerStats[a]) centerStats[a] = gap;
      if (gap < centerStats[b]) centerStats[b] = gap;
    }
  }

  let largest = 0;
  let largestIndex = -1;
  let secondLargest = 0;
  for (let c = 0; c < k; c++) {
    const move = centerStats[k + c];
    if (move > largest) {
      secondLargest = largest;
      largest = move;
      largestIndex = c;
    } else if (move > secondLargest) {
      secondLargest = move;
    }
  }
  centerStats[2 * k] = largest;
  centerStats[2 * k + 1] = largestIndex;
  centerStats[2 * k + 2] = secondLargest;
}
