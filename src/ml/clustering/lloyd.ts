/**
 * The KMeans Lloyd loop with Spark ML's rules, accelerated by the lower
 * bound of Hamerly's triangle-inequality test and by screening centres in
 * single precision (see lloyd-block.ts and the `lloydPass` WebAssembly
 * kernel).
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
 * assignment, so the result is Lloyd's. They cost one double per row.
 * Without weights, every pass after the first updates the cluster sums by
 * the rows that changed cluster only, since the counts stay exact integers.
 * The centres then differ from freshly summed ones in their last bits, and a
 * pass in which no row moves leaves them exactly where they were. Summing
 * every row afresh after such passes would move them by those last bits,
 * which at tol = 0 ran one iteration more than plain Lloyd. With
 * weights, every pass sums afresh, so an empty cluster is detected exactly.
 * Large inputs run the blocks on kernel threads (../kernels/threads.ts) with
 * the same result.
 */
import { BLOCK_ROWS, kernelThreads, runCalls, startKernelThreads, threadsFor } from '../kernels/threads.js';
import { withKernels } from '../kernels/wasm.js';
import { costFromSquared, finishCentroid, isConverged, squaredDistance, type DistanceMeasure } from './distance-measure.js';
import { passCalls, type LloydLayout } from './lloyd-block.js';

/**
 * Share of rows that needed every distance in a pass above which the next
 * pass computes every distance without testing bounds. Testing costs about a
 * sixth of a row's full distances (8 against 48 ns on 9 features with k = 20),
 * so it pays unless nearly every row fails. An estimate from 100,000 and
 * 1,000,000 rows, where 0.9 ran 0–5% faster than 0.5.
 */
const EXHAUSTIVE_SHARE = 0.9;

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
  /** Threads to use; default: every core from 50,000 rows (`PARALLEL_MIN_ROWS`), else 1. */
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
  const threads = Math.min(threadsFor(n, input.threads), numBlocks);

  startKernelThreads(threads);
  return withKernels((kernels) => {
    const centersAt = kernels.copyF64(input.centers);
    const layout: LloydLayout = {
      points: kernels.copyF64(points),
      weights: weights ? kernels.copyF64(weights) : 0,
      n,
      d,
      k,
      centers: centersAt,
      stats: kernels.allocateF64(2 * k + 3),
      clusters: kernels.allocateI32(n),
      lower: kernels.allocateF64(n),
      blockSums: kernels.allocateF64(numBlocks * k * d),
      blockWeights: kernels.allocateF64(numBlocks * k),
      blockExhaustive: kernels.allocateI32(numBlocks),
      screen: kernels.screen(centersAt, k, d),
      blockCosts: kernels.allocateF64(numBlocks),
      failing: kernels.allocateI32(n),
    };
    const pool = kernelThreads(threads);

    // Views are taken after the last allocation: growing the memory replaces its buffer.
    const centers = kernels.f64(layout.centers, k * d);
    const stats = kernels.f64(layout.stats, 2 * k + 3);
    const blockSums = kernels.f64(layout.blockSums, numBlocks * k * d);
    const blockWeights = kernels.f64(layout.blockWeights, numBlocks * k);
    const blockExhaustive = kernels.i32(layout.blockExhaustive, numBlocks);
    const blockCosts = kernels.f64(layout.blockCosts, numBlocks);
    // Touch the arrays the first pass writes, so their new pages are mapped by this thread alone.
    // Page faults taken by every thread at once cost more: at 1,000,000 rows the first pass took
    // 61 ms, against 6 ms here plus 32 ms.
    kernels.i32(layout.clusters, n).fill(0);
    kernels.f64(layout.lower, n).fill(0);
    let previous = Float64Array.from(centers);
    // Weighted sums of the last assignment's clusters, and their means.
    const sums = new Float64Array(k * d);
    const means = new Float64Array(k * d);
    const clusterWeights = new Float64Array(k);
    stats.fill(0);
    updateCenterStats(centers, k, d, stats);

    let iteration = 0;
    let converged = false;
    let exhaustive = true;
    while (iteration < maxIter && !converged) {
      // Assignment step and per-block sums, on every thread. Without weights, every pass after the
      // first sums only the rows that changed cluster, even a plain pass (see the header).
      const changesOnly = iteration > 0 && weights === undefined;
      if (layout.screen !== 0 && iteration > 0) kernels.functions.prepareScreen(layout.centers, k, d, layout.screen);
      // Threads claim blocks one at a time: rows that fail their bounds cluster in some blocks.
      const calls = passCalls(layout, exhaustive, changesOnly);
      if (pool) pool.runClaimed(calls, kernels.functions);
      else runCalls(kernels.functions, calls);

      // While centres move far, nearly every row fails its bounds and a plain pass is cheaper.
      // After a plain pass the bounds are tried again.
      let exhaustiveRows = 0;
      for (let block = 0; block < numBlocks; block++) exhaustiveRows += blockExhaustive[block];
      exhaustive = !exhaustive && exhaustiveRows > EXHAUSTIVE_SHARE * n;

      // Update step: block sums added in block order, then means (an empty cluster keeps its centre).
      if (!changesOnly) {
        sums.fill(0);
        clusterWeights.fill(0);
      }
      for (let block = 0; block < numBlocks; block++) {
        for (let i = 0; i < k * d; i++) sums[i] += blockSums[block * k * d + i];
        for (let c = 0; c < k; c++) clusterWeights[c] += blockWeights[block * k + c];
      }
      previous = Float64Array.from(centers);
      means.set(sums);
      converged = true;
      for (let c = 0; c < k; c++) {
        if (clusterWeights[c] > 0) {
          finishCentroid(means, c * d, d, clusterWeights[c], measure);
          centers.set(means.subarray(c * d, c * d + d), c * d);
        }
        const moved = squaredDistance(previous, c, centers, c, d);
        stats[k + c] = Math.sqrt(moved);
        if (!isConverged(moved, tol, measure)) converged = false;
      }
      iteration += 1;
      if (!converged && iteration < maxIter) updateCenterStats(centers, k, d, stats);
    }

    // Cost of the last assignment against the centres it used (before their last move), which
    // the last pass summed per block.
    let squared = 0;
    for (let block = 0; block < numBlocks; block++) squared += blockCosts[block];
    return {
      centers: Float64Array.from(centers),
      trainingCost: costFromSquared(squared, measure),
      numIter: iteration,
      assignment: Int32Array.from(kernels.i32(layout.clusters, n)),
      clusterWeights,
    };
  });
}

/** Writes the half distance from each centre to its nearest other centre and the largest and second-largest moves. */
function updateCenterStats(centers: Float64Array, k: number, d: number, stats: Float64Array): void {
  for (let c = 0; c < k; c++) stats[c] = Number.POSITIVE_INFINITY;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const gap = Math.sqrt(squaredDistance(centers, a, centers, b, d)) / 2;
      if (gap < stats[a]) stats[a] = gap;
      if (gap < stats[b]) stats[b] = gap;
    }
  }

  let largest = 0;
  let largestIndex = -1;
  let secondLargest = 0;
  for (let c = 0; c < k; c++) {
    const move = stats[k + c];
    if (move > largest) {
      secondLargest = largest;
      largest = move;
      largestIndex = c;
    } else if (move > secondLargest) {
      secondLargest = move;
    }
  }
  stats[2 * k] = largest;
  stats[2 * k + 1] = largestIndex;
  stats[2 * k + 2] = secondLargest;
}
