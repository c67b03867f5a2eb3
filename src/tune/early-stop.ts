/**
 * Early-stopping rules for `fmin`'s `earlyStopFn`, as Hyperopt's
 * `early_stop.py`.
 */
import type { EarlyStopFn } from './fmin.js';

interface NoProgressState {
  bestLoss: number | undefined;
  iterationsWithoutProgress: number;
}

/**
 * Stops after `iterationStopCount` evaluations in a row without a loss below
 * the best so far minus `percentIncrease` percent of it (Hyperopt's
 * `no_progress_loss`, defaults 20 and 0). Failed trials count as no
 * progress. Hyperopt 0.2.7 raises a KeyError on a trial without a loss, and
 * 0.3.0 counts it as progress.
 */
export function noProgressLoss(iterationStopCount = 20, percentIncrease = 0): EarlyStopFn {
  return (trials, previous) => {
    const state: NoProgressState = (previous as NoProgressState | undefined) ?? { bestLoss: undefined, iterationsWithoutProgress: 0 };
    const last = trials.trials[trials.length - 1];
    const newLoss = last?.status === 'ok' ? (last.loss as number) : Infinity;

    if (state.bestLoss === undefined) {
      return [false, { bestLoss: newLoss, iterationsWithoutProgress: state.iterationsWithoutProgress + 1 }];
    }
    const threshold = state.bestLoss - Math.abs(state.bestLoss * (percentIncrease / 100));
    const next: NoProgressState =
      newLoss < threshold ? { bestLoss: newLoss, iterationsWithoutProgress: 0 } : { bestLoss: state.bestLoss, iterationsWithoutProgress: state.iterationsWithoutProgress + 1 };
    return [next.iterationsWithoutProgress >= iterationStopCount, next];
  };
}
