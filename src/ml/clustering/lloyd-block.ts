/**
 * The memory layout of one Lloyd run and the calls of a pass over its blocks.
 * The assignment step itself (Hamerly's bounds, then the per-cluster sums of
 * each block) is the `lloydPass` WebAssembly kernel.
 *
 * Rows are split into blocks of `BLOCK_ROWS`; each block keeps its own
 * per-cluster sums, and the update step adds them in block order. The main
 * thread and the worker threads run the same kernel on the same memory, so
 * the result does not depend on how many threads ran or which ran a block (see
 * ../kernels/threads.ts).
 */
import { BLOCK_ROWS, type KernelCall } from '../kernels/threads.js';

/**
 * Byte offsets of a run's arrays in kernel memory.
 * `stats` has 2k + 3 values: half the distance from each centre to the
 * nearest other centre (k), the distance each centre last moved (k), then the
 * largest move, the index of its centre and the second-largest move.
 */
export interface LloydLayout {
  points: number;
  /** Row weights; 0 means 1 for every row. */
  weights: number;
  n: number;
  d: number;
  k: number;
  centers: number;
  stats: number;
  clusters: number;
  /** Lower bound on the distance from each row to every other centre (n values). */
  lower: number;
  /** Per block and cluster: weighted sums, or their changes in a changes-only pass (numBlocks × k × d). */
  blockSums: number;
  /** Per block and cluster: total weight, or its change (numBlocks × k). */
  blockWeights: number;
  /** Per block: rows whose distances to every centre were computed in the last pass (numBlocks i32). */
  blockExhaustive: number;
  /** Screen layout of the centres, refreshed before every pass, or 0 when k is too small to screen. */
  screen: number;
  /** Per block: Σ weight · squared distance of its rows to the centres the last pass assigned (numBlocks f64). */
  blockCosts: number;
  /** Rows that failed their bounds in the last pass, listed within each block's range of rows (n i32). */
  failing: number;
}

/**
 * Returns the kernel calls of an assignment pass, one per block.
 * With `exhaustive`, every distance is computed. With `changesOnly`, the block sums and weights are the changes since the last pass.
 */
export function passCalls(layout: LloydLayout, exhaustive: boolean, changesOnly: boolean): KernelCall[] {
  const { points, weights, n, d, k, centers, stats, clusters, lower, blockSums, blockWeights, blockExhaustive, screen, blockCosts, failing } = layout;
  const calls: KernelCall[] = [];
  for (let block = 0; block * BLOCK_ROWS < n; block++) {
    const start = block * BLOCK_ROWS;
    const end = Math.min(n, start + BLOCK_ROWS);
    const args = [points, weights, start, end, d, centers, k, stats, clusters, lower, exhaustive ? 1 : 0, blockSums + block * k * d * 8, blockWeights + block * k * 8, blockExhaustive + block * 4, changesOnly ? 1 : 0, screen, blockCosts + block * 8, failing];
    calls.push({ name: 'lloydPass', args });
  }
  return calls;
}
