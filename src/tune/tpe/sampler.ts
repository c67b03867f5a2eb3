/**
 * The Tree-structured Parzen Estimator, Hyperopt 0.2.7's `tpe.suggest`
 * (Bergstra et al., "Algorithms for Hyper-Parameter Optimization", NeurIPS
 * 2011). It splits the trials by loss into a good group l(x) and a bad group
 * g(x) and builds a Parzen estimator of each hyperparameter from each group.
 * Then it draws candidates from l(x) and keeps the one with the largest
 * `log l(x) − log g(x)`, for each hyperparameter independently.
 */
import { RandomGenerator } from '../../random.js';
import { defineAlgorithm, type Algorithm, type SuggestRequest } from '../algorithm.js';
import { rand } from '../rand.js';
import { walkSpace, type Assignment, type Hyperparameter } from '../space.js';
import type { Trial } from '../trials.js';
import { buildParzenEstimator, type ParzenOptions } from './parzen-estimator.js';

/** Settings of {@link tpe}. Defaults are Hyperopt 0.2.7's. */
export interface TpeOptions {
  /** Trials drawn at random from the prior before the model is used. Default 20. */
  nStartupJobs: number;
  /** Candidates drawn from l(x) per hyperparameter and suggestion. Default 24. */
  nEICandidates: number;
  /** Fraction that sets the size of the good group (see `gammaScale`). Default 0.25. */
  gamma: number;
  /**
   * Growth rule of the good group with n trials: `sqrt` takes
   * ceil(gamma · √n) (Hyperopt), `linear` takes ceil(gamma · n) (Optuna).
   * Default `sqrt`.
   */
  gammaScale: 'sqrt' | 'linear';
  /** Largest size of the good group. Default 25. */
  gammaCap: number;
  /** Weight of the prior component and of each categorical pseudocount. Default 1. */
  priorWeight: number;
  /** Observations beyond the newest this many are down-weighted linearly. Default 25. */
  linearForgetting: number;
}

/** Hyperopt 0.2.7's defaults (`tpe.py`). */
export const HYPEROPT_TPE_DEFAULTS: Readonly<TpeOptions> = Object.freeze({
  nStartupJobs: 20,
  nEICandidates: 24,
  gamma: 0.25,
  gammaScale: 'sqrt',
  gammaCap: 25,
  priorWeight: 1,
  linearForgetting: 25,
});

/**
 * Optuna 4.5 TPESampler's start-up and split defaults (`n_startup_trials` 10,
 * good group `min(ceil(0.1 · n), 25)`) on Hyperopt's estimator: for users who
 * come from Optuna. Optuna's other differences (its own bandwidth rule, prior
 * handling, multivariate mode) are not reproduced.
 */
export const OPTUNA_TPE_DEFAULTS: Readonly<TpeOptions> = Object.freeze({
  ...HYPEROPT_TPE_DEFAULTS,
  nStartupJobs: 10,
  gamma: 0.1,
  gammaScale: 'linear',
});

/** Size of the good group among `n` trials. */
export function goodGroupSize(n: number, options: Pick<TpeOptions, 'gamma' | 'gammaScale' | 'gammaCap'>): number {
  const scaled = options.gammaScale === 'sqrt' ? options.gamma * Math.sqrt(n) : options.gamma * n;
  return Math.min(Math.ceil(scaled), options.gammaCap);
}

/**
 * Splits trials into the good group (the lowest losses) and the rest.
 * Trials without an `ok` result (running, failed) count as loss +∞; ties keep
 * tid order. Returns one flag per trial.
 */
export function splitTrials(trials: readonly Trial[], options: Pick<TpeOptions, 'gamma' | 'gammaScale' | 'gammaCap'>): boolean[] {
  const losses = trials.map((trial) => (trial.status === 'ok' && trial.loss !== undefined ? trial.loss : Infinity));
  const order = losses.map((_, i) => i).sort((a, b) => compareLosses(losses[a], losses[b]) || a - b);
  const good = new Array<boolean>(trials.length).fill(false);
  const nGood = goodGroupSize(trials.length, options);
  for (const index of order.slice(0, nGood)) good[index] = true;
  return good;
}

function compareLosses(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Proposes one trial: random search while fewer than `nStartupJobs` trials
 * exist, then for each active hyperparameter (choices first, so only the
 * chosen branch is modelled) the best of `nEICandidates` draws from l(x).
 */
export function suggestTpe(request: SuggestRequest, options: TpeOptions): Assignment {
  const { trials, space, seed } = request;
  if (trials.length < options.nStartupJobs) return rand.suggest(request);

  const good = splitTrials(trials, options);
  const rng = new RandomGenerator(seed);
  const parzen: ParzenOptions = { priorWeight: options.priorWeight, linearForgetting: options.linearForgetting };

  const proposeValue = (node: Hyperparameter): number => {
    // Observations of this label in tid order; absent where its branch was not chosen.
    const below: number[] = [];
    const above: number[] = [];
    trials.forEach((trial, i) => {
      const value = trial.params[node.label];
      if (value === undefined) return;
      (good[i] ? below : above).push(value);
    });

    const l = buildParzenEstimator(node.distribution, below, parzen);
    const g = buildParzenEstimator(node.distribution, above, parzen);

    let bestValue = NaN;
    let bestScore = -Infinity;
    for (let c = 0; c < options.nEICandidates; c++) {
      const candidate = l.sample(rng);
      const score = l.logPdf(candidate) - g.logPdf(candidate);
      if (c === 0 || score > bestScore) {
        bestValue = candidate;
        bestScore = Number.isNaN(score) ? -Infinity : score;
      }
    }
    return bestValue;
  };

  return walkSpace(space, proposeValue).assignment;
}

function checkOptions(options: TpeOptions): void {
  const checks: [keyof TpeOptions, boolean, string][] = [
    ['nStartupJobs', Number.isInteger(options.nStartupJobs) && options.nStartupJobs >= 0, 'a non-negative integer'],
    ['nEICandidates', Number.isInteger(options.nEICandidates) && options.nEICandidates >= 1, 'a positive integer'],
    ['gamma', options.gamma > 0 && options.gamma <= 1, 'a number in (0, 1]'],
    ['gammaScale', options.gammaScale === 'sqrt' || options.gammaScale === 'linear', "'sqrt' or 'linear'"],
    ['gammaCap', Number.isInteger(options.gammaCap) && options.gammaCap >= 1, 'a positive integer'],
    ['priorWeight', options.priorWeight > 0 && Number.isFinite(options.priorWeight), 'a positive number'],
    ['linearForgetting', Number.isInteger(options.linearForgetting) && options.linearForgetting >= 0, 'a non-negative integer (0 turns forgetting off)'],
  ];
  for (const [name, valid, expected] of checks) {
    if (!valid) throw new RangeError(`invalid TPE option ${name}: ${String(options[name])} (use ${expected})`);
  }
}

/** Returns a TPE algorithm with the given options over Hyperopt's defaults. */
function withOptions(options: Partial<TpeOptions> = {}): Algorithm {
  const merged: TpeOptions = { ...HYPEROPT_TPE_DEFAULTS, ...options };
  checkOptions(merged);
  return defineAlgorithm('tpe', merged.nStartupJobs, (request) => suggestTpe(request, merged));
}

/**
 * Tree-structured Parzen Estimator. `tpe.suggest` uses Hyperopt 0.2.7's
 * defaults; `tpe.withOptions({...})` changes any of them (Hyperopt's
 * `partial(tpe.suggest, n_startup_jobs=…)`), and
 * `tpe.withOptions(tpe.OPTUNA_DEFAULTS)` takes Optuna's start-up and split.
 */
export const tpe = {
  suggest: withOptions(),
  withOptions,
  HYPEROPT_DEFAULTS: HYPEROPT_TPE_DEFAULTS,
  OPTUNA_DEFAULTS: OPTUNA_TPE_DEFAULTS,
};
