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

/** Bytes before the centre quads in a screen layout: the largest centre norm, padded to 16 bytes. */
const SCREEN_HEADER: usize = 16;
/** Unit roundoff of f32, 2^-24: the screen computes in single precision. */
const SCREEN_ROUNDING: f64 = 5.960464477539063e-8;
/**
 * Squared scales (see {@link nearestScreened}) outside which the screen is
 * not used: single precision would overflow above, and lose its relative
 * accuracy to subnormal numbers below.
 */
const SCREEN_LARGEST_SCALE: f64 = 1e30;
const SCREEN_SMALLEST_SCALE: f64 = 1e-30;

/** Returns the bytes of the screen layout of `k` centres of `d` values. */
export function screenBytes(k: i32, d: i32): i32 {
  const quads = (k + 3) >> 2;
  return <i32>SCREEN_HEADER + quads * d * 16 + quads * 16;
}

/**
 * Writes the screen layout of the `k` centres at `centers` to `screen`, in
 * single precision. It starts with an upper bound on the largest centre norm
 * (f64). Then come d lane quads (−2·c[4q][j], …, −2·c[4q+3][j]) for each quad
 * q of centres, and each quad's squared norms. Missing centres of the last
 * quad are zeros with an infinite norm, which are never nearest.
 */
export function prepareScreen(centers: usize, k: i32, d: i32, screen: usize): void {
  const stride = (<usize>d) << 3;
  const quads = (k + 3) >> 2;
  const quadStride = (<usize>d) << 4;
  const values = screen + SCREEN_HEADER;
  const norms = values + <usize>quads * quadStride;
  let largest: f64 = 0;
  for (let c = 0; c < quads * 4; c++) {
    const lane = (<usize>(c & 3)) << 2;
    const quadAt = values + <usize>(c >> 2) * quadStride;
    let norm: f64 = 0;
    for (let j = 0; j < d; j++) {
      const value = c < k ? <f32>load<f64>(centers + <usize>c * stride + ((<usize>j) << 3)) : 0;
      store<f32>(quadAt + ((<usize>j) << 4) + lane, value * -2);
      norm += <f64>value * <f64>value;
    }
    store<f32>(norms + ((<usize>(c >> 2)) << 4) + lane, c < k ? <f32>norm : Infinity);
    if (c < k) largest = max(largest, Math.sqrt(norm));
  }
  // The norms above are of the rounded centres, and the margin covers the exact ones.
  store<f64>(screen, largest * (1 + 1e-6));
}

/** Returns the nearest centre by {@link nearestScreened} when `screen` is not 0, else by {@link nearestTwo}. */
function nearestOf(x: usize, centers: usize, k: i32, d: i32, screen: usize): i32 {
  return screen != 0 ? nearestScreened(x, centers, k, d, screen) : nearestTwo(x, centers, k, d);
}

/**
 * Returns the index of the centre nearest to the row at `x` like
 * {@link nearestTwo}, but screens the centres first with the dot-product
 * form ‖c‖² − 2·x·c in single precision, four centres per vector, which needs
 * no horizontal sums. Only the winner's distance is then computed exactly.
 * When the best two screened values are closer than their rounding bound, or
 * the row lies outside single precision's range, it falls back to
 * {@link nearestTwo}, so the result is always the exact one. Sets
 * {@link nearestDistance} to the exact distance, and {@link secondDistance}
 * to a lower bound on the second-nearest distance.
 *
 * The reductions over lanes stay in vectors. With scalar f64.min and f64.max
 * in their place, the reductions cost more than the screening itself
 * (measured at k = 20 with 9 features: 70 ns per row against 43 ns).
 * Their compiled code branches on the data, an estimate of the cause.
 *
 * `screen` is the layout {@link prepareScreen} wrote for these centres.
 */
function nearestScreened(x: usize, centers: usize, k: i32, d: i32, screen: usize): i32 {
  const largestNorm = load<f64>(screen);
  const quads = (k + 3) >> 2;
  const quadStride = (<usize>d) << 4;
  const values = screen + SCREEN_HEADER;
  const norms = values + <usize>quads * quadStride;

  let best = f32x4.splat(Infinity);
  let second = f32x4.splat(Infinity);
  let bestIndex = i32x4(0, 1, 2, 3);
  let index = i32x4(0, 1, 2, 3);
  const step = i32x4.splat(4);
  let q = 0;
  // Four quads share each conversion of a row value, and the sums start from the norms. A last single
  // quad joins the block before it, because a loop of its own cost about half a block (8% of the
  // screen at k = 20).
  for (; q + 4 <= quads && q + 5 != quads; q += 4) {
    const c0 = values + <usize>q * quadStride;
    const c1 = c0 + quadStride;
    const c2 = c1 + quadStride;
    const c3 = c2 + quadStride;
    const at = norms + ((<usize>q) << 4);
    let a0 = v128.load(at);
    let a1 = v128.load(at + 16);
    let a2 = v128.load(at + 32);
    let a3 = v128.load(at + 48);
    for (let j = 0; j < d; j++) {
      const value = f32x4.splat(<f32>load<f64>(x + ((<usize>j) << 3)));
      const offset = (<usize>j) << 4;
      a0 = f32x4.add(a0, f32x4.mul(value, v128.load(c0 + offset)));
      a1 = f32x4.add(a1, f32x4.mul(value, v128.load(c1 + offset)));
      a2 = f32x4.add(a2, f32x4.mul(value, v128.load(c2 + offset)));
      a3 = f32x4.add(a3, f32x4.mul(value, v128.load(c3 + offset)));
    }
    // Per lane: the lowest screened value, its centre, and the second-lowest value. These lines are
    // written out for each sum: a shared helper would keep its state in globals, which measured 12%
    // slower at k = 20.
    let less = f32x4.lt(a0, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a0));
    best = v128.bitselect(a0, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    less = f32x4.lt(a1, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a1));
    best = v128.bitselect(a1, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    less = f32x4.lt(a2, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a2));
    best = v128.bitselect(a2, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    less = f32x4.lt(a3, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a3));
    best = v128.bitselect(a3, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
  }
  if (q + 5 == quads) {
    const c0 = values + <usize>q * quadStride;
    const c1 = c0 + quadStride;
    const c2 = c1 + quadStride;
    const c3 = c2 + quadStride;
    const c4 = c3 + quadStride;
    const at = norms + ((<usize>q) << 4);
    let a0 = v128.load(at);
    let a1 = v128.load(at + 16);
    let a2 = v128.load(at + 32);
    let a3 = v128.load(at + 48);
    let a4 = v128.load(at + 64);
    for (let j = 0; j < d; j++) {
      const value = f32x4.splat(<f32>load<f64>(x + ((<usize>j) << 3)));
      const offset = (<usize>j) << 4;
      a0 = f32x4.add(a0, f32x4.mul(value, v128.load(c0 + offset)));
      a1 = f32x4.add(a1, f32x4.mul(value, v128.load(c1 + offset)));
      a2 = f32x4.add(a2, f32x4.mul(value, v128.load(c2 + offset)));
      a3 = f32x4.add(a3, f32x4.mul(value, v128.load(c3 + offset)));
      a4 = f32x4.add(a4, f32x4.mul(value, v128.load(c4 + offset)));
    }
    let less = f32x4.lt(a0, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a0));
    best = v128.bitselect(a0, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    less = f32x4.lt(a1, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a1));
    best = v128.bitselect(a1, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    less = f32x4.lt(a2, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a2));
    best = v128.bitselect(a2, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    less = f32x4.lt(a3, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a3));
    best = v128.bitselect(a3, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    less = f32x4.lt(a4, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a4));
    best = v128.bitselect(a4, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
    q += 5;
  }
  for (; q < quads; q++) {
    const c0 = values + <usize>q * quadStride;
    let a0 = v128.load(norms + ((<usize>q) << 4));
    for (let j = 0; j < d; j++) {
      const value = f32x4.splat(<f32>load<f64>(x + ((<usize>j) << 3)));
      a0 = f32x4.add(a0, f32x4.mul(value, v128.load(c0 + ((<usize>j) << 4))));
    }
    const less = f32x4.lt(a0, best);
    second = f32x4.pmin(second, f32x4.pmax(best, a0));
    best = v128.bitselect(a0, best, less);
    bestIndex = v128.bitselect(index, bestIndex, less);
    index = i32x4.add(index, step);
  }

  // The lowest value in every lane, the lanes holding it, and the lowest of everything else.
  let lowest = f32x4.pmin(best, v128.shuffle<f32>(best, best, 2, 3, 0, 1));
  lowest = f32x4.pmin(lowest, v128.shuffle<f32>(lowest, lowest, 1, 0, 3, 2));
  const isLowest = f32x4.eq(best, lowest);
  let runnerUp = f32x4.pmin(second, v128.bitselect(f32x4.splat(Infinity), best, isLowest));
  runnerUp = f32x4.pmin(runnerUp, v128.shuffle<f32>(runnerUp, runnerUp, 2, 3, 0, 1));
  runnerUp = f32x4.pmin(runnerUp, v128.shuffle<f32>(runnerUp, runnerUp, 1, 0, 3, 2));
  const gap = <f64>f32x4.extract_lane(runnerUp, 0) - <f64>f32x4.extract_lane(lowest, 0);

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

  // Rounding of the row, the centres, the products and the sums keeps each screened value within
  // (d + 4)·u·scale² of its exact value, and `error` allows four times that. A gap above twice the
  // error leaves a single candidate. Two lanes holding the same lowest value are a tie.
  const scale = Math.sqrt(rowNorm) + largestNorm;
  const squaredScale = scale * scale;
  const error = <f64>(4 * (d + 4)) * SCREEN_ROUNDING * squaredScale;
  const inRange = squaredScale < SCREEN_LARGEST_SCALE && squaredScale > SCREEN_SMALLEST_SCALE;
  if (!(gap > 2 * error) || !inRange || popcnt(i32x4.bitmask(isLowest)) != 1) return nearestTwo(x, centers, k, d);

  let nearest = v128.bitselect(bestIndex, i32x4.splat(i32.MAX_VALUE), isLowest);
  nearest = i32x4.min_s(nearest, v128.shuffle<i32>(nearest, nearest, 2, 3, 0, 1));
  nearest = i32x4.min_s(nearest, v128.shuffle<i32>(nearest, nearest, 1, 0, 3, 2));
  const winner = i32x4.extract_lane(nearest, 0);
  nearestDistance = squaredDistance(x, centers + <usize>winner * ((<usize>d) << 3), d);
  secondDistance = larger(0, <f64>f32x4.extract_lane(runnerUp, 0) + rowNorm - error);
  return winner;
}

/** Returns the larger of `a` and `b` (neither NaN) through a vector instruction, in place of f64.max (see {@link nearestScreened}). */
@inline
function larger(a: f64, b: f64): f64 {
  return f64x2.extract_lane(f64x2.pmax(f64x2.splat(a), f64x2.splat(b)), 0);
}

/** Returns the smaller of `a` and `b` through a vector instruction, in place of f64.min. When `b` is NaN, it returns `a`. */
@inline
function smaller(a: f64, b: f64): f64 {
  return f64x2.extract_lane(f64x2.pmin(f64x2.splat(a), f64x2.splat(b)), 0);
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

/** Adds weight × the row at `row` to cluster `cluster`'s sum in `sums` (k × d) and the weight to its total in `clusterWeights`. */
@inline
function addToCluster(sums: usize, clusterWeights: usize, cluster: i32, row: usize, weight: f64, weighted: bool, d: i32): void {
  addScaled(sums + <usize>cluster * ((<usize>d) << 3), row, weight, weighted, d);
  const weightAt = clusterWeights + ((<usize>cluster) << 3);
  store<f64>(weightAt, load<f64>(weightAt) + weight);
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
 * Share of (|lower bound| + move) taken off each time a move is subtracted
 * from a lower bound. When a centre moves nearly onto a row, the difference
 * is far smaller than its operands, and their rounding (up to about
 * (d + 2)·2⁻⁵³ of each) would exceed a margin relative to the difference
 * alone. 1e-12 covers that up to several thousand features.
 */
const MOVE_ALLOWANCE: f64 = 1e-12;

/**
 * Runs one pass of Lloyd's assignment step over rows [start, end) with the
 * lower bound of Hamerly's algorithm (G. Hamerly, "Making k-means even
 * faster", SDM 2010). Each row keeps one lower bound on its distance to every
 * centre but its own. The bound first absorbs the last centre moves, so the
 * pass needs no separate update sweep. The distance to the row's own centre
 * is computed exactly every pass, in place of Hamerly's upper bound: reading
 * every row in order streams through memory, while testing an upper bound
 * first reads a scattered third of the rows, each a cache miss, and costed
 * about 1.4 times as much per late pass on 1,000,000 × 9 rows with k = 20. A
 * row keeps its centre when that distance is below the larger of its lower
 * bound and half the distance from its centre to the nearest other one.
 * Otherwise all k distances are computed.
 *
 * The pass tests every row first and lists the rows that fail in their
 * block's range of `failing` (n i32), then computes all distances for the
 * listed rows. Branching on each test's outcome instead cost about 18 ns more
 * per failing row, because the outcomes follow no pattern the processor can
 * predict.
 *
 * `firstPass` = 1 computes every distance, skipping the bounds. Writes the
 * number of rows whose distances were all computed to `exhaustiveCount`, and
 * Σ weight · squared distance of the rows to the centres they were assigned
 * to `cost` (rows that passed their test first, then the others, each in row
 * order). Each row is then added to its cluster's
 * weighted sum in `sums` (k × d) and its weight to `clusterWeights` (k), in
 * row order.
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
  lower: usize,
  firstPass: i32,
  sums: usize,
  clusterWeights: usize,
  exhaustiveCount: usize,
  changesOnly: i32,
  screen: usize,
  cost: usize,
  failing: usize,
): void {
  const stride = (<usize>d) << 3;
  const moveSummary = stats + ((<usize>(2 * k)) << 3);
  const largest = load<f64>(moveSummary + (LARGEST_MOVE << 3));
  const largestIndex = <i32>load<f64>(moveSummary + (LARGEST_MOVE_CENTER << 3));
  const secondLargest = load<f64>(moveSummary + (SECOND_LARGEST_MOVE << 3));

  memory.fill(sums, 0, (<usize>k * <usize>d) << 3);
  memory.fill(clusterWeights, 0, (<usize>k) << 3);
  const weighted = weights != 0;
  let totalCost: f64 = 0;

  // The bound test of every row, without branches on its outcome: a row that fails is appended
  // to the block's range of `failing`, and one that passes adds its cost now.
  let failures = 0;
  const failingAt = failing + ((<usize>start) << 2);
  if (firstPass != 0) failures = end - start;
  else {
    for (let i = start; i < end; i++) {
      const cluster = load<i32>(clusters + ((<usize>i) << 2));
      const lowerAt = lower + ((<usize>i) << 3);
      const previousLower = load<f64>(lowerAt);
      const move = cluster == largestIndex ? secondLargest : largest;
      const lowerBound = previousLower - move - MOVE_ALLOWANCE * (Math.abs(previousLower) + move);
      const limit = larger(load<f64>(stats + ((<usize>cluster) << 3)), lowerBound) * KEEP;
      const squared = squaredDistance(points + <usize>i * stride, centers + <usize>cluster * stride, d);
      const fails = squared >= limit * limit;
      store<f64>(lowerAt, lowerBound);
      const weight = weighted ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
      totalCost += weight * squared * <f64>!fails;
      store<i32>(failingAt + ((<usize>failures) << 2), i);
      failures += <i32>fails;
    }
  }

  // Every distance for the rows that failed, in row order: the nearest centre (lowest index on
  // ties) and the second-nearest distance, or a lower bound on it when the centres are screened.
  for (let f = 0; f < failures; f++) {
    const i = firstPass != 0 ? start + f : load<i32>(failingAt + ((<usize>f) << 2));
    const row = points + <usize>i * stride;
    const clusterAt = clusters + ((<usize>i) << 2);
    const previousCluster = load<i32>(clusterAt);
    const cluster = nearestOf(row, centers, k, d, screen);
    store<i32>(clusterAt, cluster);
    store<f64>(lower + ((<usize>i) << 3), Math.sqrt(secondDistance));
    const weight = weighted ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
    totalCost += weight * nearestDistance;
    if (changesOnly != 0 && cluster != previousCluster) {
      // Only failed rows can change cluster.
      addToCluster(sums, clusterWeights, previousCluster, row, -weight, true, d);
      addToCluster(sums, clusterWeights, cluster, row, weight, weighted, d);
    }
  }

  // Without `changesOnly`, the sums of every row, in row order.
  if (changesOnly == 0) {
    for (let i = start; i < end; i++) {
      const weight = weighted ? load<f64>(weights + ((<usize>i) << 3)) : 1.0;
      addToCluster(sums, clusterWeights, load<i32>(clusters + ((<usize>i) << 2)), points + <usize>i * stride, weight, weighted, d);
    }
  }
  store<i32>(exhaustiveCount, failures);
  store<f64>(cost, totalCost);
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
 * Returns the mean distance of a row to cluster `c` of total weight `total`,
 * from the row's squared norm, its dot product with the cluster's sum in
 * `products` and Ψ_c/N_c in `meanNorms` (see {@link silhouettes}).
 */
@inline
function meanDistance(c: i32, norm: f64, total: f64, products: usize, meanNorms: usize, cosine: i32): f64 {
  const product = load<f64>(products + ((<usize>c) << 3));
  return cosine != 0 ? 1 - product / total : norm + load<f64>(meanNorms + ((<usize>c) << 3)) - (2 * product) / total;
}

/**
 * Spark's silhouette of rows [start, end) from the statistics of
 * {@link silhouetteStats}. The mean distance from x to cluster c is
 * `‖x‖² + Ψ_c/N_c − 2·(x·Y_c)/N_c` (squared Euclidean, `cosine` = 0) or
 * `1 − (x·Y_c)/N_c` (cosine, rows already normalised). The own cluster's is
 * scaled by N/(N − w) because x lies at distance 0 from itself. A row alone
 * in its cluster scores 0. Writes each row's silhouette to `out`.
 *
 * `meanNorms` contains Ψ_c/N_c per cluster (unused for cosine), and `scratch`
 * has room for m values. Two clusters share each vector step, and the
 * nearest other cluster is found without branching on the data.
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
  meanNorms: usize,
  norms: usize,
  cosine: i32,
  out: usize,
  scratch: usize,
): void {
  const stride = (<usize>d) << 3;
  const ones = f64x2.splat(1);
  const twos = f64x2.splat(2);
  const step = i64x2.splat(2);
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

    // The own cluster's mean distance, scaled for x itself.
    const a = (meanDistance(own, norm, ownWeight, scratch, meanNorms, cosine) * ownWeight) / (ownWeight - weight);

    // The lowest mean distance to another cluster, two clusters at a time, the own one set to ∞.
    const rowNorms = f64x2.splat(norm);
    const owns = i64x2.splat(<i64>own);
    let index = i64x2(0, 1);
    let lowest = f64x2.splat(Infinity);
    let c = 0;
    for (; c + 2 <= m; c += 2) {
      const offset = (<usize>c) << 3;
      const products = v128.load(scratch + offset);
      const totals = v128.load(clusterWeights + offset);
      const means =
        cosine != 0
          ? f64x2.sub(ones, f64x2.div(products, totals))
          : f64x2.sub(f64x2.add(rowNorms, v128.load(meanNorms + offset)), f64x2.div(f64x2.mul(twos, products), totals));
      lowest = f64x2.pmin(lowest, v128.bitselect(f64x2.splat(Infinity), means, i64x2.eq(index, owns)));
      index = i64x2.add(index, step);
    }
    let b = f64x2.extract_lane(f64x2.pmin(lowest, v128.shuffle<f64>(lowest, lowest, 1, 0)), 0);
    if (c < m && c != own) b = smaller(b, meanDistance(c, norm, load<f64>(clusterWeights + ((<usize>c) << 3)), scratch, meanNorms, cosine));

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
