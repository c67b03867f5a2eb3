/**
 * A 2-D principal-component projection of a row-major matrix, for the
 * report's scatter plot. The covariance matrix is d × d (d is the number of
 * features, 9 by default), so its eigenvectors come from the cyclic Jacobi
 * method, which is exact enough and simple for such small symmetric matrices.
 */

/** The first two principal components of a data set and its projection onto them. */
export interface Projection {
  /** n × 2 coordinates, row-major. */
  coordinates: Float64Array;
  /** Fraction of the total variance each component explains. */
  explainedVariance: [number, number];
}

/** Returns eigenvalues and eigenvectors (columns of a row-major d × d matrix) of a symmetric matrix. */
export function symmetricEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;

  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off < 1e-22) break;

    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        // Rotation angle that zeroes a[p][q].
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}

/** Projects n × d rows onto their first two principal components (data centred first). */
export function projectTo2d(X: Float64Array, d: number): Projection {
  const n = d === 0 ? 0 : X.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n);

  // Covariance (n − 1 denominator), accumulated on the centred rows.
  const covariance = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = X[i * d + j] - mean[j];
    for (let p = 0; p < d; p++) for (let q = p; q < d; q++) covariance[p * d + q] += row[p] * row[q];
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      covariance[p * d + q] /= Math.max(1, n - 1);
      covariance[q * d + p] = covariance[p * d + q];
    }
  }

  const { values, vectors } = symmetricEigen(covariance, d);
  const order = [...values.keys()].sort((a, b) => values[b] - values[a]);
  const total = values.reduce((sum, value) => sum + Math.max(0, value), 0) || 1;
  const [first, second] = [order[0] ?? 0, order[1] ?? 0];

  const coordinates = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < d; j++) {
      const centred = X[i * d + j] - mean[j];
      x += centred * vectors[j * d + first];
      y += centred * vectors[j * d + second];
    }
    coordinates[i * 2] = x;
    coordinates[i * 2 + 1] = y;
  }
  return { coordinates, explainedVariance: [Math.max(0, values[first]) / total, Math.max(0, values[second]) / total] };
}
