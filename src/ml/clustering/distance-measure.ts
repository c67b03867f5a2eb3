/**
 * KMeans distance measures. Every kernel works in squared Euclidean space:
 * for `cosine`, points and centres are normalised to unit length first, and
 * on unit vectors ‖x̂ − ĉ‖² = 2 · (1 − cos), so the nearest centre, the
 * centroid (a normalised mean) and the cost all follow from Euclidean sums.
 */
import { InputError } from '../../errors.js';

/** Spark ML's KMeans `distanceMeasure`: `euclidean` (default) or `cosine` (1 − cosine similarity). */
export type DistanceMeasure = 'euclidean' | 'cosine';

/**
 * Returns the points the kernels run on: `x` itself for `euclidean`, a
 * normalised copy for `cosine` (which rejects zero vectors, as Spark does).
 */
export function pointsForMeasure(x: Float64Array, d: number, measure: DistanceMeasure, column = 'features'): Float64Array {
  if (measure === 'euclidean') return x;
  const points = new Float64Array(x.length);
  for (let i = 0; i < x.length; i += d) {
    let squares = 0;
    for (let j = 0; j < d; j++) squares += x[i + j] * x[i + j];
    if (squares === 0) {
      throw new InputError(`invalid row ${i / d} of column "${column}": a zero vector has no cosine distance (drop it or use distanceMeasure "euclidean")`);
    }
    const inverse = 1 / Math.sqrt(squares);
    for (let j = 0; j < d; j++) points[i + j] = x[i + j] * inverse;
  }
  return points;
}

/** Converts a squared Euclidean distance between prepared points to the measure's distance (cost unit). */
export function costFromSquared(squared: number, measure: DistanceMeasure): number {
  return measure === 'euclidean' ? squared : squared / 2;
}

/** Returns true when a centre moved by `squared` (squared Euclidean, prepared space) counts as converged for `tol`. */
export function isConverged(squared: number, tol: number, measure: DistanceMeasure): boolean {
  return measure === 'euclidean' ? squared <= tol * tol : squared / 2 <= tol;
}

/** Turns the weighted sum of a cluster into its centre in place: the mean, normalised for `cosine`. */
export function finishCentroid(sum: Float64Array, offset: number, d: number, weight: number, measure: DistanceMeasure): void {
  for (let j = 0; j < d; j++) sum[offset + j] /= weight;
  if (measure !== 'cosine') return;
  let squares = 0;
  for (let j = 0; j < d; j++) squares += sum[offset + j] * sum[offset + j];
  if (squares === 0) return;
  const inverse = 1 / Math.sqrt(squares);
  for (let j = 0; j < d; j++) sum[offset + j] *= inverse;
}

/** Squared Euclidean distance between row `a` of `x` and row `b` of `y` (both with `d` values per row). */
export function squaredDistance(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let sum = 0;
  const xa = a * d;
  const yb = b * d;
  for (let j = 0; j < d; j++) {
    const diff = x[xa + j] - y[yb + j];
    sum += diff * diff;
  }
  return sum;
}

/** Returns the index of the nearest centre of row `i` (ties go to the lowest index) and writes its squared distance to `out[0]`. */
export function nearestCenter(points: Float64Array, i: number, centers: Float64Array, k: number, d: number, out?: Float64Array): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const distance = squaredDistance(points, i, centers, c, d);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  if (out) out[0] = bestDistance;
  return best;
}
