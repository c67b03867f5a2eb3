/**
 * The interface between `fmin` and a search algorithm, Hyperopt's
 * `algo(new_ids, domain, trials, seed)` in TypeScript form.
 */
import type { Assignment } from './space.js';
import type { Trial } from './trials.js';

/** Input of an algorithm for proposing one trial. */
export interface SuggestRequest {
  /** The search space. */
  space: unknown;
  /** Every trial so far, in order of tid, including running and failed ones. */
  trials: readonly Trial[];
  /** Seed for this suggestion, drawn by `fmin` from its generator (an integer in [0, 2^31 − 1)). */
  seed: number;
}

/** A search algorithm: returns the stored values of the active hyperparameters of the next trial. */
export interface Algorithm {
  (request: SuggestRequest): Assignment;
  /** Name for events and logs, such as `tpe` or `rand`. */
  readonly algorithmName: string;
  /** Trials the algorithm samples from the prior before modelling; 0 for random search. */
  readonly nStartupJobs: number;
}

/** Wraps a suggest function as an {@link Algorithm}. */
export function defineAlgorithm(algorithmName: string, nStartupJobs: number, suggest: (request: SuggestRequest) => Assignment): Algorithm {
  return Object.assign((request: SuggestRequest) => suggest(request), { algorithmName, nStartupJobs });
}
