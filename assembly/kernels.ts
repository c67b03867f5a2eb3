/**
 * The numeric kernels of KMeans and the silhouette, in AssemblyScript (a
 * TypeScript dialect compiled to WebAssembly with 128-bit SIMD). The
 * TypeScript side (src/ml/kernels/) owns the memory and passes byte offsets
 * into it. Nothing here allocates.
 *
 * Every squared distance adds the coordinates pairwise in two SIMD lanes and
 * then the odd last one, in the order of `squaredDistance`, so the same pair
 * of rows gives the same bits in every kernel.
 *
 * Layouts: rows are row-major f64 (`d` values each), weights f64 (offset 0
 * means a weight of 1 for every row), clusters i32.
 */

/** Squared Euclidean distance between the `d` values at `x` and at `y`. */
@inline
function squaredDistance(x: usize, y: usize, d: i32): f64 {
  let sums = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const offset = (<usize>j) << 3;
    const diff = f64x2.sub(v128.load(x + offset), v128.load(y + offset));
    sums = f64x2.add(sums, f64x2.mul(diff, diff));
  }
  let total = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
  if (j < d) {
    const diff = load<f64>(x + ((<usize>j) << 3)) - load<f64>(y + ((<usize>j) << 3));
    total += diff * diff;
  }
  return total;
}

/** Dot product of the `d` values at `x` and at `y`, summed in the same order as {@link squaredDistance}. */
@inline
function dot(x: usize, y: usize, d: i32): f64 {
  let sums = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const offset = (<usize>j) << 3;
    sums = f64x2.add(sums, f64x2.mul(v128.load(x + offset), v128.load(y + offset)));
  }
  let total = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
  if (j < d) total += load<f64>(x + ((<usize>j) << 3)) * load<f64>(y + ((<usize>j) << 3));
  return total;
}

/** Squared distance to the nearest centre, set by {@link nearestTwo}. */
let nearestDistance: f64 = 0;
/** Squared distance to the second-nearest centre (∞ when k = 1), set by {@link nearestTwo}. */
let secondDistance: f64 = 0;

/**
 * Returns the index of the centre nearest to the row at `x` (the lowest
 * index on ties) among the `k` centres at `centers`, and sets
 * {@link nearestDistance} and {@link secondDistance}. Four centres share each
 * load of the row, which keeps four independent sums in flight; each sum
 * still follows {@link squaredDistance}'s order.
 */
function nearestTwo(x: usize, centers: usize, k: i32, d: i32): i32 {
  const stride = (<usize>d) << 3;
  let best = Infinity;
  let second = Infinity;
  let bestIndex = 0;
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const c0 = centers + <usize>c * stride;
    const c1 = c0 + stride;
    const c2 = c1 + stride;
    const c3 = c2 + stride;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= d; j += 2) {
      const offset = (<usize>j) << 3;
      const row = v128.load(x + offset);
      let diff = f64x2.sub(row, v128.load(c0 + offset));
      s0 = f64x2.add(s0, f64x2.mul(diff, diff));
      diff = f64x2.sub(row, v128.load(c1 + offset));
      s1 = f64x2.add(s1, f64x2.mul(diff, diff));
      diff = f64x2.sub(row, v128.load(c2 + offset));
      s2 = f64x2.add(s2, f64x2.mul(diff, diff));
      diff = f64x2.sub(row, v128.load(c3 + offset));
      s3 = f64x2.add(s3, f64x2.mul(diff, diff));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    if (j < d) {
      const offset = (<usize>j) << 3;
      const value = load<f64>(x + offset);
      let diff = value - load<f64>(c0 + offset);
      t0 += diff * diff;
      diff = value - load<f64>(c1 + offset);
      t1 += diff * diff;
      diff = value - load<f64>(c2 + offset);
      t2 += diff * diff;
      diff = value - load<f64>(c3 + offset);
      t3 += diff * diff;
    }
    if (t0 < best) {
      second = best;
      best = t0;
      bestIndex = c;
    } else if (t0 < second) second = t0;
    if (t1 < best) {
      second = best;
      best = t1;
      bestIndex = c + 1;
    } else if (t1 < second) second = t1;
    if (t2 < best) {
      second = best;
      best = t2;
      bestIndex = c + 2;
    } else if (t2 < second) second = t2;
    if (t3 < best) {
      second = best;
      best = t3;
      bestIndex = c + 3;
    } else if (t3 < second) second = t3;
  }
  for (; c < k; c++) {
    const t = squaredDistance(x, centers + <usize>c * stride, d);
    if (t < best) {
      second = best;
      best = t;
      bestIndex = c;
    } else if (t < second) second = t;
  }
  nearestDistance = best;
  secondDistance = second;
  return bestIndex;
}

/** Bytes before the centre pairs in a screen layout: the largest centre norm, padded to 16 bytes. */
const SCREEN_HEADER: usize = 16;
/** Unit roundoff of f64, 2^-53. */
const ROUNDING: f64 = 1.1102230246251565e-16;

/** Returns the bytes of the screen layout of `k` centres of `d` values. */
export function screenBytes(k: i32, d: i32): i32 {
  const pairs = (k + 1) >> 1;
  return <i32>SCREEN_HEADER + pairs * d * 16 + pairs * 16;
}

/**
 * Writes the screen layout of the `k` centres at `centers` to `screen`: the
 * largest centre norm, then for each pair p of centres d lane pairs
 * (c[2p][j], c[2p+1][j]), then each pair's squared norms. An odd k gets a last
 * centre of zeros with an infinite norm, which is never nearest.
 */
export function prepareScreen(centers: usize, k: i32, d: i32, screen: usize): void {
  const stride = (<usize>d) << 3;
  const pairs = (k + 1) >> 1;
  const values = screen + SCREEN_HEADER;
  const norms = values + <usize>pairs * <usize>d * 16;
  let largest: f64 = 0;
  for (let c = 0; c < pairs * 2; c++) {
    const lane = (<usize>(c & 1)) << 3;
    const pairAt = values + <usize>(c >> 1) * <usize>d * 16;
    let norm: f64 = 0;
    for (let j = 0; j < d; j++) {
      const value = c < k ? load<f64>(centers + <usize>c * stride + ((<usize>j) << 3)) : 0;
      store<f64>(pairAt + ((<usize>j) << 4) + lane, value);
      norm += value * value;
    }
    store<f64>(norms + ((<usize>(c >> 1)) << 4) + lane, c < k ? norm : Infinity);
    if (c < k) largest = max(largest, Math.sqrt(norm));
  }
  store<f64>(screen, largest);
}

/** Returns the nearest centre by {@link nearestScreened} when `screen` is not 0, else by {@link nearestTwo}. */
function nearestOf(x: usize, centers: usize, k: i32, d: i32, screen: usize): i32 {
  return screen != 0 ? nearestScreened(x, centers, k, d, screen) : nearestTwo(x, centers, k, d);
}

/**
 * Returns the index of the centre nearest to the row at `x` like
 * {@link nearestTwo}, but screens the centres with the dot-product form
 * ‖x‖² + ‖c‖² − 2·x·c, two centres per lane pair, which needs no horizontal
 * sums. When the best two screened values are closer than their rounding
 * bound, it falls back to {@link nearestTwo}. Sets {@link nearestDistance} to
 * the exact distance, and {@link secondDistance} to a lower bound on the
 * second-nearest distance.
 *
 * `screen` is the layout {@link prepareScreen} wrote for these centres.
 */
function nearestScreened(x: usize, centers: usize, k: i32, d: i32, screen: usize): i32 {
  const largestNorm = load<f64>(screen);
  const pairs = (k + 1) >> 1;
  const pairStride = (<usize>d) << 4;
  screen += SCREEN_HEADER;
  const norms = screen + <usize>pairs * pairStride;

  // Each lane keeps its best and second-best screened value and the index of its best centre.
  const two = f64x2.splat(2);
  let best = f64x2.splat(Infinity);
  let second = f64x2.splat(Infinity);
  let bestIndex = f64x2(0, 1);
  let index = f64x2(0, 1);
  const step = f64x2.splat(2);
  let p = 0;
  for (; p + 4 <= pairs; p += 4) {
    const c0 = screen + <usize>p * pairStride;
    const c1 = c0 + pairStride;
    const c2 = c1 + pairStride;
    const c3 = c2 + pairStride;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (let j = 0; j < d; j++) {
      const value = v128.load64_splat(x + ((<usize>j) << 3));
      const offset = (<usize>j) << 4;
      a0 = f64x2.add(a0, f64x2.mul(value, v128.load(c0 + offset)));
      a1 = f64x2.add(a1, f64x2.mul(value, v128.load(c1 + offset)));
      a2 = f64x2.add(a2, f64x2.mul(value, v128.load(c2 + offset)));
      a3 = f64x2.add(a3, f64x2.mul(value, v128.load(c3 + offset)));
    }
    const at = norms + ((<usize>p) << 4);
    const e0 = f64x2.sub(v128.load(at), f64x2.mul(two, a0));
    const e1 = f64x2.sub(v128.load(at + 16), f64x2.mul(two, a1));
    const e2 = f64x2.sub(v128.load(at + 32), f64x2.mul(two, a2));
    const e3 = f64x2.sub(v128.load(at + 48), f64x2.mul(two, a3));
    let less = f64x2.lt(e0, best);
    second = f64x2.pmin(second, f64x2.pmax(best, e0));
    best = v128.bitselect(e0, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = f64x2.add(index, step);
    less = f64x2.lt(e1, best);
    second = f64x2.pmin(second, f64x2.pmax(best, e1));
    best = v128.bitselect(e1, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = f64x2.add(index, step);
    less = f64x2.lt(e2, best);
    second = f64x2.pmin(second, f64x2.pmax(best, e2));
    best = v128.bitselect(e2, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = f64x2.add(index, step);
    less = f64x2.lt(e3, best);
    second = f64x2.pmin(second, f64x2.pmax(best, e3));
    best = v128.bitselect(e3, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = f64x2.add(index, step);
  }
  // Unrolled by four, then two, then one pair: one loop for the remainder was about 5% slower at k = 20.
  for (; p + 2 <= pairs; p += 2) {
    const c0 = screen + <usize>p * pairStride;
    const c1 = c0 + pairStride;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    for (let j = 0; j < d; j++) {
      const value = v128.load64_splat(x + ((<usize>j) << 3));
      const offset = (<usize>j) << 4;
      a0 = f64x2.add(a0, f64x2.mul(value, v128.load(c0 + offset)));
      a1 = f64x2.add(a1, f64x2.mul(value, v128.load(c1 + offset)));
    }
    const e0 = f64x2.sub(v128.load(norms + ((<usize>p) << 4)), f64x2.mul(two, a0));
    const e1 = f64x2.sub(v128.load(norms + ((<usize>(p + 1)) << 4)), f64x2.mul(two, a1));
    let less = f64x2.lt(e0, best);
    second = f64x2.pmin(second, f64x2.pmax(best, e0));
    best = v128.bitselect(e0, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = f64x2.add(index, step);
    less = f64x2.lt(e1, best);
    second = f64x2.pmin(second, f64x2.pmax(best, e1));
    best = v128.bitselect(e1, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = f64x2.add(index, step);
  }
  if (p < pairs) {
    const c0 = screen + <usize>p * pairStride;
    let a0 = f64x2.splat(0);
    for (let j = 0; j < d; j++) {
      const value = v128.load64_splat(x + ((<usize>j) << 3));
      a0 = f64x2.add(a0, f64x2.mul(value, v128.load(c0 + ((<usize>j) << 4))));
    }
    const e0 = f64x2.sub(v128.load(norms + ((<usize>p) << 4)), f64x2.mul(two, a0));
    const less = f64x2.lt(e0, best);
    second = f64x2.pmin(second, f64x2.pmax(best, e0));
    best = v128.bitselect(e0, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
  }

  // The two lanes' best values, then the runner-up over both lanes.
  const b0 = f64x2.extract_lane(best, 0);
  const b1 = f64x2.extract_lane(best, 1);
  const lowest = min(b0, b1);
  const runnerUp = min(max(b0, b1), min(f64x2.extract_lane(second, 0), f64x2.extract_lane(second, 1)));

  // The row's squared norm sets the rounding bound and turns screened values into distances.
  let lanes = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const values = v128.load(x + ((<usize>j) << 3));
    lanes = f64x2.add(lanes, f64x2.mul(values, values));
  }
  let rowNorm = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  if (j < d) {
    const value = load<f64>(x + ((<usize>j) << 3));
    rowNorm += value * value;
  }

  // Both forms round by at most `error`, so a gap above twice that leaves a single candidate.
  const scale = Math.sqrt(rowNorm) + largestNorm;
  const error = <f64>(4 * (d + 4)) * ROUNDING * scale * scale;
  if (!(runnerUp - lowest > 2 * error)) return nearestTwo(x, centers, k, d);
  const nearest = <i32>(b0 <= b1 ? f64x2.extract_lane(bestIndex, 0) : f64x2.extract_lane(bestIndex, 1));
  nearestDistance = squaredDistance(x, centers + <usize>nearest * ((<usize>d) << 3), d);
  secondDistance = max(0, runnerUp + rowNorm - error);
  return nearest;
}

/** Adds weight × the `d` values at `row` to the `d` sums at `sum`, two lanes at a time. */
@inline
function addScaled(sum: usize, row: usize, weight: f64, weighted: bool, d: i32): void {
  const weights = f64x2.splat(weight);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const offset = (<usize>j) << 3;
    const values = weighted ? f64x2.mul(weights, v128.load(row + offset)) : v128.load(row + offset);
    v128.store(sum + offset, f64x2.add(v128.load(sum + offset), values));
  }
  if (j < d) {
    const offset = (<usize>j) << 3;
    const value = weighted ? weight * load<f64>(row + offset) : load<f64>(row + offset);
    store<f64>(sum + offset, load<f64>(sum + offset) + value);
  }
}

/**
 * Nearest centre of rows [start, end): writes the centre's index to
 * `clusters` and, when `distances` is not 0, the squared distance to it.
 * Returns the sum of those squared distances. `screen` is 0 or the
 * centres' {@link prepareScreen} layout, with the same result.
 */
export function nearestCenters(points: usize, start: i32, end: i32, d: i32, centers: usize, k: i32, clusters: usize, distances: usize, screen: usize): f64 {
  const stride = (<usize>d) << 3;
  let total: f64 = 0;
  for (let i = start; i < end; i++) {
    store<i32>(clusters + ((<usize>i) << 2), nearestOf(points + <usize>i * stride, centers, k, d, screen));
    if (distances != 0) store<f64>(distances + ((<usize>i) << 3), nearestDistance);
    total += nearestDistance;
  }
  return total;
}

/**
 * Lowers the cost of rows [start, end) to their squared distance to the
 * nearest of `k` new centres when that is smaller, and returns the sum of the
 * costs. This is the cost pass of k-means|| initialisation. When `owners` is
 * not 0, a row whose cost is lowered gets `ownerBase` plus the index of that
 * centre there, so earlier centres win ties.
 */
export function lowerCosts(points: usize, start: i32, end: i32, d: i32, centers: usize, k: i32, costs: usize, owners: usize, ownerBase: i32, screen: usize): f64 {
  const stride = (<usize>d) << 3;
  let total: f64 = 0;
  for (let i = start; i < end; i++) {
    const target = costs + ((<usize>i) << 3);
    let cost = load<f64>(target);
    if (k > 0) {
      const nearest = nearestOf(points + <usize>i * stride, centers, k, d, screen);
      if (nearestDistance < cost) {
        cost = nearestDistance;
        if (owners != 0) store<i32>(owners + ((<usize>i) << 2), ownerBase + nearest);
      }
    }
    store<f64>(target, cost);
    total += cost;
  }
  return total;
}

/**
 * Σ weight · squared distance from each row of [start, end) to the centre of
 * its cluster: the training cost.
 */
export function assignedCost(points: usize, weights: usize, start: i32, end: i32, d: i32, centers: usize, clusters: usize): f64 {
  const stride = (<usize>d) << 3;
  let total: f64 = 0;
  for (let i = start; i < end; i++) {
    const c = load<i32>(clusters + ((<usize>i) << 2));
    const distance = squaredDistance(points + <usize>i * stride, centers + <usize>c * stride, d);
    total += weights == 0 ? distance : load<f64>(weights + ((<usize>i) << 3)) * distance;
  }
  return total;
}

/**
 * Offsets in the move summary of the centre statistics (f64 values). The
 * statistics start with half the distance from each centre to its nearest
 * other centre (k values) and the distance each centre moved in the last
 * update (k values). The move summary follows: the largest move, the index
 * of its centre and the second-largest move.
 */
const LARGEST_MOVE = 0;
const LARGEST_MOVE_CENTER = 1;
const SECOND_LARGEST_MOVE = 2;

/**
 * Safety margin on bound comparisons: a row is skipped only when its bound
 * clears the test by more than rounding in the bounds can explain.
 */
const KEEP: f64 = 1 - 1e-10;

/**
 * Runs one pass of Lloyd's assignment step over rows [start, end) with Hamerly's
 * bounds (G. Hamerly, "Making k-means even faster", SDM 2010). Each row keeps
 * an upper bound on the distance to its centre and one lower bound on the
 * distance to every other centre. A row is skipped when its upper bound is
 * below the larger of its lower bound and half the distance from its centre
 * to the nearest other one. Otherwise its centre's distance is computed
 * exactly, and if the test still fails, all k distances are. Bounds first absorb
 * the last centre moves, so the pass needs no separate update sweep.
 *
 * `firstPass` = 1 computes every distance, skipping the bounds. Writes the
 * number of rows whose distances were all computed to `exhaustiveCount`. Each row is then
 * added to its cluster's weighted sum in `sums` (k × d) and its weight to
 * `clusterWeights` (k), in row order.
 *
 * With `changesOnly` = 1, `sums` and `clusterWeights` get only the changes
 * instead: a row that moved from cluster a to b is subtracted from a and
 * added to b, and a row that stayed is not read again. The caller adds them to
 * the totals of the previous pass.
 */
export function lloydPass(
  points: usize,
  weights: usize,
  start: i32,
  end: i32,
  d: i32,
  centers: usize,
  k: i32,
  stats: usize,
  clusters: usize,
  upper: usize,
  lower: usize,
  firstPass: i32,
  sums: usize,
  clusterWeights: usize,
  exhaustiveCount: usize,
  changesOnly: i32,
  screen: usize,
): void {
  const stride = (<usize>d) << 3;
  let exhaustiveRows = 0;
  const moves = stats + ((<usize>k) << 3);
  const moveSummary = stats + ((<usize>(2 * k)) << 3);
  const largest = load<f64>(moveSummary + (LARGEST_MOVE << 3));
  const largestIndex = <i32>load<f64>(moveSummary + (LARGEST_MOVE_CENTER << 3));
  const secondLargest = load<f64>(moveSummary + (SECOND_LARGEST_MOVE << 3));

  memory.fill(sums, 0, (<usize>k * <usize>d) << 3);
  memory.fill(clusterWeights, 0, (<usize>k) << 3);
  const weighted = weights != 0;
  for (let i = start; i < end; i++) {
    const row = points + <usize>i * stride;
    const clusterAt = clusters + ((<usize>i) << 2);
    const upperAt = upper + ((<usize>i) << 3);
    const lowerAt = lower + ((<usize>i) << 3);
    const previousCluster = load<i32>(clusterAt);
    let cluster = previousCluster;
    let upperBound: f64 = Infinity;
    let lowerBound: f64 = 0;
    let exhaustive = firstPass != 0;

    if (!exhaustive) {
      upperBound = load<f64>(upperAt) + load<f64>(moves + ((<usize>cluster) << 3));
      lowerBound = load<f64>(lowerAt) - (cluster == largestIndex ? secondLargest : largest);
      const limit = max(load<f64>(stats + ((<usize>cluster) << 3)), lowerBound) * KEEP;
      if (upperBound >= limit) {
        upperBound = Math.sqrt(squaredDistance(row, centers + <usize>cluster * stride, d));
        exhaustive = upperBound >= limit;
      }
    }
    if (exhaustive) {
      // Every distance: the nearest centre (lowest index on ties) and the second-nearest distance,
      // or a lower bound on it when the centres are screened.
      exhaustiveRows++;
      cluster = nearestOf(row, centers, k, d, screen);
      store<i32>(clusterAt, cluster);
      upperBound = Math.sqrt(nearestDistance);
      lowerBound = Math.sqrt(secondDistance);
    }
    store<f64>(upperAt, upperBound);
    store<f64>(lowerAt, lowerBound);

    // The row's share of its cluster's sum, in row order.
    const weight = weighted ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
    if (changesOnly != 0) {
      if (cluster == previousCluster) continue;
      addScaled(sums + <usize>previousCluster * stride, row, -weight, true, d);
      const previousAt = clusterWeights + ((<usize>previousCluster) << 3);
      store<f64>(previousAt, load<f64>(previousAt) - weight);
    }
    addScaled(sums + <usize>cluster * stride, row, weight, weighted, d);
    const weightAt = clusterWeights + ((<usize>cluster) << 3);
    store<f64>(weightAt, load<f64>(weightAt) + weight);
  }
  store<i32>(exhaustiveCount, exhaustiveRows);
}

/**
 * Per-cluster statistics of Spark's silhouette over rows [start, end), added
 * to what the arrays hold: total weight N (m), weighted vector sum Y (m × d)
 * and Ψ = Σ w·‖x‖² (m). Also writes each row's squared norm to `norms`.
 */
export function silhouetteStats(
  points: usize,
  weights: usize,
  start: i32,
  end: i32,
  d: i32,
  clusters: usize,
  clusterWeights: usize,
  vectorSums: usize,
  normSums: usize,
  norms: usize,
): void {
  const stride = (<usize>d) << 3;
  const weighted = weights != 0;
  for (let i = start; i < end; i++) {
    const cluster = load<i32>(clusters + ((<usize>i) << 2));
    const weight = weighted ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
    const row = points + <usize>i * stride;
    addScaled(vectorSums + <usize>cluster * stride, row, weight, weighted, d);
    const squares = dot(row, row, d);
    store<f64>(norms + ((<usize>i) << 3), squares);
    const normAt = normSums + ((<usize>cluster) << 3);
    store<f64>(normAt, load<f64>(normAt) + weight * squares);
    const weightAt = clusterWeights + ((<usize>cluster) << 3);
    store<f64>(weightAt, load<f64>(weightAt) + weight);
  }
}

/**
 * Writes the dot products of the row at `x` with the `m` rows at `rows` into
 * `out`, four rows per load of `x`; each follows {@link dot}'s order.
 */
function dotsWithRows(x: usize, rows: usize, m: i32, d: i32, out: usize): void {
  const stride = (<usize>d) << 3;
  let c = 0;
  for (; c + 4 <= m; c += 4) {
    const r0 = rows + <usize>c * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= d; j += 2) {
      const offset = (<usize>j) << 3;
      const row = v128.load(x + offset);
      s0 = f64x2.add(s0, f64x2.mul(row, v128.load(r0 + offset)));
      s1 = f64x2.add(s1, f64x2.mul(row, v128.load(r1 + offset)));
      s2 = f64x2.add(s2, f64x2.mul(row, v128.load(r2 + offset)));
      s3 = f64x2.add(s3, f64x2.mul(row, v128.load(r3 + offset)));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    if (j < d) {
      const offset = (<usize>j) << 3;
      const value = load<f64>(x + offset);
      t0 += value * load<f64>(r0 + offset);
      t1 += value * load<f64>(r1 + offset);
      t2 += value * load<f64>(r2 + offset);
      t3 += value * load<f64>(r3 + offset);
    }
    const target = out + ((<usize>c) << 3);
    store<f64>(target, t0);
    store<f64>(target, t1, 8);
    store<f64>(target, t2, 16);
    store<f64>(target, t3, 24);
  }
  for (; c < m; c++) store<f64>(out + ((<usize>c) << 3), dot(x, rows + <usize>c * stride, d));
}

/**
 * Spark's silhouette of rows [start, end) from the statistics of
 * {@link silhouetteStats}. The mean distance from x to cluster c is
 * `‖x‖² + Ψ_c/N_c − 2·(x·Y_c)/N_c` (squared Euclidean, `cosine` = 0) or
 * `1 − (x·Y_c)/N_c` (cosine, rows already normalised); the own cluster's is
 * scaled by N/(N − w) because x lies at distance 0 from itself. A row alone
 * in its cluster scores 0. Writes each row's silhouette to `out`. `scratch`
 * has room for m values.
 */
export function silhouettes(
  points: usize,
  weights: usize,
  start: i32,
  end: i32,
  d: i32,
  clusters: usize,
  m: i32,
  clusterWeights: usize,
  vectorSums: usize,
  normSums: usize,
  norms: usize,
  cosine: i32,
  out: usize,
  scratch: usize,
): void {
  const stride = (<usize>d) << 3;
  for (let i = start; i < end; i++) {
    const own = load<i32>(clusters + ((<usize>i) << 2));
    const weight = weights == 0 ? 1.0 : load<f64>(weights + ((<usize>i) << 3));
    const ownWeight = load<f64>(clusterWeights + ((<usize>own) << 3));
    const outAt = out + ((<usize>i) << 3);
    if (ownWeight == weight) {
      store<f64>(outAt, 0);
      continue;
    }
    const norm = load<f64>(norms + ((<usize>i) << 3));
    dotsWithRows(points + <usize>i * stride, vectorSums, m, d, scratch);
    let a: f64 = 0;
    let b = Infinity;
    for (let c = 0; c < m; c++) {
      const total = load<f64>(clusterWeights + ((<usize>c) << 3));
      const product = load<f64>(scratch + ((<usize>c) << 3));
      const mean = cosine != 0 ? 1 - product / total : norm + load<f64>(normSums + ((<usize>c) << 3)) / total - (2 * product) / total;
      if (c == own) a = (mean * total) / (total - weight);
      else if (mean < b) b = mean;
    }
    let value: f64 = 0;
    if (a < b) value = 1 - a / b;
    else if (a > b) value = b / a - 1;
    store<f64>(outAt, value);
  }
}

/**
 * Sums of Euclidean distances for the exact silhouette: for every pair of
 * rows i < j among the `n` rows, adds their distance to `sums[i][cluster of j]`
 * and `sums[j][cluster of i]` (`sums` is n × m, zeroed by the caller). Each
 * pair is computed once, in the order i, then j.
 */
export function pairDistanceSums(points: usize, n: i32, d: i32, clusters: usize, m: i32, sums: usize): void {
  const stride = (<usize>d) << 3;
  const rowSums = (<usize>m) << 3;
  for (let i = 0; i < n; i++) {
    const row = points + <usize>i * stride;
    const clusterOfI = <usize>load<i32>(clusters + ((<usize>i) << 2));
    const sumsOfI = sums + <usize>i * rowSums;
    for (let j = i + 1; j < n; j++) {
      const distance = Math.sqrt(squaredDistance(row, points + <usize>j * stride, d));
      const clusterOfJ = <usize>load<i32>(clusters + ((<usize>j) << 2));
      const toJ = sumsOfI + (clusterOfJ << 3);
      store<f64>(toJ, load<f64>(toJ) + distance);
      const toI = sums + <usize>j * rowSums + (clusterOfI << 3);
      store<f64>(toI, load<f64>(toI) + distance);
    }
  }
}
