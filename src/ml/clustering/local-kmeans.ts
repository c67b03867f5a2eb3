/**
 * Local weighted k-means++ followed by Lloyd iterations on a small set of
 * weighted candidates: the last step of k-means|| initialisation, after
 * Spark's `LocalKMeans.kMeansPlusPlus`. Unlike the main loop, an empty
 * cluster here restarts from a random candidate.
 */
import { finishCentroid, nearestCenter, squaredDistance, type DistanceMeasure } from './distance-measure.js';

/** The draws the local step needs; Spark's are those of java.util.Random (see java-random.ts). */
export interface UniformDraws {
  /** Returns a uniform double in [0, 1). */
  nextFloat(): number;
  /** Returns a uniform integer in [0, bound). */
  nextInt(bound: number): number;
}

/**
 * Picks `k` centres from `m` weighted candidates (row-major, `d` values each,
 * already prepared for the measure): weighted k-means++ seeding, then at most
 * `maxIterations` Lloyd iterations (Spark uses 30), stopping when no
 * assignment changes. Returns k × d centres.
 */
export function localKMeansPlusPlus(
  candidates: Float64Array,
  weights: Float64Array,
  d: number,
  k: number,
  maxIterations: number,
  measure: DistanceMeasure,
  random: UniformDraws,
): Float64Array {
  const m = weights.length;
  const centers = new Float64Array(k * d);

  // Seeding: the first centre by weight, each next one by weight × distance to the chosen ones.
  const first = pickWeighted(weights, random);
  centers.set(candidates.subarray(first * d, first * d + d), 0);
  const costs = new Float64Array(m);
  for (let p = 0; p < m; p++) costs[p] = squaredDistance(candidates, p, centers, 0, d);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let p = 0; p < m; p++) total += costs[p] * weights[p];
    const target = random.nextFloat() * total;
    let cumulative = 0;
    let j = 0;
    while (j < m && cumulative < target) {
      cumulative += weights[j] * costs[j];
      j += 1;
    }
    const chosen = j === 0 ? 0 : j - 1;
    centers.set(candidates.subarray(chosen * d, chosen * d + d), c * d);
    for (let p = 0; p < m; p++) costs[p] = Math.min(costs[p], squaredDistance(candidates, p, centers, c, d));
  }

  // Lloyd iterations on the weighted candidates.
  const assignment = new Int32Array(m).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let moved = true;
  for (let iteration = 0; moved && iteration < maxIterations; iteration++) {
    moved = false;
    sums.fill(0);
    counts.fill(0);
    for (let p = 0; p < m; p++) {
      const index = nearestCenter(candidates, p, centers, k, d);
      const w = weights[p];
      for (let j = 0; j < d; j++) sums[index * d + j] += w * candidates[p * d + j];
      counts[index] += w;
      if (index !== assignment[p]) {
        moved = true;
        assignment[p] = index;
      }
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        const p = random.nextInt(m);
        centers.set(candidates.subarray(p * d, p * d + d), c * d);
      } else {
        finishCentroid(sums, c * d, d, counts[c], measure);
        centers.set(sums.subarray(c * d, c * d + d), c * d);
      }
    }
  }
  return centers;
}

function pickWeighted(weights: Float64Array, random: UniformDraws): number {
  let total = 0;
  for (const w of weights) total += w;
  const target = random.nextFloat() * total;
  let cumulative = 0;
  for (let p = 0; p < weights.length; p++) {
    cumulative += weights[p];
    if (cumulative >= target) return p;
  }
  return weights.length - 1;
}
