/**
 * The adaptive Parzen estimator of Hyperopt 0.2.7 (`tpe.py`:
 * `adaptive_parzen_normal`, `linear_forgetting_weights` and the
 * `ap_*_sampler` functions). From the observed values of one
 * hyperparameter in the good or the bad group of trials, it builds a
 * mixture of the prior and one component per observation.
 */
import type { Distribution } from '../space.js';
import { CategoricalDistribution, GaussianMixture, type ParzenDistribution } from './distributions.js';
import { EPS } from './erf.js';

/** Settings of the estimator. */
export interface ParzenOptions {
  /** Weight of the prior component, and pseudocount of each category. Hyperopt default 1. */
  priorWeight: number;
  /** Observations older than the newest `linearForgetting` are down-weighted linearly. Hyperopt default 25. */
  linearForgetting: number;
}

/**
 * Weights of `n` observations in trial order: 1 for the newest `lf`, and a
 * linear ramp from 1/n to 1 over the older ones (Hyperopt's
 * `linear_forgetting_weights`).
 */
export function linearForgettingWeights(n: number, lf: number): number[] {
  if (n === 0) return [];
  if (n < lf) return new Array(n).fill(1);
  const rampLength = n - lf;
  const weights: number[] = [];
  for (let i = 0; i < rampLength; i++) {
    // np.linspace(1/n, 1, num=rampLength)
    weights.push(rampLength === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (rampLength - 1));
  }
  for (let i = 0; i < lf; i++) weights.push(1);
  return weights;
}

/** Components of a Gaussian mixture: weights (summing to 1), means and standard deviations. */
export interface MixtureComponents {
  weights: number[];
  mus: number[];
  sigmas: number[];
}

/**
 * Builds the adaptive Parzen mixture of observations `mus` (in trial order).
 * The prior component is inserted among the sorted observations. Each
 * observation's sigma is the larger gap to its sorted neighbours (the prior
 * counts as a neighbour), clipped to [priorSigma / min(100, 1 + components),
 * priorSigma]. The prior keeps priorSigma and weight `priorWeight`, the
 * observations get linear-forgetting weights, and weights are normalised.
 */
export function adaptiveParzenNormal(
  mus: readonly number[],
  priorWeight: number,
  priorMu: number,
  priorSigma: number,
  lf: number,
): MixtureComponents {
  const n = mus.length;
  let sortedMus: number[];
  let sigmas: number[];
  let priorPosition: number;
  let order: number[] = [];

  if (n === 0) {
    sortedMus = [priorMu];
    sigmas = [priorSigma];
    priorPosition = 0;
  } else if (n === 1) {
    if (priorMu < mus[0]) {
      priorPosition = 0;
      sortedMus = [priorMu, mus[0]];
      sigmas = [priorSigma, priorSigma * 0.5];
    } else {
      priorPosition = 1;
      sortedMus = [mus[0], priorMu];
      sigmas = [priorSigma * 0.5, priorSigma];
    }
    order = [0];
  } else {
    // A stable sort, so equal observations keep trial order.
    order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
    const sorted = order.map((i) => mus[i]);
    priorPosition = lowerBound(sorted, priorMu);
    sortedMus = [...sorted.slice(0, priorPosition), priorMu, ...sorted.slice(priorPosition)];

    const m = sortedMus.length;
    sigmas = new Array(m).fill(0);
    for (let i = 1; i < m - 1; i++) {
      sigmas[i] = Math.max(sortedMus[i] - sortedMus[i - 1], sortedMus[i + 1] - sortedMus[i]);
    }
    sigmas[0] = sortedMus[1] - sortedMus[0];
    sigmas[m - 1] = sortedMus[m - 1] - sortedMus[m - 2];
  }

  // Weights: linear forgetting by trial order, placed at each observation's sorted position.
  let weights: number[];
  if (lf && lf < n) {
    const unsorted = linearForgettingWeights(n, lf);
    const sortedObservationWeights = order.map((i) => unsorted[i]);
    weights = [...sortedObservationWeights.slice(0, priorPosition), priorWeight, ...sortedObservationWeights.slice(priorPosition)];
  } else {
    weights = new Array(sortedMus.length).fill(1);
    weights[priorPosition] = priorWeight;
  }

  const maxSigma = priorSigma;
  const minSigma = priorSigma / Math.min(100, 1 + sortedMus.length);
  sigmas = sigmas.map((sigma) => Math.min(Math.max(sigma, minSigma), maxSigma));
  sigmas[priorPosition] = priorSigma;

  const total = weights.reduce((sum, weight) => sum + weight, 0);
  weights = weights.map((weight) => weight / total);
  return { weights, mus: sortedMus, sigmas };
}

// Index of the first element ≥ value (NumPy's searchsorted, side 'left').
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Builds the Parzen estimator of one hyperparameter from its observed values
 * (stored values in trial order), as Hyperopt's `ap_<kind>_sampler`.
 */
export function buildParzenEstimator(distribution: Distribution, observations: readonly number[], options: ParzenOptions): ParzenDistribution {
  const { priorWeight, linearForgetting: lf } = options;

  switch (distribution.kind) {
    case 'uniform':
    case 'quniform': {
      const { low, high } = distribution;
      const q = distribution.kind === 'quniform' ? distribution.q : undefined;
      const components = adaptiveParzenNormal(observations, priorWeight, 0.5 * (high + low), high - low, lf);
      return mixture(components, { low, high, q });
    }
    case 'loguniform':
    case 'qloguniform': {
      const { low, high } = distribution;
      const q = distribution.kind === 'qloguniform' ? distribution.q : undefined;
      // The quantised variant guards against log(0) for values rounded down to 0.
      const floor = q === undefined ? 0 : Math.max(EPS, Math.exp(low));
      const logObservations = observations.map((value) => Math.log(q === undefined ? value : Math.max(value, floor)));
      const components = adaptiveParzenNormal(logObservations, priorWeight, 0.5 * (high + low), high - low, lf);
      return mixture(components, { low, high, q, logScale: true });
    }
    case 'normal':
    case 'qnormal': {
      const q = distribution.kind === 'qnormal' ? distribution.q : undefined;
      const components = adaptiveParzenNormal(observations, priorWeight, distribution.mu, distribution.sigma, lf);
      return mixture(components, { q });
    }
    case 'lognormal':
    case 'qlognormal': {
      const q = distribution.kind === 'qlognormal' ? distribution.q : undefined;
      const logObservations = observations.map((value) => Math.log(q === undefined ? value : Math.max(value, EPS)));
      const components = adaptiveParzenNormal(logObservations, priorWeight, distribution.mu, distribution.sigma, lf);
      return mixture(components, { q, logScale: true });
    }
    case 'randint': {
      // Unordered categories: forgetting-weighted counts plus priorWeight each.
      const { low, high } = distribution;
      const counts = weightedCounts(observations, high - low, low, lf);
      return new CategoricalDistribution(normalise(counts.map((count) => count + priorWeight)), low);
    }
    case 'categorical': {
      // Pseudocounts proportional to the prior: counts + n · priorWeight · p.
      const { p } = distribution;
      const counts = weightedCounts(observations, p.length, 0, lf);
      return new CategoricalDistribution(normalise(counts.map((count, i) => count + p.length * priorWeight * p[i])));
    }
  }
}

function mixture(components: MixtureComponents, options: ConstructorParameters<typeof GaussianMixture>[3]): GaussianMixture {
  return new GaussianMixture(components.weights, components.mus, components.sigmas, options);
}

function weightedCounts(observations: readonly number[], size: number, offset: number, lf: number): number[] {
  const weights = linearForgettingWeights(observations.length, lf);
  const counts = new Array(size).fill(0);
  observations.forEach((value, i) => {
    const index = value - offset;
    if (index >= 0 && index < size) counts[index] += weights[i];
  });
  return counts;
}

function normalise(values: number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return values.map((value) => value / total);
}
