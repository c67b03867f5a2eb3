/**
 * The distributions a Parzen estimator builds: truncated Gaussian mixtures
 * (optionally on the log scale and quantised) and categorical distributions,
 * each able to draw samples and return the log density of a value.
 *
 * Densities follow Hyperopt 0.2.7's `GMM1_lpdf`, `LGMM1_lpdf` and
 * `categorical_lpdf` (`tpe.py`), including their truncation and
 * quantisation rules, so candidates are scored as Hyperopt scores them.
 */
import type { RandomGenerator } from '../../random.js';
import { EPS, logSumExp, lognormalCdf, lognormalLogPdf, normalCdf } from './erf.js';

/** Rounds half to even, as NumPy's `np.round` does (2.5 → 2, 3.5 → 4). */
export function roundHalfEven(x: number): number {
  const rounded = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && rounded % 2 !== 0) return rounded - 1;
  return rounded;
}

/** `round(x / q) · q` with NumPy's rounding. */
export function quantize(x: number, q: number): number {
  return roundHalfEven(x / q) * q;
}

/** Draws index i with probability `weights[i] / Σ weights`. */
export function sampleIndex(rng: RandomGenerator, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let target = rng.nextFloat() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  // Rounding can leave target at 0 past the end: return the last index with weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return weights.length - 1;
}

/** Options of a {@link GaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Lower truncation bound (log space when `logScale`); none by default. */
  low?: number;
  /** Upper truncation bound, exclusive (log space when `logScale`); none by default. */
  high?: number;
  /** Quantisation step of the values; none by default. */
  q?: number;
  /** True when values are `exp` of the mixture (log-uniform and log-normal priors). */
  logScale?: boolean;
}

/** Draws beyond which a truncated mixture gives up: its mass inside the bounds is negligible. */
const MAX_REJECTIONS = 1_000_000;

/**
 * A one-dimensional Gaussian mixture truncated to [low, high), optionally
 * exponentiated (`logScale`) and quantised, as Hyperopt's `GMM1`/`LGMM1`.
 */
export class GaussianMixture {
  readonly low?: number;
  readonly high?: number;
  readonly q?: number;
  readonly logScale: boolean;

  /** Mass of the untruncated mixture inside [low, high]: 1 without bounds. */
  private readonly acceptance: number;

  /**
   * @param weights Component weights, summing to 1.
   * @param mus Component means (log space when `logScale`).
   * @param sigmas Component standard deviations, positive.
   */
  constructor(
    readonly weights: readonly number[],
    readonly mus: readonly number[],
    readonly sigmas: readonly number[],
    options: GaussianMixtureOptions = {},
  ) {
    this.low = options.low;
    this.high = options.high;
    this.q = options.q;
    this.logScale = options.logScale ?? false;
    this.acceptance = this.bounded() ? this.massInside() : 1;
  }

  private bounded(): boolean {
    return this.low !== undefined || this.high !== undefined;
  }

  private massInside(): number {
    const low = this.low ?? -Infinity;
    const high = this.high ?? Infinity;
    let mass = 0;
    for (let j = 0; j < this.weights.length; j++) {
      mass += this.weights[j] * (normalCdf(high, this.mus[j], this.sigmas[j]) - normalCdf(low, this.mus[j], this.sigmas[j]));
    }
    return mass;
  }

  /** Draws one value: a component by weight, a normal deviate, rejected until inside the bounds. */
  sample(rng: RandomGenerator): number {
    const low = this.low ?? -Infinity;
    const high = this.high ?? Infinity;
    let draw = NaN;
    for (let attempt = 0; ; attempt++) {
      if (attempt === MAX_REJECTIONS) {
        throw new Error(`truncated Gaussian mixture drew nothing inside [${low}, ${high}) in ${MAX_REJECTIONS} attempts`);
      }
      const component = sampleIndex(rng, this.weights);
      draw = this.mus[component] + this.sigmas[component] * rng.nextNormal();
      if (low <= draw && draw < high) break;
    }
    const value = this.logScale ? Math.exp(draw) : draw;
    return this.q === undefined ? value : quantize(value, this.q);
  }

  /** Log density of `x` (log probability of its bin when quantised). */
  logPdf(x: number): number {
    if (this.q !== undefined) return this.quantisedLogPdf(x, this.q);
    return this.logScale ? this.logNormalMixtureLogPdf(x) : this.normalMixtureLogPdf(x);
  }

  private normalMixtureLogPdf(x: number): number {
    const terms = new Float64Array(this.weights.length);
    for (let j = 0; j < this.weights.length; j++) {
      const sigma = this.sigmas[j];
      const z = (x - this.mus[j]) / Math.max(sigma, EPS);
      const coefficient = this.weights[j] / Math.sqrt(2 * Math.PI * sigma * sigma) / this.acceptance;
      terms[j] = -0.5 * z * z + Math.log(coefficient);
    }
    return logSumExp(terms);
  }

  // NOTE: Hyperopt 0.2.7's LGMM1_lpdf omits the truncation mass here (it
  // divides only in the quantised branch); kept so scores match Hyperopt.
  private logNormalMixtureLogPdf(x: number): number {
    const terms = new Float64Array(this.weights.length);
    for (let j = 0; j < this.weights.length; j++) {
      terms[j] = lognormalLogPdf(x, this.mus[j], this.sigmas[j]) + Math.log(this.weights[j]);
    }
    return logSumExp(terms);
  }

  // Probability of the bin [x − q/2, x + q/2] clipped to the bounds (the
  // bounds are exponentiated for the log scale), over the mass inside them.
  private quantisedLogPdf(x: number, q: number): number {
    let upper = x + q / 2;
    let lower = x - q / 2;
    if (this.logScale) {
      if (this.high !== undefined) upper = Math.min(upper, Math.exp(this.high));
      if (this.low !== undefined) lower = Math.max(lower, Math.exp(this.low));
      lower = Math.max(0, lower);
    } else {
      if (this.high !== undefined) upper = Math.min(upper, this.high);
      if (this.low !== undefined) lower = Math.max(lower, this.low);
    }

    let probability = 0;
    for (let j = 0; j < this.weights.length; j++) {
      const cdf = this.logScale ? lognormalCdf : normalCdf;
      probability += this.weights[j] * cdf(upper, this.mus[j], this.sigmas[j]);
      probability -= this.weights[j] * cdf(lower, this.mus[j], this.sigmas[j]);
    }
    return Math.log(probability) - Math.log(this.acceptance);
  }
}

/** A distribution over the integers offset, offset + 1, …, offset + p.length − 1. */
export class CategoricalDistribution {
  /**
   * @param p Probability of each category, summing to 1.
   * @param offset Value of the first category (`low` of a `randint`, 0 for a choice).
   */
  constructor(
    readonly p: readonly number[],
    readonly offset = 0,
  ) {}

  /** Draws one category value. */
  sample(rng: RandomGenerator): number {
    return this.offset + sampleIndex(rng, this.p);
  }

  /** Log probability of value `x`; −∞ outside the categories. */
  logPdf(x: number): number {
    const index = x - this.offset;
    if (!Number.isInteger(index) || index < 0 || index >= this.p.length) return -Infinity;
    return Math.log(this.p[index]);
  }
}

/** A distribution a Parzen estimator can build. */
export type ParzenDistribution = GaussianMixture | CategoricalDistribution;
