/**
 * Numeric kernels for the Parzen estimators: the error function and the
 * normal and log-normal cumulative distributions in the forms Hyperopt 0.2.7
 * evaluates them (`tpe.py`: `normal_cdf`, `lognormal_cdf`, with their
 * `EPS` floors), so densities and scores follow the same arithmetic.
 */

/** Hyperopt's floor for scales and logarithm arguments (`tpe.EPS`). */
export const EPS = 1e-12;

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function, accurate to about 1e-15 absolute.
 *
 * For |x| < 3 it sums `erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))`,
 * whose terms are all positive, so nothing cancels. Beyond that it evaluates
 * the continued fraction of `erfc` (modified Lentz), which converges in a few
 * dozen steps there.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  if (x >= 6) return 1;
  if (x < 3) return erfSeries(x);
  return 1 - erfcContinuedFraction(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

// erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))).
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Normal CDF at `x` for mean `mu` and standard deviation `sigma`, with Hyperopt's scale floor. */
export function normalCdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / Math.max(Math.SQRT2 * sigma, EPS);
  return 0.5 * (1 + erf(z));
}

/** CDF at `x` ≥ 0 of `exp(normal(mu, sigma))`, with Hyperopt's floors. */
export function lognormalCdf(x: number, mu: number, sigma: number): number {
  const z = (Math.log(Math.max(x, EPS)) - mu) / Math.max(Math.SQRT2 * sigma, EPS);
  return 0.5 + 0.5 * erf(z);
}

/** Log density at `x` > 0 of `exp(normal(mu, sigma))`. */
export function lognormalLogPdf(x: number, mu: number, sigma: number): number {
  const scale = Math.max(sigma, EPS);
  const z = (Math.log(x) - mu) / scale;
  return -0.5 * z * z - Math.log(scale * x * Math.sqrt(2 * Math.PI));
}

/** `log Σ exp(values)`, stable for large magnitudes; −∞ for an empty or all −∞ input. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return Math.log(sum) + max;
}
